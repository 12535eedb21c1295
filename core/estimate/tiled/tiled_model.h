#pragma once

#include "../../hw/device.h"
#include "../../model/graph.h"
#include "tiled_detail.h"
#include "tiled_mapping.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace codesign {

// A DDR tensor read or written by a group, at its resolution relative to the group's
// reference grid (the first layer's output).
struct TensorTransfer {
    int channels = 0;
    int height = 0;
    int width = 0;
    int container = 8; // bits per element in DDR (a power of two >= 8)
};

// The DW unit's window (cs_units.h, cs_dw_unit): the box of input pixels, relative to
// (y * stride, x * stride), that holds every tap of output pixel (y, x); for FuSe the taps
// of both branches (1 x K along the row, K x 1 along the column, K = kernelH).
struct DwWindow {
    int top = 0;
    int height = 1;
    int left = 0;
    int width = 1;
};
inline DwWindow dwWindow(bool fuse, int kernelH, int kernelW, int padH, int padW) {
    if (!fuse)
        return {-padH, kernelH, -padW, kernelW};
    DwWindow w;
    w.top = std::min(0, -padH);
    w.height = std::max(1, kernelH - padH) - w.top;
    w.left = std::min(0, -padW);
    w.width = std::max(1, kernelH - padW) - w.left;
    return w;
}

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
    // Exported design: a chain head is one unit call (fused relu/bn ride along) over its
    // need region: its own tile plus the halo later windows of the group read.
    bool head = false;
    int poolTaps = 1; // pool unit: window taps per output pixel
    int fcPlane = 1;  // fc: input pixels per channel (lanes sharing a bank)
    int stride = 1;
    int factor = 1;      // reorg / upsample factor
    DwWindow window;     // DW unit: the input box of one output pixel
    bool postBn = false; // a batch norm is folded into its call: parameters to load
};

// How a consumer's need region widens what it reads of its producer (export_plan.cpp,
// inputInterval), along rows (R) or columns (C).
enum class HaloKind : std::uint8_t { Window, Fuse, Whole, Reorg, Upsample, Same };
struct HaloEdge {
    int producer = -1; // node index; -1 and below: load -1 - k of the group
    int consumer = 0;  // node index
    HaloKind kind = HaloKind::Same;
    int scale = 1; // stride or factor
    int kR = 1, kC = 1, padR = 0, padC = 0;
};

// How far a need region extends beyond a tensor's own tile, below (lo) and above (hi).
struct HaloExtent { // trivial, so scratch arrays of it are not zeroed twice
    double lo;
    double hi;
};
inline HaloExtent widest(HaloExtent a, HaloExtent b) {
    return {std::max(a.lo, b.lo), std::max(a.hi, b.hi)};
}

// What the producer of edge h must hold when its consumer's need extends `out` beyond
// the consumer's own tile (export_plan.cpp, inputInterval with the tile edges scaled
// through the stride). `misalign` is the mean offset of the producer's own tile edge from
// the consumer's scaled one; `size` is the producer's extent (a whole-input consumer).
inline HaloExtent widenHalo(const HaloEdge& h, bool rows, HaloExtent out, double misalign,
                            int size) {
    const int k = rows ? h.kR : h.kC;
    const int pad = rows ? h.padR : h.padC;
    const int s = h.scale;
    switch (h.kind) {
    case HaloKind::Window:
        return {std::max(0.0, out.lo * s + pad + misalign),
                std::max(0.0, out.hi * s + k - s - pad - misalign)};
    case HaloKind::Fuse: // the window of one branch united with the point of the other
        return {std::max(0.0, out.lo * s + std::max(pad, 0) + misalign),
                std::max(0.0, out.hi * s + std::max(h.kR - s - pad, 1 - s) - misalign)};
    case HaloKind::Whole:
        return {double(size), double(size)};
    case HaloKind::Reorg:
        return {out.lo * s + misalign, std::max(0.0, out.hi * s - misalign)};
    case HaloKind::Upsample:
        return {std::ceil(out.lo / s), std::ceil(out.hi / s)};
    case HaloKind::Same:
        break;
    }
    return out;
}

struct TiledGroup {
    std::string name; // the execution group's ("B1", "L4")
    int first = 0;
    int last = 0;
    int refH = 1; // the tile grid is laid over the first layer's output
    int refW = 1;
    std::vector<TensorTransfer> loads;  // read from DDR per tile
    std::vector<TensorTransfer> stores; // written to DDR per tile
    int tensors = 0;                    // in the tile memory: loads and unit-call outputs
    bool hostOnly = false;              // nothing runs on the FPGA (bbox_head)
    bool singleTile = false;            // fc / global_avgpool after the first layer
    int blockReduction =
        -1; // channel blocking: the reduction R when blockable (channel_blocking.h)
    // Consumer -> producer edges inside the group, producers last to first, then the
    // loads: walking them in order gives each tensor's need region (the halo depends on
    // how tile boundaries fall on strided layers, so on the tile size).
    std::vector<HaloEdge> haloEdges;
};

// The tile a group runs on: `tile` clipped to its map; the whole map when a layer inside
// needs its whole input (export_plan.cpp plans the same).
inline TileSize runTile(const TiledGroup& g, TileSize tile) {
    if (g.singleTile)
        return {g.refH, g.refW};
    return {std::clamp(tile.rows, 1, g.refH), std::clamp(tile.cols, 1, g.refW)};
}

