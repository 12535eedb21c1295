#pragma once

// The studio's low-rank action (docs/gui.md): an adapter over core/transform's
// lowRankTransform (the API `codesign transform --low-rank` uses). The core takes either
// an OPs budget for every conv or ranks for named layers; the studio decomposes only the
// selected network entries, so this adapter turns the budget into scheme s1's ranks for
// their convs (schemeRankForBudget, the rule of --ops-budget). Layers are judged on the
// project's architecture (cycles), as `codesign transform` does without --by-macs.
#include "core/model/project.h"
#include "core/transform/low_rank.h"
#include "core/util/result.h"

#include <string>
#include <vector>

namespace codesign {

struct LowRankEdit {
    Project project;         // the new project; `weights` names the new weight file
    std::string weightsPath; // where the new weights were written
    transform::LowRankResult result;
    std::vector<std::string> entries; // the entries' names ("B4", "B2 to B3", "L12")
};

// Empty when the project can take the low-rank transform; else why not ("the project has
// no weights: import a model or give it a weights file").
std::string lowRankUnavailableReason(const Project& project, const std::string& projectPath);

// Decomposes the convs of the network entries `rows` (a bundle instance: all its layers and
// repeats) at `budget`, with the project's weights, and writes the new weights beside the
// old ones under a name no file has yet ("<stem>.lowrank<N>.weights.bin"), atomically. The
// old weights file is not touched, so undoing the edit restores the project exactly.
Result<LowRankEdit> lowRankEdit(const Project& project, const std::string& projectPath,
                                const std::vector<int>& rows, double budget);

} // namespace codesign
