#include "project_estimate.h"

#include "../model/project_device.h"
#include "tile_geometry.h"
#include "tiled_estimator.h"

#include <algorithm>

namespace codesign {

Result<TiledConfig> fixedConfig(const AcceleratorSpec& spec, const Graph& graph,
                                const TiledModel& model) {
    TiledConfig c;
    c.clockMhz = spec.clockMhz > 0 ? spec.clockMhz : model.device.defaultClockMhz;
    c.batch = spec.batch;
    c.doubleBuffer = spec.doubleBuffer;
    c.pwIn = std::max(1, spec.pwIn);
    c.pwOut = std::max(1, spec.pwOut);
    c.dwParallel = std::max(1, spec.dwParallel);
    int refH = 1, refW = 1;
    for (const TiledGroup& g : model.groups)
        if (!g.hostOnly) {
            refH = std::max(refH, g.refH);
            refW = std::max(refW, g.refW);
        }
    if (spec.tileGridRows > 0) {
        c.tileRows = static_cast<int>(ceilDiv(refH, spec.tileGridRows));
        c.tileCols = static_cast<int>(ceilDiv(refW, spec.tileGridCols));
    } else {
        c.tileRows = std::max(1, spec.tileRows);
        c.tileCols = std::max(1, spec.tileCols);
    }
    if (!spec.groupTiles.empty()) {
        c.groupTiles.assign(graph.groups.size(), c.tile());
        for (const GroupTileSpec& t : spec.groupTiles) {
            auto named = std::find_if(graph.groups.begin(), graph.groups.end(),
                                      [&](const ExecGroup& g) { return g.name == t.group; });
            if (named == graph.groups.end()) {
                std::string names;
                for (const ExecGroup& g : graph.groups)
                    names += (names.empty() ? "" : ", ") + g.name;
                return makeError("group_tiles: the network has no group '" + t.group +
                                     "' (its groups: " + names + ")",
                                 t.pos);
            }
            c.groupTiles[named - graph.groups.begin()] = {t.rows, t.cols};
        }
    }
    return c;
}

AcceleratorSpec fixedSpec(const TiledConfig& c, const Graph& graph, AcceleratorSpec base) {
    AcceleratorSpec a = std::move(base);
    a.autoSize = false;
    a.clockMhz = c.clockMhz;
    a.batch = c.batch;
    a.pwIn = c.pwIn;
    a.pwOut = c.pwOut;
    a.dwParallel = c.dwParallel;
    a.tileRows = c.tileRows;
    a.tileCols = c.tileCols;
    a.tileGridRows = a.tileGridCols = 0;
    a.doubleBuffer = c.doubleBuffer;
    a.groupTiles.clear();
    for (std::size_t gi = 0; gi < c.groupTiles.size() && gi < graph.groups.size(); ++gi)
        if (c.hasOwnTile(gi))
            a.groupTiles.push_back(
                {graph.groups[gi].name, c.groupTiles[gi].rows, c.groupTiles[gi].cols, {}});
    return a;
}

Result<ProjectEstimate> estimateProject(const Project& project, const DeviceLibrary& library,
                                        const std::string& deviceName) {
    Result<Graph> graph = buildGraph(project);
    if (!graph.ok())
        return graph.error();
    Result<Device> device = resolveDevice(project, library, deviceName);
    if (!device.ok())
        return device.error();

    ProjectEstimate pe;
    pe.graph = std::move(graph).value();
    pe.device = std::move(device).value();
    pe.formats = effectiveFormats(pe.graph, project.precision);
    const TiledModel model = buildTiledModel(pe.graph, pe.device);
    const AcceleratorSpec& spec = project.accelerator;
    Result<TiledConfig> fixed = fixedConfig(spec, pe.graph, model);
    if (!fixed.ok()) {
        fixed.error().file = project.sourceFile;
        return fixed.error();
    }
    TiledConfig config = std::move(fixed).value();
    if (spec.autoSize) {
        AutoSizeOptions options;
        options.clockMhz = config.clockMhz;
        options.batch = config.batch;
        options.doubleBuffer = config.doubleBuffer;
        options.resourceCap = spec.resourceCap;
        pe.autoResult = autoSizeTiled(model, options);
        pe.autoSized = true;
        config = pe.autoResult.config;
    }
    pe.estimate = estimateTiled(model, config, true);
    if (pe.autoSized && !pe.autoResult.found)
        pe.estimate.violations.insert(pe.estimate.violations.begin(),
                                      "auto sizing found no design within " +
                                          std::to_string(int(spec.resourceCap * 100 + 0.5)) +
                                          " % of the device's resources");
    if (!pe.estimate.violations.empty()) {
        pe.estimate.feasible = false;
        if (pe.estimate.bottleneck.rfind("resource", 0) != 0)
            pe.estimate.bottleneck = "resource: " + pe.estimate.violations.front();
    }
    return pe;
}

} // namespace codesign
