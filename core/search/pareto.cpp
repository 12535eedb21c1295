#include "pareto.h"

#include <algorithm>

namespace codesign {

bool dominates(const Objectives& a, const Objectives& b) {
    const bool noWorse = a.qor >= b.qor && a.fps >= b.fps && a.powerW <= b.powerW;
    const bool better = a.qor > b.qor || a.fps > b.fps || a.powerW < b.powerW;
    return noWorse && better;
}

bool ParetoArchive::insert(int id, const Objectives& o) {
    for (const Entry& e : front_)
        if (dominates(e.objectives, o) || (e.objectives.qor == o.qor && e.objectives.fps == o.fps &&
                                           e.objectives.powerW == o.powerW))
            return false;
    std::erase_if(front_, [&](const Entry& e) { return dominates(o, e.objectives); });
    front_.push_back({id, o});
    return true;
}

bool ParetoArchive::contains(int id) const {
    return std::any_of(front_.begin(), front_.end(), [&](const Entry& e) { return e.id == id; });
}

double hypervolume2d(std::vector<std::pair<double, double>> points, double rx, double ry) {
    // Sweep from the largest x down; each point adds the strip its y raises.
    std::sort(points.begin(), points.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    double area = 0;
    double maxY = ry;
    for (const auto& [x, y] : points) {
        if (x <= rx || y <= maxY)
            continue;
        area += (x - rx) * (y - maxY);
        maxY = y;
    }
    return area;
}

double hypervolume3d(const std::vector<Objectives>& points, const Objectives& ref) {
    // Slice along power: between consecutive power levels the dominated region is the
    // 2-D area (QoR x FPS) of the points at or below that power.
    std::vector<Objectives> pts;
    for (const Objectives& p : points)
        if (p.qor > ref.qor && p.fps > ref.fps && p.powerW < ref.powerW)
            pts.push_back(p);
    std::sort(pts.begin(), pts.end(),
              [](const Objectives& a, const Objectives& b) { return a.powerW < b.powerW; });
    double volume = 0;
    std::vector<std::pair<double, double>> active;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        active.emplace_back(pts[i].qor, pts[i].fps);
        const double next = i + 1 < pts.size() ? pts[i + 1].powerW : ref.powerW;
        if (next > pts[i].powerW)
            volume += hypervolume2d(active, ref.qor, ref.fps) * (next - pts[i].powerW);
    }
    return volume;
}

} // namespace codesign
