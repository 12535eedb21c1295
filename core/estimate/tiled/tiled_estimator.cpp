#include "tiled_estimator.h"

#include "../../hw/memory_model.h"
#include "../../hw/power_model.h"
#include "channel_blocking.h"
#include "halo_memo.h"
#include "tile_geometry.h"
#include "tiled_resources.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace codesign {
namespace {

using namespace exportloops;

// kBlockLoad: a channel-blocked input, loaded block by block inside the tile's compute.
enum Stage { kLoad, kDw, kPw, kPool, kStore, kWeights, kDdr, kBlockLoad, kStageCount };

constexpr std::array<const char*, kStageCount> kStageNames{
    "memory: feature-map loads", "compute: DW unit",           "compute: PW unit",
    "compute: pool unit",        "memory: feature-map stores", "memory: weight loads",
    "memory: DDR bandwidth",     "memory: channel-block loads"};

// Sum over the `tiles` tiles along one axis of a region of `size` pixels cut into tiles,
// each widened by `halo` pixels at its inner edges (the halo clips at the borders).
std::int64_t sumExtent(int size, std::int64_t tiles, double halo) {
    const double sum = size + (tiles - 1) * halo + 0.5; // rounded to nearest
    return std::min<std::int64_t>(tiles * size, static_cast<std::int64_t>(sum));
}

// One axis of a node's tiles: the extent of the last tile (its own part and the halo at
// its inner edge) and the mean extent of the others, which sum to `sum` with it.
struct AxisSplit {
    double other = 0;
    double last = 0;
};
AxisSplit splitAxis(std::int64_t sum, std::int64_t tiles, int size, int refTile, int refSize,
                    double haloLo) {
    if (tiles <= 1)
        return {double(sum), double(sum)};
    const std::int64_t own = tileExtent(refTile, size, refSize);
    const double last =
        std::min(double(sum) / tiles, std::max<std::int64_t>(1, size - (tiles - 1) * own) + haloLo);
    return {(sum - last) / double(tiles - 1), last};
}

// Fetch time a unit waits for over all tiles: per tile, max(0, fetch - pass), with the
// tiles in four classes (inner, last row, last column, corner), since a pass shorter than
// the fetch of the next weight block exposes the difference.
template <class PassCycles>
double exposedFetch(double fetch, AxisSplit r, std::int64_t down, AxisSplit c, std::int64_t across,
                    PassCycles pass) {
    auto wait = [&](double rows, double cols) {
        return std::max(0.0, fetch - pass(rows, cols));
    };
    return double(down - 1) * double(across - 1) * wait(r.other, c.other) +
           double(down - 1) * wait(r.other, c.last) + double(across - 1) * wait(r.last, c.other) +
           wait(r.last, c.last);
}

// The configuration's constants of the unit loops (docs/estimator.md, "Unit calls"),
// computed once per estimate.
struct Timing {
    Timing(const TiledModel& model, const TiledConfig& c)
        : m(model), mem(model.device.memory, c.clockMhz) {
        const Device& dev = m.device;
        tn = std::max(1, c.pwIn);
        tm = std::max(1, c.pwOut);
        pd = std::max(1, c.dwParallel);
        doubleBuffer = c.doubleBuffer;
        config = &c;
        portBits = dev.memory.axiPortBits;
        const int banks = std::max({tn, tm, pd});
        actPerWord = std::max(1, portBits / m.actContainer);
        const int wgtPerWord = std::max(1, portBits / m.wgtContainer);
        moveII = moveIi(actPerWord, banks);
        readBeat = std::max(double(moveII), mem.readBeat);
        writeBeat = std::max(double(moveII), mem.writeBeat);
        dPw = pwPassDepth(tn);
        dDw = dwDepth(m.dwLanes);
        iiPool = poolIi(m.maxAddInputs);
        // One weight block fetch: a burst and its latency (DW: and the block's biases).
        const DdrAccess rd = DdrAccess::Read;
        pwFetch = mem.burst(ceilDiv(std::int64_t(tn) * tm, wgtPerWord), 1, rd);
        dwFetch = mem.burst(ceilDiv(std::int64_t(pd) * m.dwLanes, wgtPerWord), 1, rd) +
                  mem.burst(pd, 1, rd);
        // Per output block: the biases, and folded bn parameters, read from DDR.
        biasTm = mem.burst(tm, 1, rd);
        postTm = m.maxPost * mem.burst(2 * tm, 1, rd);
        postPd = m.maxPost * mem.burst(2 * pd, 1, rd);
    }
    const TiledModel& m;
    MemoryTiming mem;
    int tn = 1, tm = 1, pd = 1;
    bool doubleBuffer = true;
    const TiledConfig* config = nullptr;
    int portBits = 64;
    int actPerWord = 1;
    int moveII = 1;
    double readBeat = 1, writeBeat = 1; // cycles per word of a load / store burst
    int dPw = 1, dDw = 1, iiPool = 1;
    std::int64_t pwFetch = 0, dwFetch = 0, biasTm = 0, postTm = 0, postPd = 0;
};

// A stream of bursts to or from DDR over one image: its bytes, bursts and the bursts that
// open a new address run (the first of each tile row; a row continues the one before only
// when the tile spans the whole width).
struct Stream {
    double bytes = 0;
    double bursts = 0;
    double runs = 0;
    double randomShare() const { return bursts > 0 ? runs / bursts : 0; }
};

// A group's stages, summed over the tiles of one image.
struct GroupTime {
    std::int64_t stage[kStageCount] = {};
    std::int64_t bytes = 0;
    double ddr = 0; // cycles the DDR controller needs for the group's streams
    std::int64_t tiles = 1;
    TileSize tile; // as run: clipped to the map

