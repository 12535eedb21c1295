#include "halo_memo.h"

#include <cassert>

namespace codesign {

namespace {

std::size_t slotsOf(const TiledGroup& g) {
    return static_cast<std::size_t>(g.last - g.first + 1) + g.loads.size();
}

std::size_t listIndex(std::size_t group, bool rows, bool worst) {
    return group * 4 + (rows ? 2 : 0) + (worst ? 1 : 0);
}

} // namespace

HaloMemo::HaloMemo(const TiledModel& model) : model_(model), lists_(model.groups.size() * 4) {}

const HaloExtent* HaloMemo::extents(std::size_t group, bool rows, int ref, bool worst) {
    std::vector<Entry>& list = lists_[listIndex(group, rows, worst)];
    for (const Entry& e : list)
        if (e.ref == ref)
            return e.extents;
    const TiledGroup& g = model_.groups[group];
    std::vector<HaloExtent>& ext = store_.emplace_back(slotsOf(g));
    groupAxisHalos(model_, g, rows, ref, worst, ext.data());
    list.push_back({ref, ext.data()});
    return ext.data();
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
