#pragma once

#include "../hw/device_library.h"
#include "../model/graph.h"
#include "../model/project.h"
#include "../util/result.h"
#include "auto_sizer.h"
#include "estimate.h"
#include "tiled_model.h"

#include <string>

namespace codesign {

// Everything known about a project after estimation: the resolved network, the device,
// the accelerator that was estimated (chosen by auto sizing or as written) and the numbers.
struct ProjectEstimate {
    Graph graph;
    Device device;
    Estimate estimate;
    bool autoSized = false;
    AutoSizeResult autoResult;
};

// The accelerator written in the project, made concrete for this graph and device
// (device clock when none is given, tile_grid turned into a tile size).
TiledConfig fixedConfig(const AcceleratorSpec& spec, const TiledModel& model);

// Project -> graph -> (auto sizing) -> estimate. `deviceName` overrides the project's device.
Result<ProjectEstimate> estimateProject(const Project& project, const DeviceLibrary& library,
                                        const std::string& deviceName = {});

} // namespace codesign
