#pragma once

// How a graph maps onto the exported tiled accelerator (docs/export.md, "The HLS design").
// Everything the HLS writer, the weight image, the testbench tables and the PYNQ driver
// need is decided here once, so that they cannot disagree.
#include "core/estimate/tiled/tiled_config.h"
#include "core/estimate/tiled/tiled_mapping.h"
#include "core/hw/device.h"
#include "core/model/graph.h"
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign::hls {

struct Interval {
    int lo = 0;
    int hi = 0; // exclusive
    bool empty() const { return hi <= lo; }
    int size() const { return empty() ? 0 : hi - lo; }
};

// A tensor held in the tile memory while a group runs: an input read from DDR, or the
// output of a node (after its fused chain).
struct TileTensor {
    int node = -1;        // producer node; -1 is the network input
    bool loaded = false;  // read from DDR (an input of the group) rather than computed
    bool blocked = false; // a channel-blocked group's input or prefix output: holds a block
    int channels = 0;
    int height = 0;
    int width = 0;
    int base = 0; // offset in each bank of the tile memory
    int rows = 0; // allocated extent (the largest region over the tiles)
    int cols = 0;
    // Per tile row / column: the region held (need) and the part this tile owns.
    std::vector<Interval> needRows, needCols, ownRows, ownCols;
};

struct PlanNode {
    Unit unit = Unit::Pool;         // after fusing (tiled_mapping.h)
    int chainEnd = -1;              // the last fused node after it (itself when none)
    std::vector<int> fused;         // relu/relu6/bn folded into its output stage, in order
    int tensor = -1;                // its TileTensor in its group (for chain heads)
    int formatId = 0;               // index into HlsPlan::formats
    std::int64_t weightOffset = -1; // element offset of its weights in the weight image
    std::int64_t biasOffset = -1;
    bool stored = false;       // written to DDR
    std::int64_t ddrBase = -1; // word offset of its tensor in the feature-map buffer
};

struct PlanGroup {
    int index = 0;    // into Graph::groups
    std::string name; // "B1"
    bool hostOnly = false;
    int tileRows = 1; // tile on the reference grid (the first node's output)
    int tileCols = 1;
    int tilesDown = 1;
    int tilesAcross = 1;
    bool singleTile = false; // a layer inside needs its whole input (fc, global_avgpool)
    std::vector<TileTensor> tensors;
    std::vector<int> computeOrder; // chain heads, in graph order
    int depth = 0;                 // tile-memory words per bank this group uses
    // Channel blocking (docs/estimator.md, "Channel blocking"): the reduction R (-1: the
    // group runs on whole tensors), its input channels C, the block b, and the loops
    // around the prefix and R: ceil(C / b) input blocks, ceil(Cout_R / Tm) output blocks.
    int reduction = -1;
    int blockChannels = 0;
    int block = 0;
    int inBlocks = 1;
    int outBlocks = 1;
    bool blocked() const { return reduction >= 0; }
};

struct HlsPlan {
    TiledConfig config;
    Device device;
    int banks = 1;        // tile-memory banks: max(Tn, Tm, dw_parallel)
    int dwLanes = 1;      // taps the DW unit unrolls: the largest window
    int maxPost = 1;      // longest fused chain
    int maxInputs = 1;    // most operands of an add / concat
    int maxAddInputs = 1; // most operands of an add (the pool unit unrolls to it)
    FixedType act;        // storage format of every activation (holds each layer's exactly)
    FixedType wgt;        // storage format of every weight
    FixedType acc;        // accumulator: exact for every product sum of the network
    FixedType poolSum;    // sum of an average-pooling window
    FixedType poolAvg;    // that sum times the reciprocal
    int actContainer = 8; // bits per element in DDR
    int wgtContainer = 8;
    std::vector<FixedType> formats; // distinct activation formats, by formatId
    int tileDepth = 1;              // tile memory words per bank (max over groups)
    int psumDepth = 1;              // PW partial sums: the largest PW region
    std::int64_t fmWords = 0;       // feature-map buffer, port words
    std::int64_t weightWords = 0;   // weight image, port words
    int pwBlockElems = 0;           // Tm x Tn, rounded up to whole words
    int dwBlockElems = 0;           // dw_parallel x lanes, rounded up to whole words
    int winH = 1;                   // DW window registers: the largest window (dwWindow)
    int winW = 1;
    int lineCols = 1;            // DW line buffer: the widest input box a DW call streams
    bool dwStraddle = false;     // a blocked DW prefix layer's blocks are not Pd-aligned
    std::vector<PlanNode> nodes; // like Graph::nodes
    std::vector<PlanGroup> groups;
    std::int64_t inputDdrBase = 0;

    int perWord(int container) const { return device.memory.axiPortBits / container; }
};

// Builds the plan; an unsupported network or precision comes back as a diagnostic that
// names the layer.
Result<HlsPlan> planAccelerator(const Graph& graph, const TiledConfig& config,
                                const Device& device);

} // namespace codesign::hls