struct TiledModel {
    Device device;
    std::int64_t macs = 0; // per image, from the graph
    std::int64_t params = 0;
    std::vector<TiledNode> nodes;
    std::vector<TiledGroup> groups;
    bool hasPw = false;
    bool hasDw = false;
    bool hasPool = false;  // a layer runs on the pool unit
    bool hasRemap = false; // a layer runs on the remap unit
    // What the exported code instantiates per network (the logic model's control part):
    // unit call sites (one per chain head), tensor loads and stores over all groups, the
    // groups on the fabric, and the layers' distinct output formats (cs_quantize's cases).
    int unitCalls[4] = {}; // PW, DW, pool, remap
    int loadCalls = 0;
    int storeCalls = 0;
    int fabricGroups = 0;
    int formats = 1;
    int dwLanes = 9;   // multipliers per DW channel lane: the largest window
    int dwWindowH = 1; // DW window registers: the largest window box (dwWindow)
    int dwWindowW = 1;
    int pwWeightBits = 8; // the units are built for the widest precision they run
    int pwActivationBits = 8;
    int dwWeightBits = 8;
    int dwActivationBits = 8;
    int pwAccBits = 32; // accumulator width: exact, as the export's acc_t
    int dwAccBits = 24;
    int maxActivationBits = 8;
    int maxPoolWindow = 4;
    // The export keeps every activation in one format and every weight in another.
    int actContainer = 8;
    int wgtContainer = 8;
    int maxPost = 1;      // longest relu/bn chain folded into one unit call
    int maxInputs = 1;    // most operands of an add / concat
    int maxAddInputs = 1; // most operands of an add (the pool unit's II)
};

// Loop timing of the exported units (resources/templates/hls/cs_units.h), shared by the
// estimator and hls_export/export_cycles.cpp. A pipelined loop of n iterations costs
// n * II + depth; a loop that reads DDR pays the first-beat latency instead of a depth.
namespace exportloops {
constexpr int kOutDepth = 5;   // PW output stage: bias add, quantize, post, write
constexpr int kPoolDepth = 4;  // pool unit: read, compare/add, quantize, write
constexpr int kRemapDepth = 3; // remap unit: read, quantize, write
inline int pwDepth(int tn) {   // buffer read, multiplier (3), adder tree, psum write
    int bits = 0;
    while ((1 << bits) < tn)
        ++bits;
    return 6 + bits;
}
// A PW pass: the last pass of an output block runs the output stage in the same pipeline.
inline int pwPassDepth(int tn) {
    return pwDepth(tn) + kOutDepth;
}
// The DW unit streams its input box through a line buffer at II 1 (one tile-memory read
// and one write per lane and cycle); its depth adds the window's multiplier tree.
inline int dwDepth(int lanes) {
    return pwDepth(lanes) + kOutDepth;
}
// Tile memory banks are dual-port BRAM, bank = channel % banks: an iteration that issues
// k accesses to one bank needs ceil(k / 2) cycles.
// Pool unit: the window read (an add's first operand), the add's other operands (unrolled
// to the most operands of any add, CS_MAX_ADD) and the write all hit the lane's bank in
// one iteration. The add shares the pipeline with the window operations, so a network with
// a 2-operand add runs every pool-unit layer at II 2; concats do not count.
inline int poolIi(int maxAddInputs) {
    return (std::max(1, maxAddInputs) + 2) / 2;
}
// Remap unit: one read per lane (a concat picks its operand first) and one write. Reorg
// lanes read the same input channel f^2 at a time: min(Tm, f^2) reads on one bank.
inline int remapIi(Op op, int factor, int tm) {
    if (op != Op::Reorg)
        return 1;
    const int sharing = std::min(std::max(1, tm), std::max(1, factor * factor));
    return (sharing + 2) / 2;
}
// fc: Tn consecutive elements of the flattened input share a channel, hence a bank.
inline int fcIi(int tn, int plane) {
    return std::max(1, (std::min(tn, plane) + 1) / 2);
}
// cs_load / cs_store move a port word of channels into (from) consecutive banks.
inline int moveIi(int perWord, int banks) {
    const int perBank = (perWord + banks - 1) / banks;
    return std::max(1, (perBank + 1) / 2);
}
} // namespace exportloops

TiledModel buildTiledModel(const Graph& graph, const Device& device);

// Scratch for need-region extents: on the stack for groups of usual size (estimates run
// millions of times in a search), on the heap beyond.
class HaloBuffers {
public:
    explicit HaloBuffers(std::size_t slots) {
        if (slots > kInline) {
            heapR_.resize(slots);
            heapC_.resize(slots);
            rows_ = heapR_.data();
            cols_ = heapC_.data();
        }
    }
    HaloBuffers(const HaloBuffers&) = delete;
    HaloBuffers& operator=(const HaloBuffers&) = delete;
    HaloExtent* rows() { return rows_; }
    HaloExtent* cols() { return cols_; }

private:
    static constexpr std::size_t kInline = 32;
    std::array<HaloExtent, kInline> stackR_;
    std::array<HaloExtent, kInline> stackC_;
    std::vector<HaloExtent> heapR_, heapC_;
    HaloExtent* rows_ = stackR_.data();
    HaloExtent* cols_ = stackC_.data();
};

// Need-region extents along one axis (rows or columns) of a group's nodes (slots
// 0..last-first) and loads (after them) for tiles of `ref` pixels along that axis: with
// `worst`, the largest over the tiles (what the buffers must hold), otherwise the mean
// (what the loops run over on average). The axes are independent: the rows depend on the
// tile's height only, the columns on its width only.
void groupAxisHalos(const TiledModel& m, const TiledGroup& g, bool rows, int ref, bool worst,
                    HaloExtent* ext);

// Bits an element occupies in DDR: the next power of two, at least a byte.
int containerBits(int bits);

} // namespace codesign
