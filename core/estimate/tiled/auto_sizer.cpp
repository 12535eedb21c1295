#include "auto_sizer.h"

#include "../../hw/bram_packing.h"
#include "../../hw/dsp_packing.h"
#include "channel_blocking.h"
#include "halo_memo.h"
#include "tile_geometry.h"
#include "tiled_estimator.h"
#include "tiled_resources.h"

#include <algorithm>
#include <bit>
#include <iterator>
#include <limits>
#include <set>
#include <utility>
#include <vector>

namespace codesign {
namespace {

constexpr int kMaxParallel = 64;
constexpr std::size_t kQuickArrays = 3; // arrays quick mode sizes tiles for

// Splits of a map into tiles along one axis (docs/estimator.md, "Auto sizing").
constexpr int kFullSplits[] = {1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64};
constexpr int kQuickSplits[] = {1, 2, 4, 8, 16, 32};

// Tile sizes worth trying along one axis: even splits of the largest reference size, and
// each group's own size (so that a small late layer can be one tile).
std::vector<int> tileCandidates(const TiledModel& m, bool rows, bool quick) {
    std::vector<int> sizes; // sorted and unique at the end (a set allocates per size)
    sizes.reserve(std::size(kFullSplits) + m.groups.size());
    int largest = 1;
    for (const TiledGroup& g : m.groups)
        if (!g.hostOnly)
            largest = std::max(largest, rows ? g.refH : g.refW);
    if (quick) {
        for (int k : kQuickSplits)
            sizes.push_back(static_cast<int>(ceilDiv(largest, k)));
    } else {
        for (int k : kFullSplits)
            sizes.push_back(static_cast<int>(ceilDiv(largest, k)));
    }
    for (const TiledGroup& g : m.groups)
        if (!g.hostOnly)
            sizes.push_back(rows ? g.refH : g.refW);
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    return sizes;
}

bool withinCap(const Resources& used, const Device& d, double cap) {
    return used.dsp <= cap * d.dsp && used.bram18 <= cap * d.bram18 && used.lut <= cap * d.lut &&
           used.ff <= cap * d.ff;
}

struct Parallel {
    int tn, tm, pd;
    int block = 0; // channel_block (docs/estimator.md, "Channel blocking")
    int base = -1; // a blocked variant: the index of its unblocked array
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
    const DspRule& rule = m.device.dspRule;
    auto dspOf = [&](int tn, int tm, int pd) {
        return dspSlices(rule, m.hasPw ? tn * tm : 0, m.pwWeightBits, m.pwActivationBits) +
               dspSlices(rule, m.hasDw ? pd * m.dwLanes : 0, m.dwWeightBits, m.dwActivationBits);
    };
    const double cap = o.resourceCap * m.device.dsp;
    // fits[a][b][c]: the array 2^a x 2^b (PW) with 2^c DW lanes fits the DSP cap.
    constexpr int kLevels = 7; // 1 .. 64
    bool fits[kLevels][kLevels][kLevels] = {};
    auto level = [](int v) {
        return std::countr_zero(static_cast<unsigned>(v));
    };
    std::vector<Parallel> fitting;
    for (int tn : tns)
        for (int tm : powers)
            for (int pd : pds)
                if (dspOf(tn, tm, pd) <= cap) {
                    fitting.push_back({tn, tm, pd});
                    fits[level(tn)][level(tm)][level(pd)] = true;
                }
    auto fitsAt = [&](int tn, int tm, int pd) {
        return tn <= kMaxParallel && tm <= kMaxParallel && pd <= kMaxParallel &&
               fits[level(tn)][level(tm)][level(pd)];
    };
    std::vector<Parallel> chosen;
    for (const Parallel& p : fitting) {
        const bool growTn = m.hasPw && fitsAt(p.tn * 2, p.tm, p.pd);
        const bool growTm = fitsAt(p.tn, p.tm * 2, p.pd);
        const bool growPd = m.hasDw && fitsAt(p.tn, p.tm, p.pd * 2);
        const bool maximal = !growTn && !growTm && !growPd;
        // One step below a maximal array along any axis is kept too: it frees BRAM banks.
        const bool nearMaximal = (growTn && !fitsAt(p.tn * 4, p.tm, p.pd)) ||
                                 (growTm && !fitsAt(p.tn, p.tm * 4, p.pd)) ||
                                 (growPd && !fitsAt(p.tn, p.tm, p.pd * 4));
        if (maximal || (nearMaximal && o.mode == AutoSizeMode::Full))
            chosen.push_back(p);
    }
    if (chosen.empty())
        chosen.push_back({1, 1, 1});
    return chosen;
}

// The arrays depend only on the DSP rule, the cap and the units' widths; the search asks
// for the same few combinations thousands of times, so remember them (per thread).
std::vector<Parallel> cachedParallelCandidates(const TiledModel& m, const AutoSizeOptions& o) {
    struct Key {
        int portA, portB, packTwoMax, dsp;
        double cap;
        int pwW, pwA, dwW, dwA, lanes;
        bool hasPw, hasDw, full;
        bool operator==(const Key&) const = default;
    };
    const DspRule& r = m.device.dspRule;
    const Key key{r.portA,
                  r.portB,
                  r.packTwoMax,
                  m.device.dsp,
                  o.resourceCap,
                  m.pwWeightBits,
                  m.pwActivationBits,
                  m.dwWeightBits,
                  m.dwActivationBits,
                  m.dwLanes,
                  m.hasPw,
                  m.hasDw,
                  o.mode == AutoSizeMode::Full};
    thread_local std::vector<std::pair<Key, std::vector<Parallel>>> cache;
    for (const auto& [k, arrays] : cache)
        if (k == key)
            return arrays;
    if (cache.size() > 64)
        cache.clear();
    cache.emplace_back(key, parallelCandidates(m, o));
    return cache.back().second;
}

// Pixel-loop cycles of the whole network with every map in one tile: a lower bound on the
// time of any design with this array, used to rank arrays in quick mode.
std::int64_t computeBound(const TiledModel& m, const Parallel& p) {
    std::int64_t total = 0;
    for (const TiledGroup& g : m.groups) {
        std::int64_t pw = 0, dw = 0, pool = 0;
        for (int i = g.first; i <= g.last; ++i) {
            const TiledNode& n = m.nodes[i];
            const std::int64_t px = n.fc ? 1 : std::int64_t(n.outH) * n.outW;
            switch (n.unit) {
            case Unit::Pw:
                pw += n.groups * ceilDiv(n.inC / n.groups, p.tn) *
                      ceilDiv(n.outC / n.groups, p.tm) * n.kernelArea * px;
                break;
            case Unit::Dw:
                // the line buffer streams the input box, a pixel per cycle
                dw += ceilDiv(n.outC, p.pd) * px * n.stride * n.stride;
                break;
            case Unit::Pool:
                pool += ceilDiv(n.inC, p.tm) * std::int64_t(n.inH) * n.inW;
                break;
            default:
                break;
            }
        }
        total += pw + dw + pool; // the exported units run one after the other
    }
    return total;
}

// The largest depth a memory of `banks` x `width` bits can grow to at the BRAM18 count it
// has at `depth` (7-series pad depths to a power of two; a BRAM holds a fixed depth).
std::int64_t depthAtSameCost(const BramRule& rule, int width, std::int64_t depth, int banks) {
    const std::int64_t cost = memoryCost(rule, {width, depth, banks}).bram18;
    auto same = [&](std::int64_t d) {
        return memoryCost(rule, {width, d, banks}).bram18 == cost;
    };
    std::int64_t lo = std::max<std::int64_t>(1, depth);
    std::int64_t hi = lo;
    while (hi < (std::int64_t(1) << 30) && same(hi * 2))
        hi *= 2;
    hi *= 2; // same(lo) holds, same(hi) does not (or the search stops at 2^31)
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        (same(mid) ? lo : hi) = mid;
    }
    return lo;
}

// A tile a group could run on, with its cycles and the buffers it needs.
struct GroupOption {
    TileSize tile;
    std::int64_t cycles = 0;
    GroupBuffers buffers;
};

// Every candidate tile of every group for one array: splits of the group's own map.
std::vector<std::vector<GroupOption>> groupOptions(const TiledModel& m, const TiledConfig& c,
                                                   HaloMemo* memo) {
    std::vector<std::vector<GroupOption>> options(m.groups.size());
    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        const TiledGroup& g = m.groups[gi];
        if (g.hostOnly || g.singleTile)
            continue;
        std::set<int> rows, cols;
        for (int k : kFullSplits) {
            rows.insert(static_cast<int>(ceilDiv(g.refH, k)));
            cols.insert(static_cast<int>(ceilDiv(g.refW, k)));
        }
        for (int r : rows)
            for (int col : cols) {
                const TileSize t{r, col};
                options[gi].push_back({t, tiledGroupCycles(m, c, gi, t, memo),
                                       tiledGroupBuffers(m, c, gi, t, nullptr, memo)});
            }
    }
    return options;
}

