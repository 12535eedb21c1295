#pragma once

// The systolic array family (SCALE-Sim, FuSeConv's ST-OS; issue 14) behind the architecture
// seam: `arch: systolic`.
#include "../architecture.h"
#include "systolic_estimate.h"
#include "systolic_model.h"

namespace codesign {

// The systolic family's preparation: the network as GEMMs, row jobs and vector work.
class PreparedSystolic : public PreparedNetwork {
public:
    PreparedSystolic(SystolicModel systolicModel, const Graph& network)
        : model(std::move(systolicModel)), graph(network) {}
    SystolicModel model;
    const Graph& graph; // prepared networks live within one estimate of the graph
};

class SystolicArchitecture : public Architecture {
public:
    std::string_view name() const override { return "systolic"; }
    std::string_view title() const override { return "systolic array"; }
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

} // namespace codesign
