#pragma once

// Rank selection by first-order Taylor importance (docs/transforms.md, "Ranks from the
// loss"). Replacing a layer's weights W by their rank-r approximation W_r changes the loss
// by about <dL/dW, W_r - W> (the first-order Taylor expansion of L around W). The
// importance of rank r is that change's magnitude summed over a few batches,
//   I(r) = sum over batches b of |<g_b, W - W_r>|,
// Molchanov et al.'s Taylor criterion (ICLR'17, "Pruning convolutional neural networks for
// resource efficient inference") with the dropped singular components as the pruned part;
// SVD-NAS (seed 002) ranks its layers by the same criterion. The gradients come as plain
// arrays (the trainer's plugin computes them): no libtorch here.
#include "low_rank_schemes.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace codesign::transform {

// dL/dW per layer name: one array per batch, in the layer's F x C x Kh x Kw layout.
using LayerGradients = std::map<std::string, std::vector<std::vector<float>>>;

// I(r) for r = 1..R at index r - 1, from schemeComponentTerms' p[b][i]:
// I(r) = sum over b of |sum over i >= r of p[b][i]|; I(R) = 0.
std::vector<double> taylorImportance(const std::vector<std::vector<double>>& terms);

// The same, for layer `n` with its weights under `scheme`.
std::vector<double> layerTaylorImportance(Scheme scheme, const Node& n,
                                          const std::vector<float>& weights,
                                          const std::vector<std::vector<float>>& gradients);

// One layer's choices for the greedy selection.
struct RankCandidates {
    std::int64_t macsBefore = 0;    // the layer kept whole (importance 0)
    std::vector<std::int64_t> macs; // [r - 1]: its two layers' MACs at rank r (rising in r)
    std::vector<double> importance; // [r - 1]: I(r)
};

// Greedy selection under a MACs budget: every layer starts whole; while the layers' MACs
// exceed `budgetMacs`, the one step that loses the least importance per MAC saved is taken,
// a step being from whole to the largest rank cheaper than the layer, or from rank r to
// r - 1 (ties: the earlier layer). Stops when the budget holds or no step is left (every
// layer at rank 1). Returns each layer's rank, 0 for a layer left whole.
std::vector<int> chooseRanksGreedy(const std::vector<RankCandidates>& layers,
                                   std::int64_t budgetMacs);

} // namespace codesign::transform
