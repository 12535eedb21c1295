#pragma once

// The low-rank transform (docs/transforms.md; seed 002, StreamSVD / SVD-NAS): a conv's
// weights, unfolded to a matrix, are replaced by the product of two factors from their
// truncated SVD, so that the layer becomes two: a conv to `rank` channels and a 1x1 conv
// back to the layer's width. It needs real weights (an imported or trained weight set).
#include "core/hw/device_library.h"
#include "core/model/graph.h"
#include "core/model/project.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"
#include "taylor_ranks.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace codesign::transform {

// Scheme s1 of SVD-NAS: the F x (C*Kh*Kw) unfolding; the first factor is a Kh x Kw conv
// to `rank` channels (the layer's stride and padding), the second a 1x1 conv to F.
struct Factors {
    std::vector<float> first;           // rank x C x Kh x Kw
    std::vector<float> second;          // F x rank
    std::vector<double> singularValues; // all of them, largest first
    double error = 0; // ||W - second * first||_F / ||W||_F of the truncated SVD (exact)
};
// `weights` is an F x cols matrix, row-major; 1 <= rank <= min(F, cols).
Factors factorize(const std::vector<float>& weights, int rows, int cols, int rank);

// sqrt(sum of sigma_i^2 for i >= rank) / sqrt(sum of all sigma_i^2).
double tailError(const std::vector<double>& singularValues, int rank);

enum class LayerOutcome { Decomposed, Reverted };

struct LowRankLayer {
    std::string name;          // the graph node's
    std::string scheme = "s1"; // low_rank_schemes.h
    int rank = 0;
    int fullRank = 0; // the unfolding's rank: min(F, C*Kh*Kw) for s1
    double error = 0; // relative Frobenius error of the rank-`rank` weights
    // With gradients (LowRankOptions::gradients): I(rank) of taylor_ranks.h, the loss change
    // the dropped components cause to first order, summed over the batches; 0 otherwise.
    double importance = 0;
    std::int64_t macsBefore = 0;
    std::int64_t macsAfter = 0; // of the two layers
    // On the chosen architecture (LowRankOptions::devices): the layer's cycles on the design
    // the estimator gives the original network, and its two factors' on the same design;
    // 0 when judged by MACs.
    std::int64_t cyclesBefore = 0;
    std::int64_t cyclesAfter = 0;
    LayerOutcome outcome = LayerOutcome::Decomposed;
    std::string why;           // for a reverted layer
    std::string first, second; // the transformed graph's two layers (when decomposed)
};

struct LowRankOptions {
    std::map<std::string, int> ranks; // node name -> rank; only these layers
    double opsBudget = 0;             // else each conv at most this fraction of its MACs
    // With opsBudget: only these layers (node names; empty: every conv). The studio's
    // budget acts on the selected network entries.
    std::set<std::string> layers;
    // "s0".."s3" (low_rank_schemes.h), or "auto": per layer, the scheme of the lowest
    // reconstruction error under OPs budgets, by majority vote over a few budgets.
    std::string scheme = "s1";
    // With a device library, a layer is judged on the project's architecture: reverted when
    // its two factors take at least its cycles on the design estimateDesign() gives the
    // original network (fixed, so both run on the same hardware), and on a streaming
    // design its rank is padded to the layer's folding. Without, reverted when the factors
    // cost at least its MACs.
    const DeviceLibrary* devices = nullptr;
    // With an OPs budget: the ranks chosen by Taylor importance (taylor_ranks.h) from these
    // gradients, greedily across the layers under one budget, opsBudget of the MACs of the
    // layers the scheme takes, in place of each layer at opsBudget of its own MACs. Every
    // decomposable layer needs its gradients.
    const LayerGradients* gradients = nullptr;
};

// How the ranks were chosen.
enum class RankRule {
    Budget, // each layer at the largest rank within opsBudget of its MACs
    Taylor, // Taylor importance under the layers' joint budget
    Given,  // LowRankOptions::ranks
};
const char* rankRuleName(RankRule rule); // "budget per layer", "taylor importance", "given"

struct LowRankResult {
    Project project;
    reference::WeightSet weights;
    std::vector<LowRankLayer> layers; // in graph order
    std::int64_t macsBefore = 0;
    std::int64_t macsAfter = 0;
    std::string design; // the design the layers were judged on (empty: by MACs)
    RankRule rule = RankRule::Budget;
    // RankRule::Taylor: the budget and the MACs the greedy choice left to the layers it
    // could decompose (before any revert by cycles or padding to a streaming folding).
    std::int64_t budgetMacs = 0;
    std::int64_t chosenMacs = 0;
};

// Decomposes the chosen convs (conv with one group, pwconv) of `graph` (built from
// `project`), with `weights`. A layer whose two factors would not be faster (cycles on the
// project's architecture, or MACs: LowRankOptions::devices) is reverted (left as it was)
// and listed. Errors name the layer.
Result<LowRankResult> lowRankTransform(const Project& project, const Graph& graph,
                                       const reference::WeightSet& weights,
                                       const LowRankOptions& options);

// Reads "NAME RANK" lines (# comments); errors give file:line.
Result<std::map<std::string, int>> parseRanks(const std::string& text, const std::string& file);

} // namespace codesign::transform
