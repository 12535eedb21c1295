#include "nsga2_ranking.h"

#include <algorithm>
#include <array>
#include <limits>

namespace codesign {

bool constrainedDominates(const RankedMember& a, const RankedMember& b) {
    if (a.feasible != b.feasible)
        return a.feasible;
    if (!a.feasible)
        return a.violation < b.violation;
    return dominates(a.objectives, b.objectives);
}

bool crowdedBetter(const RankedMember& a, const RankedMember& b) {
    if (a.rank != b.rank)
        return a.rank < b.rank;
    return a.crowding > b.crowding;
}

namespace {

void crowd(std::vector<RankedMember>& members, std::vector<std::size_t> front) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (std::size_t i : front)
        members[i].crowding = 0;
    const std::array<double (*)(const Objectives&), 3> objective{
        [](const Objectives& o) { return o.qor; }, [](const Objectives& o) { return o.fps; },
        [](const Objectives& o) {
            return -o.powerW;
        }};
    for (auto value : objective) {
        // Ties by id keep the order, and so the run, deterministic.
        std::sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) {
            const double va = value(members[a].objectives), vb = value(members[b].objectives);
            return va != vb ? va < vb : members[a].id < members[b].id;
        });
        const double lo = value(members[front.front()].objectives);
        const double hi = value(members[front.back()].objectives);
        members[front.front()].crowding = kInf;
        members[front.back()].crowding = kInf;
        if (hi <= lo)
            continue;
        for (std::size_t k = 1; k + 1 < front.size(); ++k)
            members[front[k]].crowding += (value(members[front[k + 1]].objectives) -
                                           value(members[front[k - 1]].objectives)) /
                                          (hi - lo);
    }
}

} // namespace

std::vector<std::vector<std::size_t>> rankAndCrowd(std::vector<RankedMember>& members) {
    const std::size_t n = members.size();
    std::vector<std::vector<std::size_t>> dominatedBy(n); // i dominates these
    std::vector<int> dominators(n, 0);
    std::vector<std::vector<std::size_t>> fronts(1);
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
            if (i == j)
                continue;
            if (constrainedDominates(members[i], members[j]))
                dominatedBy[i].push_back(j);
            else if (constrainedDominates(members[j], members[i]))
                ++dominators[i];
        }
        if (dominators[i] == 0) {
            members[i].rank = 0;
            fronts[0].push_back(i);
        }
    }
    while (!fronts.back().empty()) {
        std::vector<std::size_t> next;
        for (std::size_t i : fronts.back())
            for (std::size_t j : dominatedBy[i])
                if (--dominators[j] == 0) {
                    members[j].rank = static_cast<int>(fronts.size());
                    next.push_back(j);
                }
        fronts.push_back(std::move(next));
    }
    fronts.pop_back();
    for (const auto& front : fronts)
        crowd(members, front);
    return fronts;
}

} // namespace codesign
