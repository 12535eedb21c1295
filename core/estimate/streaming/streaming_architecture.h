#pragma once

// The streaming (fpgaConvNet-style) dataflow family (seed 002) behind the architecture seam.
#include "../architecture.h"
#include "streaming_estimator.h"

namespace codesign {

// The streaming family maps the network per spec (the precision model and the port width
// are the spec's), so its preparation keeps the graph and the device.
class PreparedStreaming : public PreparedNetwork {
public:
    PreparedStreaming(const Graph& network, const Device& target)
        : graph(network), device(target) {}
    const Graph& graph; // prepared networks live within one estimate of the graph
    const Device& device;
};

class StreamingArchitecture : public Architecture {
public:
    std::string_view name() const override { return "streaming"; }
    std::string_view title() const override { return "streaming dataflow accelerator"; }
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

// A hardware layer's unit word in the neutral layer rows ("conv", "fc", "pool", ...).
std::string_view streamingUnitName(HwKind kind);

} // namespace codesign
