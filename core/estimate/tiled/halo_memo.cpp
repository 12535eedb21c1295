#include "halo_memo.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

namespace codesign {

namespace {

constexpr std::size_t kBlockBytes = 16384;
constexpr std::size_t kAlign = alignof(std::max_align_t);
constexpr std::size_t kKeptBlocks = 16; // what reset() keeps of the storage

std::size_t slotsOf(const TiledGroup& g) {
    return static_cast<std::size_t>(g.last - g.first + 1) + g.loads.size();
}

} // namespace

void HaloMemo::reset(const TiledModel& model) {
    model_ = &model;
    for (std::vector<Entry>& l : lists_)
        l.clear();
    lists_.resize(model.groups.size() * kKinds);
    large_.clear();
    if (blocks_.size() > kKeptBlocks) // after a large full sizing: give most back
        blocks_.resize(kKeptBlocks);
    block_ = 0;
    blockUsed_ = 0;
}

void* HaloMemo::allocate(std::size_t bytes) {
    bytes = (bytes + kAlign - 1) / kAlign * kAlign;
    if (bytes > kBlockBytes) // a huge group: a block of its own
        return large_.emplace_back(std::make_unique_for_overwrite<std::byte[]>(bytes)).get();
    if (block_ < blocks_.size() && blockUsed_ + bytes > kBlockBytes) {
        ++block_;
        blockUsed_ = 0;
    }
    if (block_ == blocks_.size())
        blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(kBlockBytes));
    void* p = blocks_[block_].get() + blockUsed_;
    blockUsed_ += bytes;
    return p;
}

const HaloExtent* HaloMemo::extents(std::size_t group, bool rows, int ref, bool worst) {
    std::vector<Entry>& l = list(group, (rows ? 2 : 0) + (worst ? 1 : 0));
    for (const Entry& e : l)
        if (e.ref == ref)
            return static_cast<const HaloExtent*>(e.data);
    const TiledGroup& g = model_->groups[group];
    auto* ext = static_cast<HaloExtent*>(allocate(slotsOf(g) * sizeof(HaloExtent)));
    groupAxisHalos(*model_, g, rows, ref, worst, ext);
    l.push_back({ref, ext});
    return ext;
}

const int* HaloMemo::needs(std::size_t group, bool rows, int ref) {
    std::vector<Entry>& l = list(group, rows ? 5 : 4);
    for (const Entry& e : l)
        if (e.ref == ref)
            return static_cast<const int*>(e.data);
    const TiledGroup& g = model_->groups[group];
    const HaloExtent* worst = extents(group, rows, ref, true);
    int* out = static_cast<int*>(allocate(slotsOf(g) * sizeof(int)));
    needExtents(*model_, g, rows, ref, worst, out);
    l.push_back({ref, out});
    return out;
}

void needExtents(const TiledModel& m, const TiledGroup& g, bool rows, int ref,
                 const HaloExtent* worst, int* out) {
    const std::size_t count = static_cast<std::size_t>(g.last - g.first + 1);
    const int refSize = rows ? g.refH : g.refW;
    auto need = [&](int size, const HaloExtent& halo) {
        return needExtent(ref, size, refSize, halo);
    };
    for (std::size_t k = 0; k < count; ++k) {
        const TiledNode& n = m.nodes[g.first + k];
        out[k] = n.head ? need(rows ? n.outH : n.outW, worst[k]) : 0; // a head's call buffers
    }
    for (std::size_t k = 0; k < g.loads.size(); ++k) {
        const TensorTransfer& t = g.loads[k];
        out[count + k] = need(rows ? t.height : t.width, worst[count + k]);
    }
}

GroupHalos::GroupHalos(const TiledModel& m, std::size_t group, TileSize run, bool worst,
                       HaloMemo* memo)
    : scratch_(memo ? 0 : slotsOf(m.groups[group])) {
    if (memo) {
        assert(&memo->model() == &m);
        rows_ = memo->extents(group, true, run.rows, worst);
        cols_ = memo->extents(group, false, run.cols, worst);
        return;
    }
    const TiledGroup& g = m.groups[group];
    groupAxisHalos(m, g, true, run.rows, worst, scratch_.rows());
    groupAxisHalos(m, g, false, run.cols, worst, scratch_.cols());
    rows_ = scratch_.rows();
    cols_ = scratch_.cols();
}

} // namespace codesign