// What a group may need of the buffers a design's tile sized: each memory's depth at the
// same BRAM18 count.
struct BufferCaps {
    std::int64_t depth = 0;
    std::int64_t psum = std::numeric_limits<std::int64_t>::max();
    std::int64_t line = std::numeric_limits<std::int64_t>::max();
    bool fit(const GroupBuffers& b) const {
        return b.tileDepth <= depth && b.psumDepth <= psum && b.lineCols <= line;
    }
};
BufferCaps capsOf(const TiledModel& m, const TiledConfig& c, const TiledResources& res) {
    const BramRule& rule = m.device.bramRule;
    BufferCaps caps;
    caps.depth = depthAtSameCost(rule, m.maxActivationBits, res.tileDepth,
                                 std::max({c.pwIn, c.pwOut, c.dwParallel, 1}));
    if (m.hasPw)
        caps.psum = depthAtSameCost(rule, m.pwAccBits, res.psumDepth, std::max(1, c.pwOut));
    if (m.hasDw && m.dwWindowH > 1)
        caps.line = depthAtSameCost(rule, m.maxActivationBits, res.lineCols,
                                    std::max(1, c.dwParallel) * (m.dwWindowH - 1));
    return caps;
}

// Quick mode's candidates: per group, the tiles on one path from the design's tile,
// doubling the columns up to the map's width, then the rows; the largest that fits the
// buffers and the one before it (a group in one tile loses the load overlap).
std::vector<std::vector<GroupOption>> quickGroupOptions(const TiledModel& m, const TiledConfig& c,
                                                        const BufferCaps& caps, HaloMemo* memo) {
    std::vector<std::vector<GroupOption>> options(m.groups.size());
    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        const TiledGroup& g = m.groups[gi];
        if (g.hostOnly || g.singleTile)
            continue;
        TileSize t = runTile(g, c.tile());
        std::vector<TileSize> fitting;
        while (t.cols < g.refW || t.rows < g.refH) {
            if (t.cols < g.refW)
                t.cols = std::min(g.refW, 2 * t.cols);
            else
                t.rows = std::min(g.refH, 2 * t.rows);
            if (!caps.fit(tiledGroupBuffers(m, c, gi, t, nullptr, memo)))
                break;
            fitting.push_back(t);
        }
        const std::size_t from = fitting.size() > 2 ? fitting.size() - 2 : 0;
        for (std::size_t k = from; k < fitting.size(); ++k)
            options[gi].push_back({fitting[k], tiledGroupCycles(m, c, gi, fitting[k], memo), {}});
    }
    return options;
}

