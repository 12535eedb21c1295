#pragma once

#include "../estimate/architecture.h"
#include "../hw/device.h"
#include "../model/graph.h"
#include "evaluated_point.h"

#include <map>
#include <memory>
#include <optional>

namespace codesign {

// The hardware side of one candidate: network built, accelerator sized, estimate made.
struct CandidateQos {
    Project project;
    Graph graph;
    std::string designHash;
    bool valid = false;
    std::string invalidReason;
    Estimate estimate; // totals only
};

// Turns design points into QoS (graph -> auto sizing -> estimate) and scores them.
class CandidateEvaluator {
public:
    CandidateEvaluator(const DesignSpace& space, Device device, SearchConstraints constraints,
                       SizingEffort sizing = SizingEffort::Quick);

    CandidateQos qos(const DesignPoint& point) const;

    // Fills feasibility, violations and the objective of a point whose QoS and QoR are in:
    //   feasible: objective = QoR
    //   otherwise: objective = -1 - (sum of relative violations), so that any feasible
    //   design beats any infeasible one and a smaller violation beats a larger one.
    //   an invalid network: objective = -1000 (its violations, the reason, are kept).
    void score(EvaluatedPoint& p) const;

    const Device& device() const { return device_; }
    const SearchConstraints& constraints() const { return constraints_; }

private:
    const DesignSpace& space_;
    Device device_;
    SearchConstraints constraints_;
    SizingEffort sizing_;
};

} // namespace codesign
