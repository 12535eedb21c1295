#pragma once

// What a streaming estimate reports (docs/estimator.md, "Streaming"). Value types only.
#include "../../hw/resources.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign {

// A partition: the hardware layers first .. last (network order), on the FPGA together.
struct StreamingPartition {
    int first = 0;
    int last = 0;
    int weightsReloading = 1;
    friend bool operator==(const StreamingPartition&, const StreamingPartition&) = default;
};

// One row per hardware layer, and one per squeeze layer the partition needs.
struct StreamingLayerEstimate {
    int layer = -1; // hardware layer; -1 for a squeeze
    int partition = 0;
    int squeezeFrom = -1; // a squeeze: the layers it sits between (-1: the partition's port)
    int squeezeTo = -1;
    int streamsIn = 1;
    int streamsOut = 1;
    double intervalCycles = 0;      // the layer's latency per image (fpgaConvNet's interval)
    double pipelineDepthCycles = 0; // sum of its modules' depths
    int coarseIn = 1;
    int coarseOut = 1;
    int fine = 1;
    double dsp = 0;
    std::int64_t bram18 = 0;
    std::int64_t lut = 0;
    std::int64_t ff = 0;
    bool slowest = false; // sets its partition's interval
};

struct StreamingPartitionEstimate {
    StreamingPartition range;
    int wrLayer = -1;               // the conv / fc whose filters reloading splits; -1 none
    double intervalCycles = 0;      // slowest layer, squeeze layers included
    double pipelineDepthCycles = 0; // along the longest path
    std::int64_t cycles = 0;        // one batch, weights reloading included
    double slowDown = 1;            // > 1 when the off-chip bandwidth limits the partition
    double bandwidthInGbps = 0;
    double bandwidthOutGbps = 0;
    double bandwidthGbps = 0;
    double dsp = 0; // fpgaConvNet's sum (may hold a half from packed fc layers)
    std::int64_t bram18 = 0;
    std::int64_t lut = 0;
    std::int64_t ff = 0;
    int slowestLayer = -1; // hardware layer (or -1: a squeeze) that sets the interval
    int squeezes = 0;
};

// What limits the design, as data (describeStreamingBottleneck words it): the slowest
// partition's slowest layer or squeeze, its off-chip bandwidth, or the reconfigurations.
struct StreamingBottleneck {
    enum class Kind { None, Layer, Squeeze, Bandwidth, Reconfiguration };
    Kind kind = Kind::None;
    int partition = -1;
    int layer = -1; // Kind::Layer: the hardware layer
    double intervalCycles = 0;
    double slowDown = 1;
    int weightsReloading = 1;
    friend bool operator==(const StreamingBottleneck&, const StreamingBottleneck&) = default;
};

struct StreamingEstimate {
    std::vector<StreamingPartitionEstimate> partitions;
    std::vector<StreamingLayerEstimate> layers; // filled by detailed estimates only
    std::int64_t cycles = 0;                    // sum over partitions, one batch
    double computeMs = 0;                       // cycles / f
    double reconfigurationMs = 0;               // as charged by the convention
    double latencyMs = 0;                       // one batch, reconfiguration included
    double fps = 0;                             // batch / latency
    Resources used;       // per resource, the largest partition (each is configured alone)
    Resources available;  // the device
    PowerBreakdown power; // time-weighted over the partitions (docs/estimator.md)
    double powerW = 0;
    double energyPerImageMj = 0;
    std::int64_t macs = 0; // per image
    std::int64_t params = 0;
    bool feasible = true;
    std::vector<std::string> violations;
    StreamingBottleneck bottleneck;
};

} // namespace codesign