    std::int64_t compute() const { return stage[kDw] + stage[kPw] + stage[kPool]; }
    std::int64_t busy() const {
        return compute() + stage[kWeights] + stage[kStore] + stage[kBlockLoad];
    }
    // Per tile the units run one after the other, then the stores; double buffering
    // overlaps the next tile's loads with that: first load, then max(load t+1, busy t),
    // last busy.
    std::int64_t cycles(bool doubleBuffer) const {
        const std::int64_t load = stage[kLoad];
        if (doubleBuffer)
            return (load + busy()) / tiles + std::max(load, busy()) * (tiles - 1) / tiles;
        return load + busy();
    }
};

// One group on the tile `tile`: every term is a sum over tiles of a region size, which
// factors into per-axis sums (sumExtent), so there is no loop over tiles. With `layers`,
// each head's entry gets its cycles (times `batch`).
GroupTime timeGroup(const Timing& t, std::size_t group, TileSize tile, LayerEstimate* layers,
                    TiledLayer* units, int batch, HaloMemo* memo) {
    const TiledModel& m = t.m;
    const TiledGroup& g = m.groups[group];
    const int tn = t.tn, tm = t.tm, pd = t.pd;
    const int dPw = t.dPw, dDw = t.dDw, iiPool = t.iiPool;
    const std::int64_t pwFetch = t.pwFetch, dwFetch = t.dwFetch;
    const std::int64_t postTm = t.postTm, postPd = t.postPd;
    GroupTime out;
    std::int64_t* stage = out.stage;
    std::int64_t& bytes = out.bytes;
    out.tile = runTile(g, tile);
    const int trRef = out.tile.rows;
    const int tcRef = out.tile.cols;
    const std::int64_t down = ceilDiv(g.refH, trRef);
    const std::int64_t across = ceilDiv(g.refW, tcRef);
    const std::int64_t tiles = down * across;

    // Need regions, consumers before producers: per node, then per load.
    const std::size_t count = static_cast<std::size_t>(g.last - g.first + 1);
    const GroupHalos halos(m, group, out.tile, false, memo);
    const HaloExtent* extR = halos.rows();
    const HaloExtent* extC = halos.cols();

    out.tiles = tiles;
    const ChannelBlocks blocking = channelBlocks(m, g, *t.config);
    for (int i = g.first; i <= g.last; ++i) {
        const TiledNode& n = m.nodes[i];
        if (!n.head)
            continue;
        const HaloExtent& er = extR[i - g.first];
        const HaloExtent& ec = extC[i - g.first];
        const std::int64_t sr = sumExtent(n.outH, down, er.lo + er.hi);
        const std::int64_t sc = sumExtent(n.outW, across, ec.lo + ec.hi);
        const std::int64_t px = sr * sc; // pixels over all tiles
        // The tiles' extents per axis, for the units that fetch weight blocks (PW, DW).
        const auto rowSplit = [&] {
            return splitAxis(sr, down, n.outH, trRef, g.refH, er.lo);
        };
        const auto colSplit = [&] {
            return splitAxis(sc, across, n.outW, tcRef, g.refW, ec.lo);
        };
        std::int64_t comp = 0;
        std::int64_t weights = 0;
        int unitStage = kPool;
        switch (n.unit) {
        case Unit::Pw: {
            const std::int64_t outBlocks = n.groups * ceilDiv(n.outC / n.groups, tm);
            const std::int64_t passes = ceilDiv(n.inC / n.groups, tn) * n.kernelArea;
            const int ii = n.fc ? fcIi(tn, n.fcPlane) : 1;
            // one flat pass per (input block, tap); the last runs the output stage
            comp = outBlocks * passes * (ii * px + dPw * tiles);
            // Weight blocks ping-pong: per tile the first fetch, then each pass but the
            // last waits for the next block's fetch where that is longer.
            const double exposed =
                exposedFetch(double(pwFetch), rowSplit(), down, colSplit(), across,
                             [&](double rows, double cols) { return ii * rows * cols + dPw; });
            const std::int64_t calls = blocking.pwCalls(i); // each fetches a block in the open
            weights = tiles * (calls * pwFetch + outBlocks * (t.biasTm + (n.postBn ? postTm : 0))) +
                      roundHalfAway(double(outBlocks * passes - calls) * exposed);
            unitStage = kPw;
            break;
        }
        case Unit::Dw: {
            const UnitBlocks ub = blocking.unitBlocks(i, n.outC, pd);
            const std::int64_t blocks = ub.blocks;
            // The line buffer streams each tile's input box, (rows - 1) * s + height
            // by (cols - 1) * s + width, summed over the tiles per axis.
            const int s = n.stride;
            const std::int64_t boxR = s * sr + down * (n.window.height - s);
            const std::int64_t boxC = s * sc + across * (n.window.width - s);
            comp = blocks * (boxR * boxC + dDw * tiles);
            // weights and biases ping-pong as in the PW unit
            const double exposed = exposedFetch(double(dwFetch), rowSplit(), down, colSplit(),
                                                across, [&](double rows, double cols) {
                                                    return ((rows - 1) * s + n.window.height) *
                                                               ((cols - 1) * s + n.window.width) +
                                                           dDw;
                                                });
            weights = tiles * (ub.calls * dwFetch + (n.postBn ? blocks * postPd : 0)) +
                      roundHalfAway(double(blocks - ub.calls) * exposed);
            unitStage = kDw;
            break;
        }
        case Unit::Pool: {
            const std::int64_t blocks = blocking.unitBlocks(i, n.outC, tm).blocks;
            comp = blocks * (px * n.poolTaps * iiPool + kPoolDepth * tiles);
            weights = n.postBn ? blocks * tiles * postTm : 0;
            break;
        }
        case Unit::Store: {
            const std::int64_t blocks = ceilDiv(n.outC, tm);
            comp = blocks * (remapIi(n.op, n.factor, tm) * px + kRemapDepth * tiles);
            weights = n.postBn ? blocks * tiles * postTm : 0;
            break;
        }
        default:
            break;
        }
        stage[unitStage] += comp;
        stage[kWeights] += weights;
        if (n.params > 0)
            bytes += ceilDiv(n.weightWords * m.wgtContainer, 8) * tiles * blocking.repeats(i);
        if (layers) {
            layers[i].cycles = (comp + weights) * batch;
            units[i].computeCycles = comp * batch;
            units[i].weightCycles = weights * batch;
        }
    }
    // Each row of a channel word is one burst; its loop ends when the first beat's
    // latency (reads) or the write response (writes) has passed.
    Stream loads, stores;
    const int wordBytes = t.portBits / 8;
    const double burstBeats = t.mem.burstBeats;
    const auto addRows = [&](Stream& st, std::int64_t words, std::int64_t rows, std::int64_t px,
                             bool wholeRows) {
        st.bytes += double(words * px * wordBytes);
        st.bursts += double(words * rows) * std::ceil(double(px) / double(rows) / burstBeats);
        st.runs += double(words * (wholeRows ? down : rows));
    };
    for (std::size_t k = 0; k < g.loads.size(); ++k) {
        const TensorTransfer& x = g.loads[k];
        // A blocked input: its blocks' words, once per output block, inside the compute.
        const bool blocked = k == 0 && blocking.blocked();
        const std::int64_t words = blocked ? blocking.loadWords(t.actPerWord) * blocking.outBlocks
                                           : ceilDiv(x.channels, t.actPerWord);
        const HaloExtent& er = extR[count + k];
        const HaloExtent& ec = extC[count + k];
        const std::int64_t sr = sumExtent(x.height, down, er.lo + er.hi);
        const std::int64_t sc = sumExtent(x.width, across, ec.lo + ec.hi);
        stage[blocked ? kBlockLoad : kLoad] +=
            words * (roundHalfAway(t.readBeat * double(sr * sc)) + t.mem.readLatency * sr * across);
        addRows(loads, words, sr * across, sr * sc, across == 1 && sc == x.width);
    }
    for (const TensorTransfer& x : g.stores) {
        const std::int64_t words = ceilDiv(x.channels, t.actPerWord);
        const std::int64_t px = std::int64_t(x.height) * x.width;
        stage[kStore] += words * (roundHalfAway(t.writeBeat * double(px)) +
                                  t.mem.writeLatency * std::int64_t(x.height) * across);
        addRows(stores, words, std::int64_t(x.height) * across, px, across == 1);
    }
    const double weightBytes = double(bytes);
    bytes += roundHalfAway(loads.bytes + stores.bytes);
    // The DDR's time for the group's streams: reads and writes interleave at the controller
    // when the next tile's loads and the weight fetches run beside this tile's stores.
    const bool mixed = t.doubleBuffer && stores.bytes > 0 && loads.bytes + weightBytes > 0;
    const MemoryTiming& mem = t.mem;
    out.ddr =
        mem.ddrCycles(loads.bytes, mem.efficiencyOf(DdrAccess::Read, mixed, loads.randomShare())) +
        mem.ddrCycles(weightBytes, mem.efficiencyOf(DdrAccess::Read, mixed, 0)) +
        mem.ddrCycles(stores.bytes,
                      mem.efficiencyOf(DdrAccess::Write, mixed, stores.randomShare()));
    return out;
}

// The DDR bounds a group from below (docs/estimator.md, "A group").
std::int64_t ddrBound(const GroupTime& g, int batch) {
    return static_cast<std::int64_t>(std::ceil(g.ddr * batch));
}

} // namespace

