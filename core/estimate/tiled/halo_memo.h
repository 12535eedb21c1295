#pragma once

#include "tiled_model.h"

#include <cstddef>
#include <deque>
#include <vector>

namespace codesign {

// Need-region extents (groupAxisHalos) remembered per group, axis, tile extent and mode.
// Each axis depends on its own tile extent only, and auto sizing times the same heights
// with many widths (and widths with many heights) on several arrays, so one sizing
// computes each once. Belongs to one TiledModel and one thread.
class HaloMemo {
public:
    explicit HaloMemo(const TiledModel& model);
    HaloMemo(const HaloMemo&) = delete;
    HaloMemo& operator=(const HaloMemo&) = delete;

    const TiledModel& model() const { return model_; }
    // Slots as groupAxisHalos; the extents stay where they are for the memo's life.
    const HaloExtent* extents(std::size_t group, bool rows, int ref, bool worst);

private:
    struct Entry {
        int ref;
        const HaloExtent* extents;
    };
    const TiledModel& model_;
    std::vector<std::vector<Entry>> lists_; // per group, axis and mode
    std::deque<std::vector<HaloExtent>> store_;
};

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

} // namespace codesign
