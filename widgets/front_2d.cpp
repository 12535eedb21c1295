#include "front_2d.h"

#include <algorithm>
#include <iterator>

namespace codesign {

bool Front2d::insert(double x, double y, int id) {
    const double key = sense_ == XSense::Maximise ? x : -x;
    // Dominated (or equalled) by a member at least as good in x?
    auto atLeast = byX_.lower_bound(key);
    if (atLeast != byX_.end() && atLeast->second.y >= y)
        return false;
    // Drop members no better in x and no better in y; they sit just below key.
    auto it = byX_.upper_bound(key);
    while (it != byX_.begin()) {
        auto prev = std::prev(it);
        if (prev->second.y > y)
            break;
        it = byX_.erase(prev);
    }
    byX_[key] = {y, id};
    return true;
}

std::vector<Front2d::Member> Front2d::members() const {
    std::vector<Member> out;
    out.reserve(byX_.size());
    for (const auto& [key, e] : byX_)
        out.push_back({sense_ == XSense::Maximise ? key : -key, e.y, e.id});
    if (sense_ == XSense::Minimise)
        std::reverse(out.begin(), out.end());
    return out;
}

} // namespace codesign