// Full mode, after a design's tile has set the buffers: each group takes the fastest of
// its own tiles that fits them at the same BRAM18 count (a group with fewer channels or a
// smaller map needs fewer words per pixel and would otherwise leave the memory unused).
// False when no group gains.
bool chooseGroupTiles(const TiledModel& m, const TiledConfig& base, const BufferCaps& caps,
                      const std::vector<std::vector<GroupOption>>& options, HaloMemo* memo,
                      TiledConfig& out) {
    const TileSize own = base.tile();
    out = base;
    out.groupTiles.assign(m.groups.size(), own);
    bool gained = false;
    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        if (options[gi].empty())
            continue;
        std::int64_t best = tiledGroupCycles(m, base, gi, own, memo);
        for (const GroupOption& op : options[gi])
            if (op.cycles < best && caps.fit(op.buffers)) {
                best = op.cycles;
                out.groupTiles[gi] = op.tile;
                gained = true;
            }
    }
    if (!gained)
        out.groupTiles.clear();
    return gained;
}

// Whether a blocked variant of `c`'s array is worth sizing (see autoSizeTiled).
bool blockingMayHelp(const TiledModel& m, TiledConfig c, int rows, int cols,
                     const AutoSizeOptions& o, bool quick, bool found) {
    if (quick)
        return !found;
    c.channelBlock = 0;
    c.tileRows = rows;
    c.tileCols = cols;
    return !withinCap(tiledResources(m, c).total, m.device, o.resourceCap);
}

