#include "export_cycles.h"

#include "core/estimate/tiled/tiled_model.h"
#include "core/hw/memory_model.h"
#include "core/util/int_math.h"

#include <algorithm>

namespace codesign::hls {
namespace {

using namespace exportloops;

struct Cost {
    std::int64_t compute = 0;
    std::int64_t weights = 0;
    void add(const Cost& c) {
        compute += c.compute;
        weights += c.weights;
    }
};

// The channels a unit call covers (cs_region's ch0/ch1, out0/out1): all of them but in a
// channel-blocked group's loops.
struct Channels {
    int lo = 0;
    int hi = 1 << 30;
    int outLo = 0;
    int outHi = 1 << 30;
};

class Walker {
public:
    Walker(const HlsPlan& p, const Graph& g)
        : p_(p), g_(g), mem_(p.device.memory, p.config.clockMhz) {
        const TiledConfig& c = p.config;
        actPerWord_ = std::max(1, p.perWord(p.actContainer));
        wgtPerWord_ = std::max(1, p.perWord(p.wgtContainer));
        moveII_ = moveIi(actPerWord_, p.banks);
        tn_ = c.pwIn;
        tm_ = c.pwOut;
        pd_ = c.dwParallel;
    }

    ExportCycles run() const {
        ExportCycles r;
        for (const PlanGroup& pg : p_.groups) {
            ExportGroupCycles gc;
            gc.group = pg.index;
            if (!pg.hostOnly)
                walkGroup(pg, gc);
            r.total += gc.cycles;
            r.groups.push_back(gc);
        }
        return r;
    }

private:
    // cs_load / cs_store: for each channel word, for each row, a pipelined loop over the
    // columns that ends after the burst's latency (reads: the first beat's; writes: the
    // response's).
    std::int64_t move(int channels, int rows, int cols, DdrAccess access) const {
        return moveWords(ceilDiv(channels, actPerWord_), rows, cols, access);
    }
    std::int64_t moveWords(std::int64_t words, int rows, int cols, DdrAccess access) const {
        if (rows <= 0 || cols <= 0)
            return 0;
        return words * rows * mem_.burst(cols, moveII_, access);
    }

    // cs_dw_fetch of the lane block from channel cb: one image block, or two when a
    // channel block puts cb inside one; then the biases.
    std::int64_t dwFetch(const Node& n, int cb) const {
        const std::int64_t block = mem_.burst(p_.dwBlockElems / wgtPerWord_, 1, DdrAccess::Read);
        const bool straddles = cb % pd_ != 0 && (cb / pd_ + 1) * pd_ < n.out.c;
        return block * (straddles ? 2 : 1) + mem_.burst(pd_, 1, DdrAccess::Read);
    }

    // Post-stage parameters (cs_load_post), loaded only for a folded batch norm: per
    // folded stage a loop of two reads per lane.
    std::int64_t post(int head, int lanes) const {
        bool bn = g_.nodes[head].op == Op::Bn;
        for (int f : p_.nodes[head].fused)
            bn = bn || g_.nodes[f].op == Op::Bn;
        return bn ? p_.maxPost * mem_.burst(2 * std::int64_t(lanes), 1, DdrAccess::Read) : 0;
    }

    // One unit call over a region of rows x cols (its need region) and the channels `ch`,
    // loop by loop.
    Cost unitCall(int head, int rows, int cols, Channels ch = {}) const {
        Cost k;
        if (rows <= 0 || cols <= 0)
            return k;
        const Node& n = g_.nodes[head];
        const std::int64_t px = std::int64_t(rows) * cols;
        const std::int64_t postTm = post(head, tm_); // per output block
        const std::int64_t postPd = post(head, pd_);
        switch (p_.nodes[head].unit) {
        case Unit::Pw: {
            const bool fc = n.op == Op::Fc;
            const int groups = fc ? 1 : std::max(1, n.groups);
            const std::int64_t ipg = fc ? n.in.elements() : n.in.c / groups;
            const int opg = n.out.c / groups;
            const int taps = fc ? 1 : n.kernelH * n.kernelW;
            const int ii = fc ? fcIi(tn_, n.in.h * n.in.w) : 1;
            // Weight blocks ping-pong: a pass waits for the next block's fetch only
            // when the fetch is longer; the first block is fetched before the passes.
            const std::int64_t fetch =
                mem_.burst(p_.pwBlockElems / wgtPerWord_, 1, DdrAccess::Read);
            // the call's input channels [ci0, ci1) and output channels [co0, co1)
            const std::int64_t ci0 = ch.lo, ci1 = std::min<std::int64_t>(ch.hi, ipg);
            const int co0 = ch.outLo, co1 = std::min(ch.outHi, opg);
            std::int64_t blocks = std::int64_t(groups) * ceilDiv(co1 - co0, tm_) *
                                  ceilDiv(ci1 - ci0, std::int64_t(tn_)) * taps;
            const bool closes = ci1 == ipg; // the call that runs the output stage
            const std::int64_t pass = px * ii + pwPassDepth(tn_); // one flat loop
            k.weights += fetch;
            for (int grp = 0; grp < groups; ++grp)
                for (int cob = co0; cob < co1; cob += tm_) {
                    if (closes) // biases, bn parameters
                        k.weights += mem_.burst(tm_, 1, DdrAccess::Read) + postTm;
                    for (std::int64_t cib = ci0; cib < ci1; cib += tn_)
                        for (int t = 0; t < taps; ++t) {
                            k.compute += pass;
                            if (--blocks > 0)
                                k.weights += std::max<std::int64_t>(0, fetch - pass);
                        }
                }
            break;
        }
        case Unit::Dw: {
            // weights and biases of a block, fetched beside the stream of the block before
            const DwWindow w = dwWindow(n.op == Op::Fuse, n.kernelH, n.kernelW, n.padH, n.padW);
            // the input box the line buffer streams, a pixel per cycle
            const std::int64_t stream =
                std::int64_t((rows - 1) * n.stride + w.height) * ((cols - 1) * n.stride + w.width) +
                dwDepth(p_.dwLanes);
            const int end = std::min(ch.hi, n.out.c);
            k.weights += dwFetch(n, ch.lo);
            for (int cb = ch.lo; cb < end; cb += pd_) {
                k.weights += postPd;
                k.compute += stream;
                if (cb + pd_ < end)
                    k.weights += std::max<std::int64_t>(0, dwFetch(n, cb + pd_) - stream);
            }
            break;
        }
        case Unit::Pool: {
            const int taps = n.op == Op::MaxPool || n.op == Op::AvgPool ? n.kernelH * n.kernelW
                             : n.op == Op::GlobalAvgPool                ? n.in.h * n.in.w
                                                                        : 1;
            for (int cb = ch.lo; cb < std::min(ch.hi, n.out.c); cb += tm_) {
                k.weights += postTm;
                // one flat loop over (pixel, tap)
                k.compute += px * taps * poolIi(p_.maxAddInputs) + kPoolDepth;
            }
            break;
        }
        case Unit::Store:
            for (int cb = 0; cb < n.out.c; cb += tm_) {
                k.weights += postTm;
                k.compute += px * remapIi(n.op, n.factor, tm_) + kRemapDepth;
            }
            break;
        default:
            break;
        }
        return k;
    }

