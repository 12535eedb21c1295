#pragma once

#include "../estimate/project_estimate.h"
#include "../util/json_writer.h"

#include <string>

namespace codesign {

// The accelerator configuration as JSON fields (also used by the search's outputs).
// dwLanes: the DW unit's window; 0 when there is no DW unit, negative when unknown.
void writeAcceleratorJson(JsonWriter& w, const TiledConfig& config, bool autoSized, int dwLanes);

// `codesign estimate --json`: the documented keys (docs/cli.md).
void writeEstimateJson(JsonWriter& w, const ProjectEstimate& pe, const std::string& projectName);

// `codesign estimate`: per-layer table and totals for a terminal.
std::string formatEstimateTable(const ProjectEstimate& pe, const std::string& projectName);

} // namespace codesign
