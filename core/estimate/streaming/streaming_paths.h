#pragma once

// Path computations on one partition's dataflow graph (its layers and squeeze layers):
// the pipeline depth along the longest path (fpgaconvnet-model partition/metrics.py,
// get_pipeline_depth) and the FIFO depths in front of add and concat layers
// (partition/update.py, update_multiport_buffer_depth).
#include "streaming_layer_model.h"

#include <cstdint>
#include <vector>

namespace codesign {

// Nodes 0 .. layers-1 are the partition's layers in network order; the squeezes follow.
// `rank` orders the nodes topologically; predecessors are listed in fpgaConvNet's edge order
// (direct edges first, squeezed ones after: a squeeze re-adds its edge at the end).
struct PartitionDag {
    int layers = 0;
    std::vector<LayerPerf> perf; // per node
    std::vector<int> rank;
    std::vector<int> predStart,
        preds; // compressed: preds of node i in [predStart[i], predStart[i+1])
    std::vector<int> succStart, succs;

    int nodes() const { return static_cast<int>(perf.size()); }
    void buildSuccessors();
};

// networkx.dag_longest_path (edges counted), then the sum over its nodes of
// depth / rate_in + (interval / size_in) * prod_{k <= j} (size_in_k / size_out_k).
double longestPathDepth(const PartitionDag& dag, double interval, std::vector<int>& dist,
                        std::vector<int>& pred, std::vector<int>& path);

// Depths of the FIFOs in front of a multi-input layer `node`: 2 words unless its inputs
// meet at a split layer of the partition (`isSplit`); then ceil(longest - own) + 64 words per
// input (+ the concat's extra cycles). `depths` gets one entry per predecessor, in
// predecessor order.
void multiportBufferDepths(const PartitionDag& dag, int node, const std::vector<bool>& isSplit,
                           double extraCycles, std::vector<std::int64_t>& depths);

} // namespace codesign
