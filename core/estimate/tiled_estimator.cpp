#include "tiled_estimator.h"

#include "../hw/power_model.h"
#include "tile_geometry.h"
#include "tiled_resources.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace codesign {
namespace {

// Pipeline depth of one pipelined loop of each unit: multiplier (3-4 stages), adder tree,
// buffer read and write. Paid once per (tile, channel block) invocation.
constexpr int kPoolDepth = 4;
int pwDepth(int tn) {
    return 6 + ceilLog2(tn);
}
int dwDepth(int lanes) {
    return 6 + ceilLog2(lanes);
}

enum Stage { kLoad, kDw, kPw, kPool, kStore, kWeights, kDdr, kStageCount };

constexpr std::array<const char*, kStageCount> kStageNames{
    "memory: feature-map loads", "compute: DW unit",           "compute: PW unit",
    "compute: pool unit",        "memory: feature-map stores", "memory: weight loads",
    "memory: DDR bandwidth"};

// DDR holds feature maps as [channel word][row][col], a word packing portBits / container
// channels, so one tile row of one channel word is one burst of `cols` beats. A read
// burst waits for its first beat (the loop over rows is not pipelined across bursts);
// writes are posted and pay the latency once per transfer.
std::int64_t readCycles(const TensorTransfer& t, int rows, int cols, int portBits, int batch,
                        std::int64_t latency) {
    const int perBeat = std::max(1, portBits / t.container);
    const std::int64_t bursts = ceilDiv(t.channels, perBeat) * rows * batch;
    return bursts * (cols + latency);
}

std::int64_t writeCycles(const TensorTransfer& t, int rows, int cols, int portBits, int batch,
                         std::int64_t latency) {
    const int perBeat = std::max(1, portBits / t.container);
    return ceilDiv(t.channels, perBeat) * rows * cols * batch + latency;
}

} // namespace

void estimateTiledInto(const TiledModel& m, const TiledConfig& c, bool detailed, Estimate& e) {
    estimateTiledInto(m, c, tiledResources(m, c, detailed), detailed, e);
}

