#pragma once

#include "pareto.h"

#include <cstddef>
#include <vector>

namespace codesign {

// What NSGA-II knows of a design: its objectives (QoR and FPS up, power down, as the
// archive's) and how far it is from meeting the constraints.
struct RankedMember {
    int id = 0;
    Objectives objectives;
    bool feasible = false;
    double violation = 0; // sum of relative violations; 0 when feasible
    int rank = 0;         // 0: the first non-dominated front
    double crowding = 0;  // crowding distance within its front (infinite at the ends)
};

// Deb's constrained domination: a feasible design beats an infeasible one, of two
// infeasible ones the smaller violation wins, of two feasible ones Pareto dominance decides.
bool constrainedDominates(const RankedMember& a, const RankedMember& b);

// Fast non-dominated sorting under constrained domination, then the crowding distance in
// each front (Deb et al. 2002). Fills rank and crowding; returns the fronts, best first, as
// indices into `members`.
std::vector<std::vector<std::size_t>> rankAndCrowd(std::vector<RankedMember>& members);

// NSGA-II's crowded comparison: lower rank, then larger crowding distance.
bool crowdedBetter(const RankedMember& a, const RankedMember& b);

} // namespace codesign
