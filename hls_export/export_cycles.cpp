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
        if (rows <= 0 || cols <= 0)
            return 0;
        return ceilDiv(channels, actPerWord_) * rows * mem_.burst(cols, moveII_, access);
    }

    // Post-stage parameters (cs_load_post), loaded only for a folded batch norm: per
    // folded stage a loop of two reads per lane.
    std::int64_t post(int head, int lanes) const {
        bool bn = g_.nodes[head].op == Op::Bn;
        for (int f : p_.nodes[head].fused)
            bn = bn || g_.nodes[f].op == Op::Bn;
        return bn ? p_.maxPost * mem_.burst(2 * std::int64_t(lanes), 1, DdrAccess::Read) : 0;
    }

    // One unit call over a region of rows x cols (its need region), loop by loop.
    Cost unitCall(int head, int rows, int cols) const {
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
            std::int64_t blocks =
                std::int64_t(groups) * ceilDiv(opg, tm_) * ceilDiv(ipg, std::int64_t(tn_)) * taps;
            const std::int64_t pass = px * ii + pwPassDepth(tn_); // one flat loop
            k.weights += fetch;
            for (int grp = 0; grp < groups; ++grp)
                for (int cob = 0; cob < opg; cob += tm_) {
                    k.weights +=
                        mem_.burst(tm_, 1, DdrAccess::Read) + postTm; // biases, bn parameters
                    for (std::int64_t cib = 0; cib < ipg; cib += tn_)
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
            const std::int64_t fetch =
                mem_.burst(p_.dwBlockElems / wgtPerWord_, 1, DdrAccess::Read) +
                mem_.burst(pd_, 1, DdrAccess::Read);
            const DwWindow w = dwWindow(n.op == Op::Fuse, n.kernelH, n.kernelW, n.padH, n.padW);
            // the input box the line buffer streams, a pixel per cycle
            const std::int64_t stream =
                std::int64_t((rows - 1) * n.stride + w.height) * ((cols - 1) * n.stride + w.width) +
                dwDepth(p_.dwLanes);
            k.weights += fetch;
            for (int cb = 0; cb < n.out.c; cb += pd_) {
                k.weights += postPd;
                k.compute += stream;
                if (cb + pd_ < n.out.c)
                    k.weights += std::max<std::int64_t>(0, fetch - stream);
            }
            break;
        }
        case Unit::Pool: {
            const int taps = n.op == Op::MaxPool || n.op == Op::AvgPool ? n.kernelH * n.kernelW
                             : n.op == Op::GlobalAvgPool                ? n.in.h * n.in.w
                                                                        : 1;
            for (int cb = 0; cb < n.out.c; cb += tm_) {
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

    void walkGroup(const PlanGroup& pg, ExportGroupCycles& gc) const {
        const int tiles = pg.tilesDown * pg.tilesAcross;
        gc.tiles = tiles;
        std::int64_t previousBusy = 0; // compute + store of the tile before
        for (int t = 0; t < tiles; ++t) {
            const int i = t / pg.tilesAcross;
            const int j = t % pg.tilesAcross;
            std::int64_t load = 0;
            for (const TileTensor& x : pg.tensors)
                if (x.loaded)
                    load += move(x.channels, x.needRows[i].size(), x.needCols[j].size(),
                                 DdrAccess::Read);
            Cost units;
            for (int head : pg.computeOrder) {
                const TileTensor& x = pg.tensors[p_.nodes[head].tensor];
                const Cost k = unitCall(head, x.needRows[i].size(), x.needCols[j].size());
                units.compute += k.compute;
                units.weights += k.weights;
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
            const std::int64_t busy = units.compute + units.weights + store;
            // Double-buffered tile loop: iteration t loads tile t while tile t-1 computes.
            if (p_.config.doubleBuffer)
                gc.cycles += t == 0 ? load : std::max(load, previousBusy);
            else
                gc.cycles += load + busy;
            previousBusy = busy;
            gc.load += load;
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
