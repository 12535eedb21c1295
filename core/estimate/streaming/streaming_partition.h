#pragma once

// One partition of a streaming design, evaluated as fpgaConvNet's Partition does
// (fpgaconvnet-model models/partition/: update.py, auxiliary.py, metrics.py): squeeze layers
// where stream counts differ and at the ports, the interval, the pipeline depth along the
// longest path, weights reloading, the bandwidth slow-down, the cycles, the resources.
#include "../../hw/device.h"
#include "streaming_estimate.h"
#include "streaming_layer_model.h"
#include "streaming_paths.h"
#include "streaming_resources.h"

#include <vector>

namespace codesign {

// Settings resolved from the spec and the device (streaming_settings.h).
struct StreamingSettings {
    double clockMhz = 200;
    int batch = 1;
    int portWidth = 128;
    int maxPortStreams = 8; // port width / the network's data width
    double bandwidthGbps = 0;
    double reconfigurationMs = 82.55;
    ReconfigurationCharge charge = ReconfigurationCharge::PerPartition;
    LogicCoefficients logic; // the partition's control and ports (device `logic:`)
};

// A layer's timing and resources for the folding and shape it was last evaluated with:
// evaluations that change a few layers (the optimisers') recompute only those.
struct SqueezeKey {
    int channels = 0;
    int streamsIn = 0;
    int streamsOut = 0;
    int dataBits = 0;
    friend bool operator==(const SqueezeKey&, const SqueezeKey&) = default;
};

struct LayerMemo {
    LayerFolding folding;
    LayerShape shape;
    LayerPerf perf;
    LayerResources resources;
    SqueezeKey squeezeKey; // the squeeze on the layer's first input, if it had one
    LayerPerf squeezePerf;
    LayerResources squeezeResources;
    bool hasPerf = false;
    bool hasResources = false;
    bool hasSqueeze = false;
};

// Reused buffers: one evaluation allocates nothing once they have grown. A scratch serves one
// network (its memo is reset when it meets another).
struct PartitionScratch {
    const HwNetwork* memoOf = nullptr; // the network the memo belongs to
    std::vector<LayerMemo> memo;       // per hardware layer
    bool useMemo = true;
    std::vector<LayerShape> shape;
    std::vector<LayerPerf> perf;
    std::vector<int> squeezeOn; // per (layer, port) slot (HwNetwork::portBase): squeeze or -1
    std::vector<LayerPerf> squeeze;
    std::vector<LayerResources> squeezeRes;
    std::vector<int> squeezeFrom, squeezeTo;
    std::vector<int> dist, pred, path;
    std::vector<std::int64_t> bufferDepth; // per port of one add / concat
    std::vector<int> predPort;             // per DAG edge into a layer: its input port
    std::vector<bool> isSplit;             // per DAG node
    PartitionDag dag;
};

// Evaluates the partition; appends a row per layer (and squeeze) to `rows` when given.
StreamingPartitionEstimate evaluatePartition(const HwNetwork& net,
                                             const std::vector<LayerFolding>& folding,
                                             const StreamingPartition& partition,
                                             const StreamingSettings& settings,
                                             PartitionScratch& scratch, int partitionIndex = 0,
                                             std::vector<StreamingLayerEstimate>* rows = nullptr);

// The conv / fc layer whose filters weights reloading splits: walking back from the output,
// through single-input layers, stopping at a split, add or concat (Partition.get_wr_layer).
int weightsReloadingLayer(const HwNetwork& net, const StreamingPartition& partition);

// The largest stream count a port may carry into (or out of) a layer of the given shape: a
// value its folding could take (conv: coarse_in x coarse_group), at most `limit`.
int portStreams(const HwLayer& layer, const LayerShape& shape, int limit, bool input);

} // namespace codesign
