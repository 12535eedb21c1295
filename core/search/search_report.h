#pragma once

#include "../util/json_writer.h"
#include "../util/result.h"
#include "search_engine.h"

#include <string>

namespace codesign {

struct SearchRunInfo {
    std::string project;
    std::string device;
    std::string strategy;
    std::uint64_t seed = 0;
    std::string qorEvaluator;
    bool qorPredicted = false;
};

// The outputs of `codesign explore --out DIR` (docs/search.md, "Outputs"), written as one
// new folder that replaces DIR whole (whatever DIR held before is gone; the caller decides
// whether that is allowed):
//   archive.csv   every design evaluated: id, scores, resources, coordinates, violations
//   pareto.json   the front, the best design, the hypervolume and the run's settings
//   designs/ID.yaml  the project of every design on the front (for codesign export)
Status writeSearchOutputs(const std::string& dir, const DesignSpace& space,
                          const SearchOutcome& outcome, const SearchRunInfo& info);

// The JSON summary (`--json`): evaluations, hypervolume, pareto, best, ...
void writeSearchSummaryJson(JsonWriter& w, const DesignSpace& space, const SearchOutcome& outcome,
                            const SearchRunInfo& info);

} // namespace codesign
