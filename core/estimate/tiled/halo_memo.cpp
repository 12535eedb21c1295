#include "halo_memo.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

namespace codesign {

namespace {

constexpr std::size_t kBlockBytes = 16384;
constexpr std::size_t kAlign = alignof(std::max_align_t);
constexpr std::size_t kKeptBlocks = 16; // what trim() keeps of the storage
constexpr std::size_t kMaxBlocks = 128; // 2 MB: then trim() forgets everything
constexpr std::size_t kMaxAxes = 4096;  // and the same for many small entries

std::size_t slotsOf(const TiledGroup& g) {
    return static_cast<std::size_t>(g.last - g.first + 1) + g.loads.size();
}

struct Slot {
    int ref;
    const void* data;
};

} // namespace

struct HaloCache::Axis {
    std::uint64_t hash = 0;
    const int* key = nullptr;
    std::size_t length = 0;
    bool rows = false;
    std::vector<Slot> lists[3]; // mean extents, worst extents, needs
};

HaloCache::HaloCache() = default;
HaloCache::~HaloCache() = default;

void HaloCache::clear() {
    ++generation_;
    axes_.clear();
    std::fill(table_.begin(), table_.end(), nullptr);
    large_.clear();
    if (blocks_.size() > kKeptBlocks)
        blocks_.resize(kKeptBlocks);
    block_ = 0;
    blockUsed_ = 0;
}

void HaloCache::trim() {
    if (block_ >= kMaxBlocks || axes_.size() >= kMaxAxes || !large_.empty())
        clear();
}

void* HaloCache::allocate(std::size_t bytes) {
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

HaloCache::Axis* HaloCache::axis(const TiledModel& m, std::size_t group, bool rows) {
    const TiledGroup& g = m.groups[group];
    const HaloKeyRef& ref = g.haloKey[rows ? 1 : 0];
    const int* key;
    std::size_t length;
    std::uint64_t hash;
    if (ref.length > 0) {
        key = m.haloKeys.data() + ref.at;
        length = static_cast<std::size_t>(ref.length);
        hash = ref.hash;
    } else { // a model assembled by hand
        scratchKey_.clear();
        haloAxisKey(m, g, rows, scratchKey_);
        key = scratchKey_.data();
        length = scratchKey_.size();
        hash = haloKeyHash(key, length);
    }
    if (2 * (axes_.size() + 1) > table_.size()) { // keep the table at most half full
        std::vector<Axis*> grown(std::max<std::size_t>(64, 2 * table_.size()), nullptr);
        for (const auto& a : axes_) {
            std::size_t i = a->hash & (grown.size() - 1);
            while (grown[i])
                i = (i + 1) & (grown.size() - 1);
            grown[i] = a.get();
        }
        table_.swap(grown);
    }
    std::size_t i = hash & (table_.size() - 1);
    for (; table_[i]; i = (i + 1) & (table_.size() - 1)) {
        const Axis* a = table_[i];
        if (a->hash == hash && a->length == length && std::equal(key, key + length, a->key))
            return table_[i];
    }
    auto* stored = static_cast<int*>(allocate(length * sizeof(int)));
    std::copy(key, key + length, stored);
    Axis* a = axes_.emplace_back(std::make_unique<Axis>()).get();
    a->hash = hash;
    a->key = stored;
    a->length = length;
    a->rows = rows;
    table_[i] = a;
    return a;
}

const HaloExtent* HaloCache::extents(Axis* a, const TiledModel& m, std::size_t group, int ref,
                                     bool worst) {
    std::vector<Slot>& l = a->lists[worst ? 1 : 0];
    for (const Slot& e : l)
        if (e.ref == ref)
            return static_cast<const HaloExtent*>(e.data);
    const TiledGroup& g = m.groups[group];
    auto* ext = static_cast<HaloExtent*>(allocate(slotsOf(g) * sizeof(HaloExtent)));
    groupAxisHalos(m, g, a->rows, ref, worst, ext);
    l.push_back({ref, ext});
    return ext;
}

const int* HaloCache::needs(Axis* a, const TiledModel& m, std::size_t group, int ref) {
    std::vector<Slot>& l = a->lists[2];
    for (const Slot& e : l)
        if (e.ref == ref)
            return static_cast<const int*>(e.data);
    const TiledGroup& g = m.groups[group];
    const HaloExtent* worst = extents(a, m, group, ref, true);
    int* out = static_cast<int*>(allocate(slotsOf(g) * sizeof(int)));
    needExtents(m, g, a->rows, ref, worst, out);
    l.push_back({ref, out});
    return out;
}

void HaloMemo::reset(const TiledModel& model) {
    model_ = &model;
    cache_.trim();
    logic_.clear();
    if (sameKeysAsLast(model))
        return; // the same geometry: the same entries
    axes_.resize(model.groups.size() * 2);
    lastRefs_.resize(axes_.size());
    for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
        for (bool rows : {false, true}) {
            axes_[gi * 2 + rows] = cache_.axis(model, gi, rows);
            const HaloKeyRef& ref = model.groups[gi].haloKey[rows ? 1 : 0];
            lastRefs_[gi * 2 + rows] = {ref.at, ref.length};
        }
    lastKeys_ = model.haloKeys;
    lastGeneration_ = cache_.generation();
}

// Each group's keys are where they were and read the same, and the cache kept its
// entries. A key of length 0 (a model assembled by hand) is computed, never compared.
bool HaloMemo::sameKeysAsLast(const TiledModel& model) const {
    if (lastGeneration_ != cache_.generation() || axes_.size() != model.groups.size() * 2 ||
        model.haloKeys != lastKeys_)
        return false;
    for (std::size_t gi = 0; gi < model.groups.size(); ++gi)
        for (int axis : {0, 1}) {
            const HaloKeyRef& ref = model.groups[gi].haloKey[axis];
            if (ref.length <= 0 || lastRefs_[gi * 2 + axis] != std::pair(ref.at, ref.length))
                return false;
        }
    return true;
}

const ArrayLogic& HaloMemo::arrayLogic(const TiledConfig& c) {
    for (const KeptLogic& k : logic_)
        if (k.pwIn == c.pwIn && k.pwOut == c.pwOut && k.dwParallel == c.dwParallel)
            return k.logic;
    logic_.push_back({c.pwIn, c.pwOut, c.dwParallel, tiledArrayLogic(*model_, c)});
    return logic_.back().logic;
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

namespace {

HaloCache& cacheOfThread() {
    thread_local HaloCache cache;
    return cache;
}

} // namespace

GroupNeeds::GroupNeeds(const TiledModel& m, std::size_t group, TileSize run) {
    const std::size_t slots = slotsOf(m.groups[group]);
    int* rows = stackR_.data();
    int* cols = stackC_.data();
    if (slots > stackR_.size()) {
        heapR_.resize(slots);
        heapC_.resize(slots);
        rows = heapR_.data();
        cols = heapC_.data();
    }
    HaloCache& cache = cacheOfThread();
    cache.trim();
    std::copy_n(cache.needs(cache.axis(m, group, true), m, group, run.rows), slots, rows);
    std::copy_n(cache.needs(cache.axis(m, group, false), m, group, run.cols), slots, cols);
    rows_ = rows;
    cols_ = cols;
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
    // A fixed design's estimate: the thread's cache, copied, since the next GroupHalos
    // may trim the cache while this one lives.
    HaloCache& cache = cacheOfThread();
    cache.trim();
    const std::size_t slots = slotsOf(m.groups[group]);
    std::copy_n(cache.extents(cache.axis(m, group, true), m, group, run.rows, worst), slots,
                scratch_.rows());
    std::copy_n(cache.extents(cache.axis(m, group, false), m, group, run.cols, worst), slots,
                scratch_.cols());
    rows_ = scratch_.rows();
    cols_ = scratch_.cols();
}

} // namespace codesign
