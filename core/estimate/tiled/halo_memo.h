#pragma once

#include "tile_geometry.h"
#include "tiled_logic.h"
#include "tiled_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace codesign {

// Need regions, remembered per group geometry (TiledGroup::haloKey), axis, tile extent
// and mode: each axis depends on its own tile extent only, sizing times the same heights
// with many widths (and widths with many heights) on several arrays, small late groups
// clip most candidate tiles to the same one, and the networks a search builds share most
// of their geometry (channels and bits do not change it). Kept are the extents
// (groupAxisHalos) and, for the buffers, the need regions in pixels (needExtents), in
// blocks that live until the cache forgets everything (trim(), when it has grown large).
// One thread at a time.
class HaloCache {
public:
    struct Axis;
    HaloCache();
    ~HaloCache();
    HaloCache(const HaloCache&) = delete;
    HaloCache& operator=(const HaloCache&) = delete;

    // The entry of group `group` of `m` along one axis: found by its key, or added.
    Axis* axis(const TiledModel& m, std::size_t group, bool rows);
    // Slots as groupAxisHalos / needExtents, for tiles of `ref` pixels along the axis;
    // `m` and `group` compute them when the entry does not have them yet.
    const HaloExtent* extents(Axis* a, const TiledModel& m, std::size_t group, int ref, bool worst);
    const int* needs(Axis* a, const TiledModel& m, std::size_t group, int ref);
    // Forgets everything (invalidating what it handed out) when it holds a lot, or a
    // block of its own for a huge group (such networks keep no regions across calls).
    void trim();
    // Counts the times it forgot everything: entries handed out stay valid while it holds.
    std::uint64_t generation() const { return generation_; }

private:
    void* allocate(std::size_t bytes);
    void clear();

    std::vector<std::unique_ptr<Axis>> axes_;
    std::vector<Axis*> table_; // open addressing on the key's hash
    std::vector<int> scratchKey_;
    std::vector<std::unique_ptr<std::byte[]>> blocks_, large_;
    std::size_t block_ = 0;     // the block being filled
    std::size_t blockUsed_ = 0; // bytes of it
    std::uint64_t generation_ = 1;
};

// The cache seen through one TiledModel: its groups' entries looked up once per reset().
// reset() keeps what the cache holds, so a memo reused from sizing to sizing (the
// search's quick sizing) allocates little and computes only the geometry it has not seen.
// Serves one TiledModel at a time and one thread.
class HaloMemo {
public:
    HaloMemo() = default;
    explicit HaloMemo(const TiledModel& model) { reset(model); }
    HaloMemo(const HaloMemo&) = delete;
    HaloMemo& operator=(const HaloMemo&) = delete;

    // Serves `model` from now on (what it handed out before is no longer valid).
    void reset(const TiledModel& model);

    const TiledModel& model() const { return *model_; }
    // Slots as groupAxisHalos; valid until reset().
    const HaloExtent* extents(std::size_t group, bool rows, int ref, bool worst) {
        return cache_.extents(axes_[group * 2 + rows], *model_, group, ref, worst);
    }
    // The same slots' largest need regions in pixels (needExtents), as long-lived.
    const int* needs(std::size_t group, bool rows, int ref) {
        return cache_.needs(axes_[group * 2 + rows], *model_, group, ref);
    }

    // The logic of `c`'s multiplier arrays on this model (tiledArrayLogic), kept per
    // array until reset(): sizing checks the resources of many tiles per array.
    const ArrayLogic& arrayLogic(const TiledConfig& c);

private:
    bool sameKeysAsLast(const TiledModel& model) const;

    struct KeptLogic {
        int pwIn, pwOut, dwParallel;
        ArrayLogic logic;
    };
    const TiledModel* model_ = nullptr;
    HaloCache cache_;
    std::vector<HaloCache::Axis*> axes_; // per group: columns, rows
    // What axes_ were looked up for: the keys, their places, the cache's generation (a
    // fixed design estimated again skips the lookups).
    std::vector<int> lastKeys_;
    std::vector<std::pair<int, int>> lastRefs_;
    std::uint64_t lastGeneration_ = 0;
    std::vector<KeptLogic> logic_;
};

// The largest need region of each slot (groupAxisHalos' layout) along one axis, in pixels:
// the slot's own part of a tile of `ref` pixels on the group's grid plus its worst halo,
// at most its whole extent. What the buffers of a group must hold: loads and unit calls
// (heads); 0 for the layers fused into a call.
void needExtents(const TiledModel& m, const TiledGroup& g, bool rows, int ref,
                 const HaloExtent* worst, int* out);

// A group's need-region extents on one tile: from the memo when one is given, otherwise
// from a cache of the thread's, copied into scratch of its own.
class GroupHalos {
public:
    GroupHalos(const TiledModel& m, std::size_t group, TileSize run, bool worst, HaloMemo* memo);
    const HaloExtent* rows() const { return rows_; }
    const HaloExtent* cols() const { return cols_; }

private:
    HaloBuffers scratch_;
    const HaloExtent* rows_;
    const HaloExtent* cols_;
};

// The need region of a tensor of `size` pixels along one axis, on a tile of `ref` pixels
// of its group's grid (`refSize` pixels), widened by its worst halo: at most its size.
inline int needExtent(int ref, int size, int refSize, const HaloExtent& halo) {
    const int extra = static_cast<int>(std::ceil(halo.lo + halo.hi));
    return std::min(size, tileExtent(ref, size, refSize) + extra);
}

// A group's largest need regions on one tile in pixels, per slot (groupAxisHalos' layout;
// `size`: the slot's extent along the axis), one interface for the buffers' sum: the
// memo's arrays (auto sizing), the thread cache's (GroupNeeds, one estimate); HaloNeeds
// computes them from worst extents (the tests' reference).
struct MemoNeeds {
    const int* rowNeeds;
    const int* colNeeds;
    int rows(std::size_t slot, int) const { return rowNeeds[slot]; }
    int cols(std::size_t slot, int) const { return colNeeds[slot]; }
};
// A group's largest need regions on one tile in pixels (needExtents), from the thread's
// cache as GroupHalos without a memo, copied (MemoNeeds' interface).
class GroupNeeds {
public:
    GroupNeeds(const TiledModel& m, std::size_t group, TileSize run);
    int rows(std::size_t slot, int) const { return rows_[slot]; }
    int cols(std::size_t slot, int) const { return cols_[slot]; }

private:
    std::array<int, 32> stackR_, stackC_;
    std::vector<int> heapR_, heapC_;
    const int* rows_;
    const int* cols_;
};

struct HaloNeeds {
    TileSize run;
    int refH, refW;
    const GroupHalos& worst;
    int rows(std::size_t slot, int size) const {
        return needExtent(run.rows, size, refH, worst.rows()[slot]);
    }
    int cols(std::size_t slot, int size) const {
        return needExtent(run.cols, size, refW, worst.cols()[slot]);
    }
};

} // namespace codesign