void estimateTiledInto(const TiledModel& m, const TiledConfig& c, const TiledResources& res,
                       bool detailed, Estimate& e) {
    const Device& dev = m.device;
    e.config = c;
    e.macs = m.macs;
    e.params = m.params;
    e.violations.clear();
    e.layers.clear();
    e.groups.clear();

    const int tn = std::max(1, c.pwIn);
    const int tm = std::max(1, c.pwOut);
    const int pd = std::max(1, c.dwParallel);
    const int batch = std::max(1, c.batch);
    const int portBits = dev.memory.axiPortBits;
    const std::int64_t latency = dev.memory.axiLatencyCycles;
    const double ddrBytesPerCycle =
        dev.memory.ddrPeakGBps * dev.memory.ddrEfficiency * 1e3 / c.clockMhz;
    const int dPw = pwDepth(tn);
    const int dDw = dwDepth(m.dwLanes);

    e.used = res.total;
    e.available = {dev.dsp, dev.bram18, dev.lut, dev.ff};

    std::array<double, kStageCount> critical{};
    std::int64_t totalCycles = 0;
    std::int64_t computeCycles = 0;
    std::int64_t totalBytes = 0;
    if (detailed) {
        e.layers.resize(m.nodes.size());
        e.groups.reserve(m.groups.size());
    }

    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        const TiledGroup& g = m.groups[gi];
        GroupEstimate ge;
        ge.group = static_cast<int>(gi);
        if (g.hostOnly) {
            ge.limitedBy = "host";
            if (detailed) {
                for (int i = g.first; i <= g.last; ++i) {
                    e.layers[i].node = i;
                    e.layers[i].unit = m.nodes[i].unit;
                }
                e.groups.push_back(ge);
            }
            continue;
        }
        const int trRef = std::min(c.tileRows, g.refH);
        const int tcRef = std::min(c.tileCols, g.refW);
        const std::int64_t tiles = ceilDiv(g.refH, trRef) * ceilDiv(g.refW, tcRef);

        // Per tile (covering `batch` images): each unit's busy time.
        std::int64_t stage[kStageCount] = {};
        std::int64_t computeOnly[kStageCount] = {};
        std::int64_t weightBound = 0; // PW/DW cycles where the weight stream is the limit
        std::int64_t bytes = 0;
        for (int i = g.first; i <= g.last; ++i) {
            const TiledNode& n = m.nodes[i];
            const int tr = tileExtent(trRef, n.outH, g.refH);
            const int tc = tileExtent(tcRef, n.outW, g.refW);
            std::int64_t comp = 0;
            std::int64_t weights = 0;
            int unitStage = -1;
            switch (n.unit) {
            case Unit::Pw: {
                const std::int64_t px = n.fc ? 1 : std::int64_t(tr) * tc;
                const int inPerGroup = n.inC / n.groups;
                const int outPerGroup = n.outC / n.groups;
                comp = n.groups * ceilDiv(inPerGroup, tn) * ceilDiv(outPerGroup, tm) *
                       (n.kernelArea * px * batch + dPw);
                unitStage = kPw;
                break;
            }
            case Unit::Dw: {
                const std::int64_t px = std::int64_t(tr) * tc;
                comp = ceilDiv(n.inC, pd) * n.branches *
                       (ceilDiv(n.kernelArea, m.dwLanes) * px * batch + dDw);
                unitStage = kDw;
                break;
            }
            case Unit::Pool: {
                const bool add = n.op == Op::Add;
                const int rin = add ? tr : tileExtent(trRef, n.inH, g.refH);
                const int cin = add ? tc : tileExtent(tcRef, n.inW, g.refW);
                comp = ceilDiv(n.inC, tm) * (std::int64_t(rin) * cin * batch + kPoolDepth);
                unitStage = kPool;
                break;
            }
            default:
                break;
            }
            if (n.weightWords > 0 && (n.unit == Unit::Pw || n.unit == Unit::Dw)) {
                // The layer's weights stream in block by block on their own port, once per
                // tile (and batch): ping-pong weight buffers hide them behind compute.
                weights = ceilDiv(n.weightWords * n.weightContainer, portBits) + latency;
                bytes += ceilDiv(n.weightWords * n.weightContainer, 8);
            }
            std::int64_t busy = comp;
            if (weights > 0) {
                if (c.doubleBuffer) {
                    busy = std::max(comp, weights);
                    if (weights > comp)
                        weightBound += weights - comp;
                } else {
                    busy = comp + weights;
                    weightBound += weights;
                }
            }
            if (unitStage >= 0) {
                stage[unitStage] += busy;
                computeOnly[unitStage] += comp;
            }
            if (detailed) {
                LayerEstimate& le = e.layers[i];
                le.node = i;
                le.unit = n.unit;
                le.cycles = busy * tiles;
                le.computeCycles = comp * tiles;
                le.weightCycles = weights * tiles;
                le.dsp = n.unit == Unit::Pw ? res.dspPw : n.unit == Unit::Dw ? res.dspDw : 0;
                le.bram18 = res.nodeBram.empty() ? 0 : res.nodeBram[i];
            }
        }
        for (const TensorTransfer& t : g.loads) {
            const int rows = tileExtent(trRef, t.height, g.refH) + t.haloRows;
            const int cols = tileExtent(tcRef, t.width, g.refW) + t.haloCols;
            stage[kLoad] += readCycles(t, rows, cols, portBits, batch, latency);
            bytes += ceilDiv(std::int64_t(t.channels) * rows * cols * t.container, 8) * batch;
        }
        for (const TensorTransfer& t : g.stores) {
            const int rows = tileExtent(trRef, t.height, g.refH);
            const int cols = tileExtent(tcRef, t.width, g.refW);
            stage[kStore] += writeCycles(t, rows, cols, portBits, batch, latency);
            bytes += ceilDiv(std::int64_t(t.channels) * rows * cols * t.container, 8) * batch;
        }

        std::int64_t sum = 0;
        std::int64_t tileTime = 0;
        int limit = kLoad;
        for (int s : {kLoad, kDw, kPw, kPool, kStore}) {
            sum += stage[s];
            if (stage[s] > tileTime) {
                tileTime = stage[s];
                limit = s;
            }
        }
        std::int64_t cycles = 0;
        if (c.doubleBuffer)
            cycles = tiles * tileTime + (sum - tileTime); // steady state plus fill and drain
        else
            cycles = tiles * sum;
        const std::int64_t groupBytes = bytes * tiles;
        const auto ddrCycles = static_cast<std::int64_t>(std::ceil(groupBytes / ddrBytesPerCycle));
        if (ddrCycles > cycles) {
            cycles = ddrCycles;
            limit = kDdr;
            critical[kDdr] += double(cycles);
        } else if (c.doubleBuffer) {
            // A PW/DW stage held up by its weight stream is a memory limit, not compute.
            if ((limit == kPw || limit == kDw) && weightBound * 2 > stage[limit]) {
                critical[kWeights] += double(cycles);
                limit = kWeights;
            } else {
                critical[limit] += double(cycles);
            }
        } else {
            for (int s : {kLoad, kDw, kPw, kPool, kStore})
                critical[s] += double(tiles * stage[s]);
        }
        std::int64_t compute = 0;
        for (int s : {kDw, kPw, kPool})
            compute = c.doubleBuffer ? std::max(compute, computeOnly[s]) : compute + computeOnly[s];
        compute *= tiles;

        totalCycles += cycles;
        computeCycles += compute;
        totalBytes += groupBytes;
        if (detailed) {
            ge.tiles = static_cast<int>(tiles);
            ge.cycles = cycles;
            ge.computeCycles = compute;
            ge.loadCycles = stage[kLoad] * tiles;
            ge.storeCycles = stage[kStore] * tiles;
            ge.ddrBytes = groupBytes;
            ge.limitedBy = kStageNames[limit];
            e.groups.push_back(ge);
        }
    }

    const double seconds = double(totalCycles) / (c.clockMhz * 1e6);
    e.cycles = totalCycles;
    e.latencyMs = seconds * 1e3;
    e.fps = seconds > 0 ? batch / seconds : 0;
    e.computeBoundFps = computeCycles > 0 ? batch * c.clockMhz * 1e6 / double(computeCycles) : 0;
    e.ddrBytesPerImage = totalBytes / batch;
    const double ddrBytesPerSecond = seconds > 0 ? double(totalBytes) / seconds : 0;
    e.power = boardPower(dev.power, e.used, c.clockMhz, ddrBytesPerSecond);
    e.powerW = e.power.totalW();
    e.energyPerImageMj = e.fps > 0 ? e.powerW / e.fps * 1e3 : 0;

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
