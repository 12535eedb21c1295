#pragma once

#include "../hw/device_library.h"
#include "../model/graph.h"
#include "../model/project.h"
#include "../util/result.h"
#include "auto_sizer.h"
#include "estimate.h"
#include "storage_formats.h"
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
    EffectiveFormats formats; // the storage formats and the layers that widened them
};

// The accelerator written in the project, made concrete for this graph and device
// (device clock when none is given, tile_grid turned into a tile size, group_tiles by
// group name); a group_tiles name the graph does not have is an error at its position.
Result<TiledConfig> fixedConfig(const AcceleratorSpec& spec, const Graph& graph,
                                const TiledModel& model);

// The other way: a concrete design as the fixed accelerator of a project (what the search
// writes for a design it found, and what the GUI applies), keeping the rest of `base`
// (its resource cap). Group tiles equal to the design's tile are left out.
AcceleratorSpec fixedSpec(const TiledConfig& config, const Graph& graph, AcceleratorSpec base = {});

// Project -> graph -> (auto sizing) -> estimate. `deviceName` overrides the project's device.
Result<ProjectEstimate> estimateProject(const Project& project, const DeviceLibrary& library,
                                        const std::string& deviceName = {});

} // namespace codesign
