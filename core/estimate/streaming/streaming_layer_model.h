#pragma once

// One hardware layer's timing under a folding, as fpgaConvNet's synchronous-dataflow model
// computes it (fpgaconvnet-model, models/layers/*.py and models/modules/*.py, chisel
// backend): a chain of modules, each with a rate in and out; the layer's latency is the
// slowest module, its rate in comes from balancing the chain, its pipeline depth is the sum
// of the modules'. docs/estimator.md, "Streaming: layers and modules", has every formula.
#include "streaming_network.h"

#include <cstdint>

namespace codesign {

struct LayerFolding {
    int coarseIn = 1; // single-coarse layers keep coarseIn == coarseOut == coarse
    int coarseOut = 1;
    int coarseGroup = 1;
    int fine = 1;
    friend bool operator==(const LayerFolding&, const LayerFolding&) = default;
};

// The shape a layer works on inside a partition: weights reloading divides the filters of the
// partition's last conv (and the channels after it) by the reloading factor.
struct LayerShape {
    int channels = 0; // input channels (port 0)
    int filters = 0;  // conv, fc
    int channelsOut = 0;
    friend bool operator==(const LayerShape&, const LayerShape&) = default;
};

struct LayerPerf {
    double latency = 0;       // cycles per image: fpgaConvNet's layer latency (its interval)
    double rateIn = 1;        // words per cycle per stream, after balancing the module chain
    double depth = 0;         // pipeline depth, cycles
    std::int64_t sizeIn = 0;  // words per stream in (port 0)
    std::int64_t sizeOut = 0; // words per stream out
    int streamsIn = 1;
    int streamsOut = 1;
};

inline LayerShape baseShape(const HwLayer& layer) {
    return {layer.channels, layer.filters, layer.channelsOut};
}

LayerPerf layerPerf(const HwLayer& layer, const LayerShape& shape, const LayerFolding& folding);

// A squeeze layer (fpgaConvNet SqueezeLayer): re-packs `channels` from streamsIn to
// streamsOut streams.
LayerPerf squeezePerf(int rows, int cols, int channels, int streamsIn, int streamsOut);

// fpgaConvNet's balance_module_rates (models/layers/utils.py) on a chain of modules given as
// (rate in, rate out) pairs; returns the balanced rate into the first module. `rates` is
// overwritten.
double balancedRateIn(double (*rates)[2], int modules);

// Output streams of a chop port: fpgaConvNet's ChopLayer coarse rule.
int chopStreamsOut(const HwLayer& layer, int coarse, int port);

} // namespace codesign
