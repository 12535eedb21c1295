#include "auto_sizer.h"

#include "tile_geometry.h"
#include "tiled_estimator.h"
#include "tiled_resources.h"

#include <algorithm>
#include <set>
#include <vector>

namespace codesign {
namespace {

constexpr int kMaxParallel = 64;

// Tile sizes worth trying along one axis: even splits of the largest reference size, and
// each group's own size (so that a small late layer can be one tile).
std::vector<int> tileCandidates(const TiledModel& m, bool rows) {
    std::set<int> sizes;
    int largest = 1;
    for (const TiledGroup& g : m.groups)
        if (!g.hostOnly)
            largest = std::max(largest, rows ? g.refH : g.refW);
    for (int k : {1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64})
        sizes.insert(static_cast<int>(ceilDiv(largest, k)));
    for (const TiledGroup& g : m.groups)
        if (!g.hostOnly)
            sizes.insert(rows ? g.refH : g.refW);
    return {sizes.begin(), sizes.end()};
}

bool withinCap(const Resources& used, const Device& d, double cap) {
    return used.dsp <= cap * d.dsp && used.bram18 <= cap * d.bram18 && used.lut <= cap * d.lut &&
           used.ff <= cap * d.ff;
}

struct Parallel {
    int tn, tm, pd;
};

// Multiplier arrays to try: those the DSP cap allows that cannot simply be doubled along
// some axis (larger arrays never add cycles), and the next size down of each.
std::vector<Parallel> parallelCandidates(const TiledModel& m, const AutoSizeOptions& o) {
    std::vector<int> powers;
    for (int p = 1; p <= kMaxParallel; p *= 2)
        powers.push_back(p);
    const std::vector<int> one{1};
    const std::vector<int>& tns = m.hasPw ? powers : one;
    const std::vector<int>& pds = m.hasDw ? powers : one;
    TiledConfig probe;
    probe.tileRows = probe.tileCols = 1;
    auto dspOf = [&](int tn, int tm, int pd) {
        probe.pwIn = tn;
        probe.pwOut = tm;
        probe.dwParallel = pd;
        return tiledResources(m, probe).dspPw + tiledResources(m, probe).dspDw;
    };
    const double cap = o.resourceCap * m.device.dsp;
    std::vector<Parallel> fitting;
    for (int tn : tns)
        for (int tm : powers)
            for (int pd : pds)
                if (dspOf(tn, tm, pd) <= cap)
                    fitting.push_back({tn, tm, pd});
    auto fits = [&](int tn, int tm, int pd) {
        return std::any_of(fitting.begin(), fitting.end(), [&](const Parallel& p) {
            return p.tn == tn && p.tm == tm && p.pd == pd;
        });
    };
    std::vector<Parallel> chosen;
    for (const Parallel& p : fitting) {
        const bool growTn = m.hasPw && p.tn < kMaxParallel && fits(p.tn * 2, p.tm, p.pd);
        const bool growTm = p.tm < kMaxParallel && fits(p.tn, p.tm * 2, p.pd);
        const bool growPd = m.hasDw && p.pd < kMaxParallel && fits(p.tn, p.tm, p.pd * 2);
        const bool maximal = !growTn && !growTm && !growPd;
        // One step below a maximal array along any axis is kept too: it frees BRAM banks.
        const bool nearMaximal = (growTn && !fits(p.tn * 4, p.tm, p.pd)) ||
                                 (growTm && !fits(p.tn, p.tm * 4, p.pd)) ||
                                 (growPd && !fits(p.tn, p.tm, p.pd * 4));
        if (maximal || nearMaximal)
            chosen.push_back(p);
    }
    if (chosen.empty())
        chosen.push_back({1, 1, 1});
    return chosen;
}

} // namespace

AutoSizeResult autoSizeTiled(const TiledModel& m, const AutoSizeOptions& o) {
    AutoSizeResult best;
    best.config.clockMhz = o.clockMhz;
    best.config.batch = o.batch;
    best.config.doubleBuffer = o.doubleBuffer;
    best.config.pwIn = best.config.pwOut = best.config.dwParallel = 1;
    const std::vector<int> rows = tileCandidates(m, true);
    const std::vector<int> cols = tileCandidates(m, false);
    best.config.tileRows = rows.front();
    best.config.tileCols = cols.front();

    double bestFps = -1;
    Resources bestUsed;
    Estimate scratch;
    for (const Parallel& p : parallelCandidates(m, o)) {
        TiledConfig c = best.config;
        c.pwIn = p.tn;
        c.pwOut = p.tm;
        c.dwParallel = p.pd;
        for (int r : rows) {
            c.tileRows = r;
            // Resources grow with the tile: find the widest tile that fits, then time the
            // fitting widths from there down (FPS is not monotone in the width).
            int fitting = -1;
            int lo = 0, hi = static_cast<int>(cols.size()) - 1;
            while (lo <= hi) {
                const int mid = (lo + hi) / 2;
                c.tileCols = cols[mid];
                if (withinCap(tiledResources(m, c).total, m.device, o.resourceCap)) {
                    fitting = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            for (int k = fitting; k >= 0; --k) {
                c.tileCols = cols[k];
                estimateTiledInto(m, c, false, scratch);
                ++best.evaluated;
                const bool better =
                    scratch.fps > bestFps * (1 + 1e-9) ||
                    (scratch.fps > bestFps * (1 - 1e-9) &&
                     (scratch.used.dsp < bestUsed.dsp ||
                      (scratch.used.dsp == bestUsed.dsp && scratch.used.bram18 < bestUsed.bram18)));
                if (better) {
                    bestFps = scratch.fps;
                    bestUsed = scratch.used;
                    best.config = c;
                    best.found = true;
                }
            }
        }
    }
    return best;
}

} // namespace codesign