std::int64_t tiledGroupCycles(const TiledModel& m, const TiledConfig& c, std::size_t group,
                              TileSize tile, HaloMemo* memo) {
    if (m.groups[group].hostOnly)
        return 0;
    const GroupTime t = timeGroup(Timing(m, c), group, tile, nullptr, nullptr, 1, memo);
    return std::max(t.cycles(c.doubleBuffer), ddrBound(t, 1));
}

void estimateTiledInto(const TiledModel& m, const TiledConfig& c, bool detailed, Estimate& e,
                       HaloMemo* memo) {
    if (!memo) { // a fixed design: each group's entries looked up once, not per use
        thread_local HaloMemo fixed;
        fixed.reset(m);
        memo = &fixed;
    }
    estimateTiledInto(m, c, tiledResources(m, c, detailed, memo), detailed, e, memo);
}

// The exported design (docs/estimator.md, "Cycles"), group by group.
void estimateTiledInto(const TiledModel& m, const TiledConfig& c, const TiledResources& res,
                       bool detailed, Estimate& e, HaloMemo* memo) {
    const Device& dev = m.device;
    TiledDetail* d = std::get_if<TiledDetail>(&e.detail);
    if (!d) // keep the vectors' storage across repeated estimates
        d = &e.detail.emplace<TiledDetail>();
    d->config = c;
    if (detailed) {
        d->logic = res.logic;
        d->bramTileMemory = res.bramInput;
        d->bramPsum = res.bramPsum;
        d->bramLineBuffers = res.bramLine;
        d->bramAxiFifos = res.bramAxi;
    }
    d->layers.clear();
    d->groups.clear();
    e.clockMhz = c.clockMhz;
    e.macs = m.macs;
    e.params = m.params;
    e.violations.clear();
    e.layers.clear();
    e.stages.clear();
    const int batch = std::max(1, c.batch);
    e.batch = batch;
    const Timing timing(m, c);

    e.used = res.total;
    e.available = {dev.dsp, dev.bram18, dev.lut, dev.ff};

    std::array<double, kStageCount> critical{};
    std::int64_t totalCycles = 0;
    std::int64_t computeCycles = 0;
    std::int64_t totalBytes = 0;
    if (detailed) {
        e.layers.resize(m.nodes.size());
        d->layers.resize(m.nodes.size());
        d->groups.reserve(m.groups.size());
        e.stages.reserve(m.groups.size());
        for (std::size_t i = 0; i < m.nodes.size(); ++i) {
            LayerEstimate& le = e.layers[i];
            const Unit unit = m.nodes[i].unit;
            le.node = static_cast<int>(i);
            le.unit = unitName(unit);
            le.dsp = unit == Unit::Pw ? res.dspPw : unit == Unit::Dw ? res.dspDw : 0;
            le.bram18 = res.nodeBram.empty() ? 0 : res.nodeBram[i];
            d->layers[i].unit = unit;
        }
    }

    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        const TiledGroup& g = m.groups[gi];
        GroupEstimate ge;
        ge.group = static_cast<int>(gi);
        if (g.hostOnly) {
            ge.limitedBy = "host";
            if (detailed) {
                d->groups.push_back(ge);
                e.stages.push_back({g.name, g.first, g.last, 0, 0});
            }
            continue;
        }
        const GroupTime gt =
            timeGroup(timing, gi, c.tileFor(gi), detailed ? e.layers.data() : nullptr,
                      detailed ? d->layers.data() : nullptr, batch, memo);
        const std::int64_t* stage = gt.stage;
        const std::int64_t tiles = gt.tiles;
        const std::int64_t bytes = gt.bytes;
        const std::int64_t compute = gt.compute();
        const std::int64_t busy = gt.busy();
        const std::int64_t load = stage[kLoad];
        std::int64_t cycles = gt.cycles(c.doubleBuffer) * batch;
        const std::int64_t groupBytes = bytes * batch;
        const std::int64_t ddr = ddrBound(gt, batch);
        int limit = kLoad;
        if (ddr > cycles) {
            cycles = ddr;
            limit = kDdr;
            critical[kDdr] += double(cycles);
        } else if (c.doubleBuffer && load > busy) {
            critical[kLoad] += double(cycles);
        } else {
            // The tile time is the units' and the stores' sum: charge each its share.
            const double scale =
                c.doubleBuffer ? double(cycles) / std::max<std::int64_t>(1, busy) : double(batch);
            std::int64_t most = -1;
            for (int s : {kDw, kPw, kPool, kStore, kWeights, kBlockLoad}) {
                critical[s] += scale * double(stage[s]);
                if (stage[s] > most) {
                    most = stage[s];
                    limit = s;
                }
            }
            if (!c.doubleBuffer) {
                critical[kLoad] += scale * double(load);
                if (load > most)
                    limit = kLoad;
            }
        }

        totalCycles += cycles;
        computeCycles += compute * batch;
        totalBytes += groupBytes;
        if (detailed) {
            ge.tiles = static_cast<int>(tiles);
            ge.tileRows = gt.tile.rows;
            ge.tileCols = gt.tile.cols;
            ge.cycles = cycles;
            ge.computeCycles = compute * batch;
            ge.loadCycles = (load + stage[kBlockLoad]) * batch;
            const ChannelBlocks blocking = channelBlocks(m, g, c);
            ge.channelBlock = blocking.blocked() ? blocking.block : 0;
            ge.channelBlocks = blocking.blocked() ? blocking.inBlocks : 0;
            ge.storeCycles = stage[kStore] * batch;
            ge.ddrBytes = groupBytes;
            ge.limitedBy = kStageNames[limit];
            d->groups.push_back(ge);
            e.stages.push_back({g.name, g.first, g.last, cycles, cycles / (c.clockMhz * 1e3)});
        }
    }

    const double seconds = double(totalCycles) / (c.clockMhz * 1e6);
    e.cycles = totalCycles;
    e.latencyMs = seconds * 1e3;
    e.fps = seconds > 0 ? batch / seconds : 0;
    e.computeBoundFps = computeCycles > 0 ? batch * c.clockMhz * 1e6 / double(computeCycles) : 0;
    e.ddrBytesPerImage = totalBytes / batch;
    const double ddrBytesPerSecond = seconds > 0 ? double(totalBytes) / seconds : 0;
    // The share of the time the units wait for memory, and the DDR bandwidth achieved.
    e.memoryBoundFraction =
        totalCycles > 0 ? std::max(0.0, 1 - double(computeCycles) / double(totalCycles)) : 0;
    e.ddrGBps = ddrBytesPerSecond / 1e9;
    e.power = boardPower(dev.power, e.used, c.clockMhz, ddrBytesPerSecond);
    e.powerW = e.power.totalW();
    e.energyPerImageMj = e.fps > 0 ? e.powerW / e.fps * 1e3 : 0;
    for (LayerEstimate& le : e.layers)
        le.timeMs = double(le.cycles) / (c.clockMhz * 1e3);

    // Feasibility: every resource within the device.
    auto check = [&](const char* what, std::int64_t used, std::int64_t have) {
        if (used > have)
            e.violations.push_back(std::string(what) + " " + std::to_string(used) + " > " +
                                   std::to_string(have) + " available");
    };
    check("DSP", e.used.dsp, e.available.dsp);
    check("BRAM18", e.used.bram18, e.available.bram18);
    check("LUT", e.used.lut, e.available.lut);
    check("FF", e.used.ff, e.available.ff);
    e.feasible = e.violations.empty();
    if (!e.feasible) {
        e.bottleneck = "resource: " + e.violations.front();
    } else {
        int worst = 0;
        for (int s = 1; s < kStageCount; ++s)
            if (critical[s] > critical[worst])
                worst = s;
        e.bottleneck = totalCycles > 0 ? kStageNames[worst] : "none";
    }
}

Estimate estimateTiled(const TiledModel& model, const TiledConfig& config, bool detailed) {
    Estimate e;
    estimateTiledInto(model, config, detailed, e);
    return e;
}

} // namespace codesign
