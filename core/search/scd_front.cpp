#include "scd_front.h"

#include "fps_ladder.h"
#include "scd_walk.h"

#include <algorithm>

namespace codesign {
namespace {

// The probe spends at most this share of the budget finding the top of the FPS range, and
// one rung at most this share.
constexpr double kProbeShare = 0.1;
constexpr double kRungShare = 0.25;
// Gaps narrower than this share of the FPS range are not split further.
constexpr double kMinGapShare = 1e-4;
// Violations smaller than this are rounding (a design meets the constraint).
constexpr double kTolerance = 1e-9;

// A point's relative violations other than the run's FPS target (resources, power, an
// unknown QoR): what is left of -1 - objective once the FPS shortfall is taken out.
double otherExcess(const EvaluatedPoint& p, double runTarget) {
    double excess = p.feasible ? 0 : -1 - p.objective;
    if (runTarget > 0 && p.fps < runTarget)
        excess -= (runTarget - p.fps) / runTarget;
    return excess > kTolerance ? excess : 0;
}

// The objective of a rung: the engine's, with the rung's FPS target (>= the run's) in
// place of the run's.
double rungObjective(const EvaluatedPoint& p, double runTarget, double rungTarget) {
    if (!p.valid)
        return p.objective;
    double excess = otherExcess(p, runTarget);
    if (rungTarget > 0 && p.fps < rungTarget)
        excess += (rungTarget - p.fps) / rungTarget;
    return excess > 0 ? -1 - excess : p.qor.qor;
}

// The probe's objective: FPS under the run's other constraints.
double probeObjective(const EvaluatedPoint& p, double runTarget) {
    if (!p.valid)
        return p.objective;
    const double excess = otherExcess(p, runTarget);
    return excess > 0 ? -1 - excess : p.fps;
}

class ScdFront : public SearchStrategy {
public:
    ScdFront(const DesignSpace& space, const StrategyOptions& o)
        : space_(space), walk_(space, o.seed),
          scd_(walk_, walkPatience(space, o), [](const EvaluatedPoint&) { return 0.0; }),
          runTarget_(o.targetFps), budget_(std::max(1, o.budget)), ladder_(runTarget_) {
        const double t = runTarget_;
        scd_.startAt(space.basePoint(),
                     [t](const EvaluatedPoint& p) { return probeObjective(p, t); });
        rungBudget_ = std::max(1, static_cast<int>(kProbeShare * budget_));
    }

    std::vector<DesignPoint> propose(std::size_t count) override { return scd_.propose(count); }

    void observe(const std::vector<const EvaluatedPoint*>& results) override {
        for (const EvaluatedPoint* r : results) {
            if (r->id <= newestId_)
                continue;
            newestId_ = r->id;
            ++rungSpent_;
            record(*r);
        }
        scd_.observe(results);
        if (rungSpent_ >= rungBudget_ || scd_.stalled())
            nextRung();
    }

private:
    // Every new design that meets the run's constraints but FPS feeds the ladder; the
    // fastest of them is the top of the FPS range.
    void record(const EvaluatedPoint& p) {
        if (!p.valid || otherExcess(p, runTarget_) > 0)
            return;
        if (p.fps > fastestFps_) {
            fastestFps_ = p.fps;
            fastest_ = p.point;
        }
        if (p.feasible)
            ladder_.add(p.fps, p.qor.qor, p.point);
    }

    // The next rung: the ladder's next target, warm-started from the best design known at
    // it (the best of the rung above when that is the nearest), or from the fastest design
    // when none reaches it yet. With no gap left, a rung at the run's target restarts from a
    // random point, as plain SCD does.
    void nextRung() {
        const double span = std::max(fastestFps_ - runTarget_, 0.0);
        std::optional<double> target = ladder_.nextTarget(kMinGapShare * span);
        DesignPoint start;
        if (target) {
            const DesignPoint* best = ladder_.bestAtOrAbove(*target);
            start = best ? *best : fastest_.empty() ? space_.basePoint() : fastest_;
            ladder_.markTried(*target);
        } else {
            target = runTarget_;
            start = walk_.randomPoint();
        }
        const double runTarget = runTarget_;
        const double rungTarget = *target;
        scd_.startAt(start, [runTarget, rungTarget](const EvaluatedPoint& p) {
            return rungObjective(p, runTarget, rungTarget);
        });
        rungSpent_ = 0;
        rungBudget_ = std::max(1, static_cast<int>(kRungShare * budget_));
    }

    const DesignSpace& space_;
    Walker walk_;
    ScdWalk scd_;
    double runTarget_;
    int budget_;
    FpsLadder ladder_;
    int newestId_ = -1;
    int rungBudget_ = 0;
    int rungSpent_ = 0;
    double fastestFps_ = -1;
    DesignPoint fastest_;
};

} // namespace

std::unique_ptr<SearchStrategy> makeScdFront(const DesignSpace& space,
                                             const StrategyOptions& options) {
    return std::make_unique<ScdFront>(space, options);
}

} // namespace codesign
