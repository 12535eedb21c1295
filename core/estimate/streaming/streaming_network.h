#pragma once

// The network as fpgaConvNet's streaming hardware sees it: one hardware layer per layer
// of the graph, with split layers where a tensor feeds several layers, batch norm folded
// into the conv before it, a FuSe layer as its two depthwise branches, and the bounding-box
// head left to the host (docs/estimator.md, "Streaming: the layers"). Everything here is
// independent of the folding; the estimator reads it on every evaluation.
#include "../../model/graph.h"
#include "../../model/streaming_spec.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign {

enum class HwKind : std::uint8_t {
    Conv,         // conv, dwconv, pwconv, the branches of fuse
    InnerProduct, // fc
    Pool,         // maxpool, avgpool
    GlobalPool,   // global_avgpool
    Relu,         // relu, relu6
    BatchNorm,    // a bn that no conv absorbs
    EltWise,      // add
    Concat,       // concat, the join of fuse
    Split,        // added where a tensor feeds several layers; the fork of fuse (full)
    Chop,         // the channel split of fuse (half)
    Resize,       // upsample
    Reorg,        // reorg (space to depth; not in fpgaConvNet, our model)
};

// Conv-style layers take coarse_in, coarse_out, fine and coarse_group; the others one coarse.
inline bool hasConvFolding(HwKind k) {
    return k == HwKind::Conv || k == HwKind::InnerProduct;
}

struct HwLayer {
    std::string name;
    std::string op; // as reports name it: the graph op, or "split", "chop", "concat"
    HwKind kind = HwKind::Relu;
    int node = -1;           // the graph node it comes from; -1 for a split the mapping adds
    std::vector<int> inputs; // hardware layers feeding it, one per port; -1 = network input
    int rows = 1, cols = 1, channels = 1; // input of port 0 (fc: 1 x 1 x C*H*W)
    int rowsOut = 1, colsOut = 1, channelsOut = 1;
    std::vector<int> portChannels; // concat: channels of each input port; chop: of each output
    int filters = 0;               // conv, fc: output channels
    int groups = 1;
    int kernelH = 1, kernelW = 1, strideH = 1, strideW = 1;
    int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
    bool bias = false;
    bool maxPool = true;
    bool clip6 = false; // relu6
    int factor = 1;     // upsample, reorg
    int portsOut = 1;   // split, chop
    int dataBits = 16, weightBits = 16, accBits = 30;
    SourcePos pos;
    // Derived once (the chisel backend pads, then slides the window over the padded frame):
    int paddedRows = 1, paddedCols = 1;
    double padRate = 1;    // rows*cols / padded: the pad module's rate in
    double windowRate = 1; // rowsOut*colsOut / padded: the sliding window's rate out
};

// Fills the derived fields of a layer (padded frame, pad and window rates).
void deriveWindow(HwLayer& layer);

// A graph node's name and the hardware layers that carry it (none for bbox_head).
struct HwAlias {
    std::string name;
    std::vector<int> layers;
    bool host = false; // runs on the processor (bbox_head)
};

struct HwNetwork {
    std::vector<HwLayer> layers;             // a topological order (the graph's)
    std::vector<std::vector<int>> consumers; // per layer: the layers reading it
    std::vector<int> crossing;               // per cut after layer i: edges that cross it
    std::vector<int> portBase;    // per layer: its first (layer, port) slot; back(): all slots
    std::vector<char> chainLink;  // per layer: one input and at most one consumer
    std::vector<HwAlias> aliases; // graph node names -> hardware layers
    int outputLayer = 0;          // the layer whose output leaves the FPGA
    std::string sourceFile;

    int find(const std::string& name) const;                 // hardware layer by name, -1
    const HwAlias* findAlias(const std::string& name) const; // graph node name, or nullptr
};

// Maps the graph; errors name the layer (a dead-end branch, a layer after bbox_head).
Result<HwNetwork> buildHwNetwork(const Graph& graph, const StreamingPrecision& precision,
                                 const std::string& sourceFile = {});

} // namespace codesign