// The arrays to size: quick mode keeps the few with the lowest compute bound. Each array
// comes also with channel blocks, after the unblocked ones: a blocked design must be
// strictly faster to be chosen. At the same tile it never is, so it is tried only where
// the resources cut the tiles: full mode, when the array's largest tile does not fit
// unblocked; quick mode, when no unblocked design fits at all.
std::vector<Parallel> arraysToSize(const TiledModel& m, const AutoSizeOptions& o, bool quick) {
    std::vector<Parallel> arrays = cachedParallelCandidates(m, o);
    if (quick && arrays.size() > kQuickArrays) {
        std::vector<std::pair<std::int64_t, std::size_t>> ranked;
        for (std::size_t i = 0; i < arrays.size(); ++i)
            ranked.emplace_back(computeBound(m, arrays[i]), i);
        std::sort(ranked.begin(), ranked.end());
        std::vector<Parallel> kept;
        for (std::size_t i = 0; i < kQuickArrays; ++i)
            kept.push_back(arrays[ranked[i].second]);
        arrays = std::move(kept);
    }
    for (std::size_t i = 0, n = arrays.size(); i < n; ++i)
        if (const int block = blockCandidate(m, arrays[i].tn); block > 0)
            arrays.push_back({arrays[i].tn, arrays[i].tm, arrays[i].pd, block, int(i)});
    return arrays;
}

// One run of auto sizing: the candidates, the best design so far, and the storage the
// estimates reuse from one candidate to the next.
class TiledSizer {
public:
    TiledSizer(const TiledModel& m, const AutoSizeOptions& o, HaloMemo* memo)
        : m_(m), o_(o), quick_(o.mode == AutoSizeMode::Quick), memo_(memo),
          rows_(tileCandidates(m, true, quick_)), cols_(tileCandidates(m, false, quick_)) {
        TiledConfig& c = best_.config;
        c.clockMhz = o.clockMhz;
        c.batch = o.batch;
        c.doubleBuffer = o.doubleBuffer;
        c.pwIn = c.pwOut = c.dwParallel = 1;
        c.tileRows = rows_.front();
        c.tileCols = cols_.front();
    }

    AutoSizeResult run() {
        arrays_ = arraysToSize(m_, o_, quick_);
        widestFit_.assign(arrays_.size(), {});
        for (std::size_t ai = 0; ai < arrays_.size(); ++ai)
            sizeArray(ai);
        if (quick_ && best_.found)
            considerQuickGroupTiles();
        return std::move(best_);
    }

private:
    // A per-array walk's state: full mode gives an unblocked design's groups tiles of
    // their own (the options computed when first needed); blocked variants keep one tile.
    struct ArrayWalk {
        const Parallel& p;
        TiledConfig c;
        bool ownTiles;
        bool haveOptions;
        std::vector<std::vector<GroupOption>> options;
    };

    // Resources grow with the tile in both directions, so the widest fitting width can only
    // shrink as the tile gets taller: walk that staircase once per array.
    void sizeArray(std::size_t ai) {
        const Parallel& p = arrays_[ai];
        TiledConfig c = best_.config;
        c.groupTiles.clear();
        c.pwIn = p.tn;
        c.pwOut = p.tm;
        c.dwParallel = p.pd;
        c.channelBlock = p.block;
        if (p.block > 0 &&
            !blockingMayHelp(m_, c, rows_.back(), cols_.back(), o_, quick_, best_.found))
            return;
        const bool ownTiles = !quick_ && p.block == 0;
        ArrayWalk walk{p, std::move(c), ownTiles, !ownTiles, {}};
        int widest = static_cast<int>(cols_.size()) - 1;
        for (std::size_t ri = 0; ri < rows_.size(); ++ri) {
            walk.c.tileRows = rows_[ri];
            TiledResources fittingResources;
            const int fitting = widestFitting(walk.c, widest, fittingResources);
            if (fitting < 0)
                break; // nothing fits at this height, nor at any taller one
            widestFit_[ai].push_back(fitting);
            sizeHeight(walk, ri, fitting, fittingResources);
        }
    }

    // Steps `widest` down to the widest width that fits at c's height (-1: none does);
    // `res` gets that design's resources.
    int widestFitting(TiledConfig& c, int& widest, TiledResources& res) {
        for (; widest >= 0; --widest) {
            c.tileCols = cols_[widest];
            TiledResources r = tiledResources(m_, c, false, memo_);
            if (withinCap(r.total, m_.device, o_.resourceCap)) {
                res = std::move(r);
                return widest;
            }
        }
        return -1;
    }

