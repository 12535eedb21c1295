#pragma once

// What the streaming optimisers may change and how they measure a design: the folding values
// each layer may take, the cuts a partition may end at, the weights reloading factors, and
// the cost of a partition or a design under the resource cap (docs/estimator.md,
// "Streaming: the optimisers").
#include "streaming_estimator.h"

#include <limits>
#include <vector>

namespace codesign {

class StreamingSpace {
public:
    StreamingSpace(const StreamingModel& model, double resourceCap);

    const StreamingModel& model() const { return model_; }
    const HwNetwork& net() const { return model_.net; }
    int layers() const { return static_cast<int>(model_.net.layers.size()); }

    // Feasible values (ascending) for a layer on its base shape.
    const std::vector<int>& coarseIn(int layer) const { return coarseIn_[layer]; }
    const std::vector<int>& coarseOut(int layer) const { return coarseOut_[layer]; }
    const std::vector<int>& coarseGroup(int layer) const { return coarseGroup_[layer]; }
    const std::vector<int>& fine(int layer) const { return fine_[layer]; }

    // Cuts after layer i where one tensor flows (a partition may end there).
    bool validCut(int afterLayer) const { return model_.net.crossing[afterLayer] == 1; }

    // The shape a layer works on inside a partition (weights reloading applied), and the
    // coarse values it may take there (coarse_out of the reloaded conv, coarse after it).
    LayerShape shapeIn(const StreamingPartition& p, int layer) const;
    std::vector<int> coarseOutIn(const StreamingPartition& p, int layer) const;
    std::vector<int> coarseInIn(const StreamingPartition& p, int layer) const;

    // Partitions cut before every conv and fc layer where one tensor flows (fpgaConvNet's
    // "complete split" with its example's allowed partitions), no weights reloading.
    std::vector<StreamingPartition> completeSplit() const;
    void maxReloading(StreamingDesign& d, std::size_t partition) const;

    // Weights reloading factors of a partition (its wr layer's filters per group / coarse_out;
    // {1} without a wr layer).
    std::vector<int> reloadingFactors(const StreamingPartition& p,
                                      const std::vector<LayerFolding>& folding) const;

    // fpgaConvNet's fix_coarse: after weights reloading changed, lower every folding that no
    // longer divides to the largest value that does.
    void repairFolding(const StreamingPartition& p, std::vector<LayerFolding>& folding) const;

    // Evaluates one partition (counts the evaluation).
    const StreamingPartitionEstimate& evaluate(const std::vector<LayerFolding>& folding,
                                               const StreamingPartition& p) const;
    bool fits(const StreamingPartitionEstimate& e) const; // every resource <= cap x device
    // The largest used fraction of a capped resource (DSP, BRAM18, LUT, FF).
    double pressure(const StreamingPartitionEstimate& e) const;

    // Latency of a whole design (ms, reconfiguration included) and whether all partitions fit.
    double latencyMs(const StreamingDesign& d, bool& feasible) const;
    double partitionMs(const StreamingPartitionEstimate& e) const;
    // Reconfiguration charged for `partitions` partitions.
    double reconfigurationMs(int partitions) const;

    std::int64_t evaluations() const { return evaluations_; }
    // The squeezes of the last evaluated partition (streaming_partition.h).
    const PartitionScratch& lastScratch() const { return scratch_; }

private:
    const StreamingModel& model_;
    double cap_;
    std::vector<std::vector<int>> coarseIn_, coarseOut_, coarseGroup_, fine_;
    mutable PartitionScratch scratch_;
    mutable StreamingPartitionEstimate last_;
    mutable std::int64_t evaluations_ = 0;
};

inline constexpr double kInfeasible = std::numeric_limits<double>::infinity();

// The largest value of `values` (ascending) that is at most `limit`.
int largestUpTo(const std::vector<int>& values, int limit);

} // namespace codesign
