#pragma once

// One entry point for every estimate (the CLI, the search, the GUI, the quantization
// curves): project -> graph -> the project's architecture -> (auto sizing) -> Estimate.
#include "../hw/device_library.h"
#include "../model/graph.h"
#include "../model/project.h"
#include "../util/result.h"
#include "architecture.h"

#include <string>

namespace codesign {

// Everything known about a project after estimation: the resolved network, the device,
// and the numbers of the accelerator that was estimated (chosen by auto sizing or as
// written; Estimate::detail holds the design).
struct DesignEstimate {
    Graph graph;
    Device device;
    Estimate estimate;
    const Architecture* architecture = nullptr; // the project's family (registry entry)
};

struct DesignRequest {
    std::string deviceName; // another device of the library than the project's
    EstimateOptions options;
};

Result<DesignEstimate> estimateDesign(const Project& project, const DeviceLibrary& library,
                                      const DesignRequest& request = {});

// A graph already built, on a device already resolved (the search, the curves).
Result<Estimate> estimateDesign(const Graph& graph, const Device& device,
                                const AcceleratorSpec& spec, const EstimateOptions& options = {});

// A design's estimate written back into a project: the accelerator as a fixed design
// (the search's designs/ID.yaml, the GUI's "apply design").
Project withFixedDesign(Project project, const Graph& graph, const EstimateDetail& design);

} // namespace codesign
