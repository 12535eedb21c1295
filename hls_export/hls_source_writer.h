#pragma once

// The generated part of the HLS sources: cs_config.h (types and parallel factors),
// network.h (the top function and the tensor table the testbench and driver read) and
// network.cpp (layer descriptors, tile tables, the group schedules and the top function).
// The units themselves are a fixed template (resources/templates/hls/cs_units.h).
#include "export_plan.h"

#include <string>

namespace codesign::hls {

inline constexpr const char* kTopFunction = "codesign_top";

std::string configHeader(const Graph& graph, const HlsPlan& plan, const std::string& project);
std::string networkHeader(const Graph& graph, const HlsPlan& plan, const std::string& project);
std::string networkSource(const Graph& graph, const HlsPlan& plan, const std::string& project);

// A C identifier for a layer: "B1.relu_2" -> "B1_relu_2".
std::string identifier(const std::string& name);

} // namespace codesign::hls
