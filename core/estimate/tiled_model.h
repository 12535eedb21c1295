#pragma once

#include "../hw/device.h"
#include "../model/graph.h"
#include "estimate.h"

#include <cstdint>
#include <vector>

namespace codesign {

// A DDR tensor read or written by a group, at its resolution relative to the group's
// reference grid (the first layer's output).
struct TensorTransfer {
    int channels = 0;
    int height = 0;
    int width = 0;
    int container = 8; // bits per element in DDR (a power of two >= 8)
    int haloRows = 0;  // extra rows/cols around each tile (input windows)
    int haloCols = 0;
};

// Everything the tiled estimator needs about one layer, computed once per network so that
// each estimate is a few hundred integer operations (docs/estimator.md, "Speed").
struct TiledNode {
    Unit unit = Unit::Fused;
    Op op = Op::Relu;
    int inC = 0, inH = 0, inW = 0;
    int outC = 0, outH = 0, outW = 0;
    int kernelArea = 1; // PW unit: K*K passes; DW unit: window taps
    int groups = 1;
    int branches = 1; // fuse full: both 1xK and Kx1 on every channel
    bool fc = false;  // fc: Cin = all input features, one output pixel
    std::int64_t params = 0;
    std::int64_t weightWords = 0; // weights streamed per tile (params, bias included)
    int weightBits = 8;
    int activationBits = 8;
    int weightContainer = 8;
    int activationContainer = 8;
    bool onChipOutput = false; // its output is a buffer inside the group
};

struct TiledGroup {
    int first = 0;
    int last = 0;
    int refH = 1; // the tile grid is laid over the first layer's output
    int refW = 1;
    std::vector<TensorTransfer> loads;  // read from DDR per tile
    std::vector<TensorTransfer> stores; // written to DDR per tile
    bool hostOnly = false;              // nothing runs on the FPGA (bbox_head)
};

struct TiledModel {
    Device device;
    std::int64_t macs = 0; // per image, from the graph
    std::int64_t params = 0;
    std::vector<TiledNode> nodes;
    std::vector<TiledGroup> groups;
    bool hasPw = false;
    bool hasDw = false;
    int dwLanes = 9;      // multipliers per DW channel lane: the largest window
    int pwWeightBits = 8; // the units are built for the widest precision they run
    int pwActivationBits = 8;
    int dwWeightBits = 8;
    int dwActivationBits = 8;
    int pwAccBits = 32; // accumulator width, full precision
    int dwAccBits = 24;
    int maxActivationBits = 8;
    int maxPoolWindow = 4;
};

TiledModel buildTiledModel(const Graph& graph, const Device& device);

// Bits an element occupies in DDR: the next power of two, at least a byte.
int containerBits(int bits);

} // namespace codesign
