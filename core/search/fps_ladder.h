#pragma once

#include "design_space.h"

#include <map>
#include <optional>
#include <set>

namespace codesign {

// The FPS ladder of SCD's front mode (docs/search.md, "Fronts"). It keeps the staircase of
// the designs found so far that meet the run's constraints: FPS up, QoR up, each entry the
// best QoR at its FPS or above. A rung at target t maximises QoR subject to fps >= t; the
// next target is the middle of the gap that may still hide the most area (QoR x FPS), a
// gap being cut short by the targets already tried in it (their rungs found nothing better
// above them).
class FpsLadder {
public:
    explicit FpsLadder(double runTarget) : runTarget_(runTarget) {}

    // A design that meets the run's constraints (the run's FPS target included).
    void add(double fps, double qor, const DesignPoint& point);
    void markTried(double target) { tried_.insert(target); }

    // The run's target first, then the middle of the widest open gap; none when no gap is
    // left wider than `minWidth` FPS.
    std::optional<double> nextTarget(double minWidth) const;

    // The design with the highest QoR at `target` FPS or above; null when none reaches it.
    const DesignPoint* bestAtOrAbove(double target) const;
    std::size_t size() const { return steps_.size(); }

private:
    struct Step {
        double qor;
        DesignPoint point;
    };
    double runTarget_;
    std::map<double, Step> steps_; // by FPS; QoR falls as FPS rises
    std::set<double> tried_;
};

} // namespace codesign
