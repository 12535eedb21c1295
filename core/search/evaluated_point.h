#pragma once

#include "../estimate/estimate.h"
#include "../qor/qor_evaluator.h"
#include "design_space.h"
#include "pareto.h"

#include <string>
#include <vector>

namespace codesign {

// The constraints of a search (seed step 3): fps >= target, every resource <= cap x device,
// power <= budget. Zero target or budget: no such constraint.
struct SearchConstraints {
    double targetFps = 0;
    double resourceCap = 0.9;
    double powerBudgetW = 0;
};

// One design the search evaluated, with everything the outputs and the GUI show.
struct EvaluatedPoint {
    int id = 0; // order of evaluation, from 0
    DesignPoint point;
    std::string designHash;
    bool valid = true; // false: the network itself is invalid (see violations)
    QorValue qor;
    double fps = 0;
    double latencyMs = 0;
    double powerW = 0;
    double energyPerImageMj = 0; // the estimate's board power / FPS
    Resources used;
    EstimateDetail design; // the accelerator it was sized to (the family's design)
    bool feasible = false; // valid, QoR known, and every constraint met
    std::vector<std::string> violations;
    double objective = 0; // what the strategies maximise (docs/search.md)

    Objectives objectives() const { return {qor.qor, fps, powerW}; }
};

} // namespace codesign