    // The designs at one tile height, whose widest fitting width is `fitting`. A blocked
    // variant times only the widths wider than its unblocked array fits (at the same tile
    // it is slower); quick mode and blocked variants time the widest fitting width only.
    void sizeHeight(ArrayWalk& walk, std::size_t ri, int fitting,
                    const TiledResources& fittingResources) {
        const Parallel& p = walk.p;
        const std::vector<int>* unblocked = p.base >= 0 ? &widestFit_[p.base] : nullptr;
        const int timed = unblocked && ri < unblocked->size() ? (*unblocked)[ri] : -1;
        if (fitting <= timed)
            return;
        TiledConfig& c = walk.c;
        const int lowest = quick_ || p.block > 0 ? fitting : timed + 1;
        for (int k = fitting; k >= lowest; --k) {
            c.tileCols = cols_[k];
            const TiledResources res =
                k == fitting ? TiledResources{} : tiledResources(m_, c, false, memo_);
            const TiledResources& used = k == fitting ? fittingResources : res;
            estimateTiledInto(m_, c, used, false, scratch_, memo_);
            consider(c, used);
        }
        // The widest fitting tile sets the buffers; groups that need less of them may take
        // larger tiles of their own.
        c.tileCols = cols_[fitting];
        if (!walk.haveOptions) {
            walk.options = groupOptions(m_, c, memo_);
            walk.haveOptions = true;
        }
        TiledConfig grouped;
        if (walk.ownTiles &&
            chooseGroupTiles(m_, c, capsOf(m_, c, fittingResources), walk.options, memo_, grouped))
            considerIfFits(grouped);
    }

    // Quick mode gives groups their own tiles on the best design only.
    void considerQuickGroupTiles() {
        const TiledConfig base = best_.config;
        const BufferCaps caps = capsOf(m_, base, bestResources_);
        TiledConfig grouped;
        if (chooseGroupTiles(m_, base, caps, quickGroupOptions(m_, base, caps, memo_), memo_,
                             grouped))
            considerIfFits(grouped);
    }

    void considerIfFits(const TiledConfig& c) {
        const TiledResources res = tiledResources(m_, c, false, memo_);
        if (withinCap(res.total, m_.device, o_.resourceCap)) {
            estimateTiledInto(m_, c, res, false, scratch_, memo_);
            consider(c, res);
        }
    }

    // Keeps `c` (estimated into scratch_) if faster, or as fast, unblocked and smaller.
    void consider(const TiledConfig& c, const TiledResources& res) {
        ++best_.evaluated;
        const bool better =
            scratch_.fps > bestFps_ * (1 + 1e-9) ||
            (c.channelBlock == 0 && scratch_.fps > bestFps_ * (1 - 1e-9) &&
             (scratch_.used.dsp < bestUsed_.dsp ||
              (scratch_.used.dsp == bestUsed_.dsp && scratch_.used.bram18 < bestUsed_.bram18)));
        if (better) {
            bestFps_ = scratch_.fps;
            bestUsed_ = scratch_.used;
            best_.config = c;
            best_.found = true;
            std::swap(best_.estimate, scratch_); // scratch's storage serves the next one
            if (quick_)
                bestResources_ = res;
        }
    }

    const TiledModel& m_;
    const AutoSizeOptions& o_;
    const bool quick_;
    HaloMemo* memo_;
    const std::vector<int> rows_, cols_;
    std::vector<Parallel> arrays_;
    // Per array and tile height, the widest width that fits (see sizeHeight).
    std::vector<std::vector<int>> widestFit_;
    AutoSizeResult best_;
    double bestFps_ = -1;
    Resources bestUsed_;
    TiledResources bestResources_; // quick mode: the best design's, for its group tiles
    Estimate scratch_;
};

} // namespace

AutoSizeResult autoSizeTiled(const TiledModel& m, const AutoSizeOptions& o) {
    // Full mode times every group on 16 x 16 tiles per array: each height and width once.
    // Quick mode walks the same heights and widths on each of its arrays, and small groups
    // clip most tiles to one. The memo's storage stays with the thread from sizing to sizing.
    thread_local HaloMemo memoOfThread;
    memoOfThread.reset(m);
    return TiledSizer(m, o, &memoOfThread).run();
}

} // namespace codesign
