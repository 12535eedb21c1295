#include "scd_walk.h"

namespace codesign {

void ScdWalk::startAt(const DesignPoint& p, PointObjective objective) {
    objective_ = std::move(objective);
    start_ = p;
    current_.reset();
    restart_ = false;
    stalled_ = 0;
}

std::vector<DesignPoint> ScdWalk::propose(std::size_t count) {
    if (!current_ && start_)
        return {*start_};
    if (!current_ || restart_)
        return {walk_.randomPoint()};
    std::vector<DesignPoint> moves;
    for (std::size_t k = 0; k < count; ++k)
        moves.push_back(walk_.neighbour(*current_));
    return moves;
}

void ScdWalk::observe(const std::vector<const EvaluatedPoint*>& results) {
    const EvaluatedPoint* best = nullptr;
    double bestValue = 0;
    for (const EvaluatedPoint* r : results) {
        const double v = objective_(*r);
        if (!best || v > bestValue) {
            best = r;
            bestValue = v;
        }
    }
    if (!best)
        return;
    if (!current_ || restart_) {
        current_ = best->point;
        value_ = bestValue;
        start_.reset();
        restart_ = false;
        stalled_ = 0;
        return;
    }
    if (bestValue > value_)
        stalled_ = 0;
    else
        ++stalled_;
    if (bestValue >= value_) {
        current_ = best->point;
        value_ = bestValue;
    }
    if (stalled_ >= patience_)
        restart_ = true;
}

} // namespace codesign
