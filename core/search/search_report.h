#pragma once

#include "../model/project.h"
#include "../util/json_writer.h"
#include "../util/result.h"
#include "search_engine.h"

#include <string>

namespace codesign {

struct SearchRunInfo {
    std::string project;
    std::string device;
    std::string strategy;
    bool front = false; // SCD's front mode (--front)
    std::uint64_t seed = 0;
    std::string qorEvaluator;
    bool qorPredicted = false;
    std::string projectFile; // the project explored, as given (may be empty: unsaved)
    std::string projectHash; // searchProjectHash() of it: export checks it (may be empty)
};

// A fingerprint of the project a search explored: 16 hex digits of a 64-bit hash of its
// canonical YAML (comments and layout do not count, every field does).
std::string searchProjectHash(const Project& project);

// What pareto.json in DIR records of the project explored: {projectFile, projectHash}, both
// empty when the run did not record them.
Result<SearchRunInfo> readSearchRunOrigin(const std::string& dir);

// The outputs of `codesign explore --out DIR` (docs/search.md, "Outputs"), written as one
// new folder that replaces DIR whole (whatever DIR held before is gone; the caller decides
// whether that is allowed):
//   archive.csv   every design evaluated: id, scores, resources, coordinates, violations
//   pareto.json   the front, the best design, the hypervolume and the run's settings
//   designs/ID.yaml  the project of every design on the front (for codesign export)
Status writeSearchOutputs(const std::string& dir, const DesignSpace& space,
                          const SearchOutcome& outcome, const SearchRunInfo& info);

// The project of an evaluated design: the space's point applied to the base project, with
// the accelerator the search sized for it written as a fixed design (so that estimating it
// gives the numbers the search saw). designs/ID.yaml and the GUI's "apply" use it.
Result<Project> designProject(const DesignSpace& space, const EvaluatedPoint& point);

// The JSON summary (`--json`): evaluations, hypervolume, pareto, best, ...
void writeSearchSummaryJson(JsonWriter& w, const DesignSpace& space, const SearchOutcome& outcome,
                            const SearchRunInfo& info);

} // namespace codesign
