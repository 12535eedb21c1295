#pragma once

#include "tile_geometry.h"
#include "tiled_model.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace codesign {

// Need regions auto sizing asks for again and again on one network, remembered per
// group, axis, tile extent and mode: each axis depends on its own tile extent only, and
// sizing times the same heights with many widths (and widths with many heights) on
// several arrays; small late groups clip most candidate tiles to the same one. Kept are
// the extents (groupAxisHalos) and, for the buffers, the need regions in pixels
// (needExtents). Lookups scan a short list; reset() keeps the storage, so a memo reused
// from sizing to sizing (the search's quick sizing) allocates nothing. Serves one
// TiledModel at a time and one thread.
class HaloMemo {
public:
    HaloMemo() = default;
    explicit HaloMemo(const TiledModel& model) { reset(model); }
    HaloMemo(const HaloMemo&) = delete;
    HaloMemo& operator=(const HaloMemo&) = delete;

    // Forgets everything and serves `model` from now on.
    void reset(const TiledModel& model);

    const TiledModel& model() const { return *model_; }
    // Slots as groupAxisHalos; the extents stay where they are until reset().
    const HaloExtent* extents(std::size_t group, bool rows, int ref, bool worst);
    // The same slots' largest need regions in pixels (needExtents), as long-lived.
    const int* needs(std::size_t group, bool rows, int ref);

private:
    struct Entry {
        int ref;
        const void* data;
    };
    std::vector<Entry>& list(std::size_t group, int kind) { return lists_[group * kKinds + kind]; }
    void* allocate(std::size_t bytes);

    static constexpr int kKinds = 6; // extents (mean, worst) and needs, per axis
    const TiledModel* model_ = nullptr;
    std::vector<std::vector<Entry>> lists_;
    std::vector<std::unique_ptr<std::byte[]>> blocks_, large_;
    std::size_t block_ = 0;     // the block being filled
    std::size_t blockUsed_ = 0; // bytes of it
};

// The largest need region of each slot (groupAxisHalos' layout) along one axis, in pixels:
// the slot's own part of a tile of `ref` pixels on the group's grid plus its worst halo,
// at most its whole extent. What the buffers of a group must hold: loads and unit calls
// (heads); 0 for the layers fused into a call.
void needExtents(const TiledModel& m, const TiledGroup& g, bool rows, int ref,
                 const HaloExtent* worst, int* out);

// A group's need-region extents on one tile: from the memo when one is given, otherwise
// computed into scratch of its own.
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
// `size`: the slot's extent along the axis). Two sources, one interface, so that the
// buffers are summed by one piece of code: the memo's arrays (auto sizing) and worst
// extents computed for one estimate.
struct MemoNeeds {
    const int* rowNeeds;
    const int* colNeeds;
    int rows(std::size_t slot, int) const { return rowNeeds[slot]; }
    int cols(std::size_t slot, int) const { return colNeeds[slot]; }
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
