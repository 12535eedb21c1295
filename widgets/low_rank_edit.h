#pragma once

// The studio's low-rank action (docs/gui.md): an adapter over core/transform's
// lowRankTransform (the API `codesign transform --low-rank` uses), with the CLI's choices:
// the scheme (auto, s0..s3), an OPs budget or a ranks file, and the revert rule (cycles on
// the project's design, or MACs as --by-macs). The budget acts on the convs of the selected
// network entries only; a ranks file names its layers itself, as the CLI's --ranks.
#include "core/model/project.h"
#include "core/transform/low_rank.h"
#include "core/util/result.h"

#include <map>
#include <string>
#include <vector>

namespace codesign {

// What the user chose in the Low-rank dialog: the CLI's options of `transform --low-rank`.
struct LowRankSettings {
    std::string scheme = "auto"; // --scheme: auto, s0, s1, s2 or s3
    double budget = 0.5;         // --ops-budget, when there is no ranks file
    std::string ranksFile;       // --ranks: "LAYER RANK" lines; set: used instead of budget
    bool byMacs = false;         // --by-macs: revert by MACs, not cycles on the design
};

struct LowRankEdit {
    Project project;         // the new project; `weights` names the new weight file
    std::string weightsPath; // where the new weights were written
    transform::LowRankResult result;
    std::vector<std::string> entries; // the entries' names ("B4", "B2 to B3", "L12")
};

// Empty when the project can take the low-rank transform; else why not ("the project has
// no weights: import a model or give it a weights file").
std::string lowRankUnavailableReason(const Project& project, const std::string& projectPath);

// Decomposes, with the project's weights: at `settings.budget`, the convs of the network
// entries `rows` (a bundle instance: all its layers and repeats); with a ranks file, the
// layers it names at its ranks (`rows` unused). Writes the new weights beside the old ones
// under a name no file has yet ("<stem>.lowrank<N>.weights.bin"), atomically. The old
// weights file is not touched, so undoing the edit restores the project exactly.
Result<LowRankEdit> lowRankEdit(const Project& project, const std::string& projectPath,
                                const std::vector<int>& rows, const LowRankSettings& settings);

// The layers and ranks of a ranks file (transform::parseRanks); errors name file:line.
Result<std::map<std::string, int>> readRanksFile(const std::string& path);

} // namespace codesign
