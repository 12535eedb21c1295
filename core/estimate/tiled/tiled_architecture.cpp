#include "tiled_architecture.h"

#include "tile_geometry.h"
#include "tiled_estimator.h"

#include <algorithm>

namespace codesign {
namespace {

std::string groupNames(const TiledModel& model) {
    std::string names;
    for (const TiledGroup& g : model.groups)
        names += (names.empty() ? "" : ", ") + g.name;
    return names;
}

TileSize fixedTile(const TiledSpec& spec, const TiledModel& model) {
    int refH = 1, refW = 1;
    for (const TiledGroup& g : model.groups)
        if (!g.hostOnly) {
            refH = std::max(refH, g.refH);
            refW = std::max(refW, g.refW);
        }
    if (spec.tileGridRows > 0)
        return {static_cast<int>(ceilDiv(refH, spec.tileGridRows)),
                static_cast<int>(ceilDiv(refW, spec.tileGridCols))};
    return {std::max(1, spec.tileRows), std::max(1, spec.tileCols)};
}

} // namespace

Result<TiledConfig> fixedConfig(const AcceleratorSpec& accelerator, const TiledModel& model) {
    const TiledSpec& spec = std::get<TiledSpec>(accelerator.family);
    TiledConfig c;
    c.clockMhz = effectiveClockMhz(accelerator, model.device.defaultClockMhz);
    c.batch = accelerator.batch;
    c.doubleBuffer = spec.doubleBuffer;
    c.channelBlock = spec.channelBlock;
    c.pwIn = std::max(1, spec.pwIn);
    c.pwOut = std::max(1, spec.pwOut);
    c.dwParallel = std::max(1, spec.dwParallel);
    const TileSize tile = fixedTile(spec, model);
    c.tileRows = tile.rows;
    c.tileCols = tile.cols;
    if (spec.groupTiles.empty() || accelerator.autoSize) // auto sizing chooses group tiles
        return c;
    c.groupTiles.assign(model.groups.size(), c.tile());
    for (const GroupTileSpec& t : spec.groupTiles) {
        auto named = std::find_if(model.groups.begin(), model.groups.end(),
                                  [&](const TiledGroup& g) { return g.name == t.group; });
        if (named == model.groups.end())
            return makeError("group_tiles: the network has no group '" + t.group +
                                 "' (its groups: " + groupNames(model) + ")",
                             t.pos);
        c.groupTiles[named - model.groups.begin()] = {t.rows, t.cols};
    }
    return c;
}

AcceleratorSpec fixedSpec(const TiledConfig& c, const Graph& graph, AcceleratorSpec base) {
    AcceleratorSpec a = std::move(base);
    a.autoSize = false;
    a.clockMhz = c.clockMhz;
    a.batch = c.batch;
    TiledSpec t;
    t.pwIn = c.pwIn;
    t.pwOut = c.pwOut;
    t.dwParallel = c.dwParallel;
    t.tileRows = c.tileRows;
    t.tileCols = c.tileCols;
    t.doubleBuffer = c.doubleBuffer;
    t.channelBlock = c.channelBlock;
    for (std::size_t gi = 0; gi < c.groupTiles.size() && gi < graph.groups.size(); ++gi)
        if (c.hasOwnTile(gi))
            t.groupTiles.push_back(
                {graph.groups[gi].name, c.groupTiles[gi].rows, c.groupTiles[gi].cols, {}});
    a.family = std::move(t);
    return a;
}

std::unique_ptr<PreparedNetwork> TiledArchitecture::prepare(const Graph& graph,
                                                            const Device& device) const {
    return std::make_unique<PreparedTiled>(buildTiledModel(graph, device), graph);
}

Result<Estimate> TiledArchitecture::estimate(const PreparedNetwork& prepared,
                                             const AcceleratorSpec& spec,
                                             const EstimateOptions& options) const {
    const PreparedTiled& tiled = static_cast<const PreparedTiled&>(prepared);
    const TiledModel& model = tiled.model;
    Result<TiledConfig> fixed = fixedConfig(spec, model);
    if (!fixed.ok())
        return fixed.error();
    TiledConfig config = std::move(fixed).value();
    AutoSizeResult sized;
    const double cap = options.resourceCap > 0 ? options.resourceCap : spec.resourceCap;
    if (spec.autoSize) {
        AutoSizeOptions o;
        o.mode = options.sizing == SizingEffort::Quick ? AutoSizeMode::Quick : AutoSizeMode::Full;
        o.clockMhz = config.clockMhz;
        o.batch = config.batch;
        o.doubleBuffer = config.doubleBuffer;
        o.resourceCap = cap;
        sized = autoSizeTiled(model, o);
        config = sized.config;
    }
    Estimate e;
    if (spec.autoSize && sized.found && !options.detailed)
        e = std::move(sized.estimate); // the sizing estimated its design already
    else
        estimateTiledInto(model, config, options.detailed, e);
    e.autoSized = spec.autoSize;
    TiledDetail& detail = std::get<TiledDetail>(e.detail);
    detail.designsTried = sized.evaluated;
    if (options.detailed)
        detail.formats = effectiveFormats(tiled.graph);
    if (spec.autoSize && !sized.found) { // first: it explains the others
        e.violations.push_back("auto sizing found no design within " +
                               std::to_string(int(cap * 100 + 0.5)) +
                               " % of the device's resources");
        std::rotate(e.violations.begin(), e.violations.end() - 1, e.violations.end());
    }
    if (!e.violations.empty()) {
        e.feasible = false;
        if (e.bottleneck.rfind("resource", 0) != 0)
            e.bottleneck = "resource: " + e.violations.front();
    }
    return e;
}

AcceleratorSpec TiledArchitecture::fixedSpec(const EstimateDetail& design, const Graph& graph,
                                             AcceleratorSpec base) const {
    return codesign::fixedSpec(std::get<TiledDetail>(design).config, graph, std::move(base));
}

} // namespace codesign
