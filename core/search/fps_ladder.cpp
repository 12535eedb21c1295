#include "fps_ladder.h"

#include <iterator>

namespace codesign {

void FpsLadder::add(double fps, double qor, const DesignPoint& point) {
    // Dominated when a design at least as fast is at least as good.
    auto at = steps_.lower_bound(fps);
    if (at != steps_.end() && at->second.qor >= qor)
        return;
    // Drop the slower (or equally fast) designs it beats.
    while (at != steps_.begin() && std::prev(at)->second.qor <= qor)
        steps_.erase(std::prev(at));
    if (at != steps_.end() && at->first == fps)
        at = steps_.erase(at);
    steps_.emplace_hint(at, fps, Step{qor, point});
}

std::optional<double> FpsLadder::nextTarget(double minWidth) const {
    if (!tried_.count(runTarget_))
        return runTarget_;
    std::optional<double> best;
    double widest = 0;
    for (auto lo = steps_.begin(); lo != steps_.end() && std::next(lo) != steps_.end(); ++lo) {
        const auto hi = std::next(lo);
        // Targets tried inside the gap found nothing above them that beats `hi`.
        double upper = hi->first;
        if (auto t = tried_.upper_bound(lo->first); t != tried_.end() && *t < upper)
            upper = *t;
        const double area = (upper - lo->first) * (lo->second.qor - hi->second.qor);
        if (upper - lo->first > minWidth && area > widest) {
            widest = area;
            best = 0.5 * (lo->first + upper);
        }
    }
    return best;
}

const DesignPoint* FpsLadder::bestAtOrAbove(double target) const {
    auto at = steps_.lower_bound(target);
    return at == steps_.end() ? nullptr : &at->second.point;
}

} // namespace codesign
