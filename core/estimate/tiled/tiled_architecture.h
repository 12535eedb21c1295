#pragma once

// The tiled bundle accelerator (seed 000/001) behind the architecture seam.
#include "../architecture.h"
#include "auto_sizer.h"
#include "tiled_model.h"

namespace codesign {

// The tiled family's preparation: the per-network tables of tiled_model.h.
class PreparedTiled : public PreparedNetwork {
public:
    PreparedTiled(TiledModel tiledModel, const Graph& network)
        : model(std::move(tiledModel)), graph(network) {}
    TiledModel model;
    const Graph& graph; // prepared networks live within one estimate of the graph
};

class TiledArchitecture : public Architecture {
public:
    std::string_view name() const override { return "tiled"; }
    std::string_view title() const override { return "tiled accelerator"; }
    std::unique_ptr<PreparedNetwork> prepare(const Graph& graph,
                                             const Device& device) const override;
    Result<Estimate> estimate(const PreparedNetwork& prepared, const AcceleratorSpec& spec,
                              const EstimateOptions& options) const override;
    AcceleratorSpec fixedSpec(const EstimateDetail& design, const Graph& graph,
                              AcceleratorSpec base) const override;
    void writeDesignJson(JsonWriter& w, const EstimateDetail& design, bool autoSized,
                         const Graph* graph) const override;
    void writeDetailJson(JsonWriter& w, const Graph& graph,
                         const Estimate& estimate) const override;
    std::string describeTable(const Graph& graph, const Device& device,
                              const Estimate& estimate) const override;
    std::string describeTotals(const Estimate& estimate) const override;
    std::string designSummary(const EstimateDetail& design, const Graph* graph) const override;
    std::vector<std::string> designCsvColumns() const override;
    std::vector<std::string> designCsvCells(const EstimateDetail& design) const override;
};

// The accelerator written in the project, made concrete for this network and device
// (device clock when none is given, tile_grid turned into a tile size, group_tiles by
// group name); a group_tiles name the network does not have is an error at its position.
Result<TiledConfig> fixedConfig(const AcceleratorSpec& spec, const TiledModel& model);

// The other way: a concrete design as the fixed accelerator of a project, keeping the rest
// of `base` (its resource cap). Group tiles equal to the design's tile are left out.
AcceleratorSpec fixedSpec(const TiledConfig& config, const Graph& graph, AcceleratorSpec base = {});

// The DW unit's window (0: no DW unit), as the JSON and the table report it.
int dwLanesOf(const Graph& graph);

} // namespace codesign
