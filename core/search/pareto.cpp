#include "pareto.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>

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

namespace {

// The 2-D non-dominated staircase of (qor, fps) points, x descending with y ascending,
// so that the area above the reference is one pass without sorting.
class Staircase {
public:
    void insert(double x, double y) {
        // Of the points with x' >= x, the one with the smallest x' has the largest y'.
        auto at = steps_.lower_bound(x); // first x' <= x (map is x-descending)
        if (at != steps_.begin() && std::prev(at)->second >= y)
            return; // dominated by a point further right
        if (at != steps_.end() && at->first == x && at->second >= y)
            return;
        // Drop the points with x' <= x and y' <= y that the new point dominates.
        while (at != steps_.end() && at->second <= y)
            at = steps_.erase(at);
        steps_.emplace_hint(at, x, y);
    }

    double area(double rx, double ry) const {
        double total = 0;
        double maxY = ry;
        for (const auto& [x, y] : steps_) {
            if (x <= rx || y <= maxY)
                continue;
            total += (x - rx) * (y - maxY);
            maxY = y;
        }
        return total;
    }

private:
    std::map<double, double, std::greater<>> steps_;
};

} // namespace

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
    Staircase active;
    for (std::size_t i = 0; i < pts.size(); ++i) {
        active.insert(pts[i].qor, pts[i].fps);
        const double next = i + 1 < pts.size() ? pts[i + 1].powerW : ref.powerW;
        if (next > pts[i].powerW)
            volume += active.area(ref.qor, ref.fps) * (next - pts[i].powerW);
    }
    return volume;
}

} // namespace codesign
