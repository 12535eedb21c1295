#pragma once

#include "../estimate/design_estimate.h"
#include "../util/json_writer.h"

#include <string>

namespace codesign {

// `codesign estimate --json`: the documented keys (docs/cli.md); the family adds its own.
void writeEstimateJson(JsonWriter& w, const DesignEstimate& de, const std::string& projectName);

// `codesign estimate`: per-layer table and totals for a terminal.
std::string formatEstimateTable(const DesignEstimate& de, const std::string& projectName);

} // namespace codesign
