#pragma once

// `codesign compare`: the families side by side (docs/cli.md).
#include "../estimate/family_compare.h"
#include "../util/json_writer.h"

#include <string>
#include <vector>

namespace codesign {

// {project, device {name, part}, families: [{arch, title, fps, latency_ms, ...} or
// {arch, error}]}.
void writeComparisonJson(JsonWriter& w, const std::vector<FamilyEstimate>& families,
                         const Device& device, const std::string& projectName);

// One row per family (FPS, latency, power, resources, bottleneck), then each design.
std::string formatComparisonTable(const std::vector<FamilyEstimate>& families, const Device& device,
                                  const std::string& projectName);

} // namespace codesign
