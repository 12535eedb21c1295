#pragma once

#include "evaluated_point.h"
#include "walker.h"

#include <functional>
#include <optional>
#include <vector>

namespace codesign {

// What an SCD walk maximises, computed from an evaluated point.
using PointObjective = std::function<double(const EvaluatedPoint&)>;

// Stochastic coordinate descent (seed step 3) on one objective: from a start point, move one
// random coordinate one step; keep the move when the objective does not get worse. After
// `patience` steps without improvement it has stalled: the next proposal is a random point
// (a restart), unless the owner moves it elsewhere with startAt().
class ScdWalk {
public:
    ScdWalk(Walker& walk, int patience, PointObjective objective)
        : walk_(walk), patience_(patience), objective_(std::move(objective)) {}

    // The next proposal is `p` alone; the walk continues from there under `objective`.
    void startAt(const DesignPoint& p, PointObjective objective);

    std::vector<DesignPoint> propose(std::size_t count);
    void observe(const std::vector<const EvaluatedPoint*>& results);

    bool stalled() const { return restart_; }
    const PointObjective& objective() const { return objective_; }

private:
    Walker& walk_;
    int patience_;
    PointObjective objective_;
    std::optional<DesignPoint> start_; // proposed next, alone
    std::optional<DesignPoint> current_;
    double value_ = 0;
    int stalled_ = 0;
    bool restart_ = false;
};

} // namespace codesign