    // A channel-blocked group's loops (docs/estimator.md, "Channel blocking"): per output
    // block of R and input block, the block's load, the prefix on its channels and R's
    // passes over them; all inside the tile's compute.
    Cost blockedLoops(const PlanGroup& pg, int i, int j, std::int64_t& load) const {
        Cost units;
        const TileTensor& in = pg.tensors.front();
        for (int o = 0; o < pg.outBlocks; ++o)
            for (int k = 0; k < pg.inBlocks; ++k) {
                const int k0 = k * pg.block;
                const int k1 = std::min(k0 + pg.block, pg.blockChannels);
                // cs_load reads the whole words that hold the block's channels
                const std::int64_t words = ceilDiv(k1, actPerWord_) - k0 / actPerWord_;
                load +=
                    moveWords(words, in.needRows[i].size(), in.needCols[j].size(), DdrAccess::Read);
                for (int head : pg.computeOrder) {
                    if (head > pg.reduction)
                        break;
                    const TileTensor& x = pg.tensors[p_.nodes[head].tensor];
                    Channels ch{k0, k1};
                    if (head == pg.reduction)
                        ch = {k0, k1, o * tm_, o * tm_ + tm_};
                    units.add(unitCall(head, x.needRows[i].size(), x.needCols[j].size(), ch));
                }
            }
        return units;
    }

    void walkGroup(const PlanGroup& pg, ExportGroupCycles& gc) const {
        const int tiles = pg.tilesDown * pg.tilesAcross;
        gc.tiles = tiles;
        std::int64_t previousBusy = 0; // compute + store of the tile before
        for (int t = 0; t < tiles; ++t) {
            const int i = t / pg.tilesAcross;
            const int j = t % pg.tilesAcross;
            std::int64_t load = 0;
            for (const TileTensor& x : pg.tensors)
                if (x.loaded && !x.blocked)
                    load += move(x.channels, x.needRows[i].size(), x.needCols[j].size(),
                                 DdrAccess::Read);
            std::int64_t blockLoad = 0; // a blocked input's loads, inside the compute
            Cost units = pg.blocked() ? blockedLoops(pg, i, j, blockLoad) : Cost{};
            for (int head : pg.computeOrder) {
                if (head <= pg.reduction)
                    continue;
                const TileTensor& x = pg.tensors[p_.nodes[head].tensor];
                units.add(unitCall(head, x.needRows[i].size(), x.needCols[j].size()));
            }
            std::int64_t store = 0;
            for (int head : pg.computeOrder) {
                const PlanNode& end = p_.nodes[p_.nodes[head].chainEnd];
                if (!end.stored)
                    continue;
                const TileTensor& x = pg.tensors[p_.nodes[head].tensor];
                store +=
                    move(x.channels, x.ownRows[i].size(), x.ownCols[j].size(), DdrAccess::Write);
            }
            const std::int64_t busy = blockLoad + units.compute + units.weights + store;
            // Double-buffered tile loop: iteration t loads tile t while tile t-1 computes.
            if (p_.config.doubleBuffer)
                gc.cycles += t == 0 ? load : std::max(load, previousBusy);
            else
                gc.cycles += load + busy;
            previousBusy = busy;
            gc.load += load + blockLoad;
            gc.compute += units.compute;
            gc.weights += units.weights;
            gc.store += store;
        }
        if (p_.config.doubleBuffer)
            gc.cycles += previousBusy;
    }

    const HlsPlan& p_;
    const Graph& g_;
    MemoryTiming mem_;
    int actPerWord_ = 1;
    int wgtPerWord_ = 1;
    int moveII_ = 1;
    int tn_ = 1, tm_ = 1, pd_ = 1;
};

} // namespace

ExportCycles exportCycles(const HlsPlan& plan, const Graph& graph) {
    return Walker(plan, graph).run();
}

} // namespace codesign::hls
