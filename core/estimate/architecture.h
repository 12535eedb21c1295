#pragma once

// The architecture seam (DESIGN.md section 2): every accelerator family (tiled bundle IP,
// streaming dataflow, systolic array) is one implementation of this interface, registered
// by its `arch:` name. Everything above it (CLI, search, GUI, reports) goes through
// estimateDesign() (design_estimate.h) and never names a family's types, except where it
// shows a family's own detail.
//
// A family's keys of the project file are read and written by its format in the project
// format layer (core/model/accelerator_formats.h), so that a Project stays a plain value.
#include "../hw/device.h"
#include "../model/accelerator_spec.h"
#include "../model/graph.h"
#include "../util/json_writer.h"
#include "../util/result.h"
#include "estimate.h"

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace codesign {

// How hard auto sizing looks: every candidate (the CLI, the GUI), or the few that the
// search's inner loop can afford per design.
enum class SizingEffort { Full, Quick };

struct EstimateOptions {
    SizingEffort sizing = SizingEffort::Full;
    bool detailed = true;   // per stage and per layer rows, and the family's full detail
    double resourceCap = 0; // auto sizing's cap; 0: the spec's
};

// What a family derives once from a network and a device, before any design is timed.
class PreparedNetwork {
public:
    virtual ~PreparedNetwork() = default;
};

class Architecture {
public:
    virtual ~Architecture() = default;

    virtual std::string_view name() const = 0;  // the `arch:` value
    virtual std::string_view title() const = 0; // "tiled bundle accelerator"

    virtual std::unique_ptr<PreparedNetwork> prepare(const Graph& graph,
                                                     const Device& device) const = 0;

    // The design the spec fixes, or with spec.autoSize the best design auto sizing finds
    // within the resource cap, estimated. Errors name the position in the spec.
    virtual Result<Estimate> estimate(const PreparedNetwork& prepared, const AcceleratorSpec& spec,
                                      const EstimateOptions& options) const = 0;

    // An estimated design written as a fixed accelerator (what the search writes for a
    // design it found, what the GUI applies), keeping the rest of `base`.
    virtual AcceleratorSpec fixedSpec(const EstimateDetail& design, const Graph& graph,
                                      AcceleratorSpec base) const = 0;

    // Describing an estimate: the family's JSON object of the design (`accelerator`), its
    // further JSON keys of `codesign estimate --json` (after `accelerator`, `layers`
    // included), and the text report's design line and per-layer table.
    virtual void writeDesignJson(JsonWriter& w, const EstimateDetail& design, bool autoSized,
                                 const Graph* graph) const = 0;
    virtual void writeDetailJson(JsonWriter& w, const Graph& graph,
                                 const Estimate& estimate) const = 0;
    virtual std::string describeTable(const Graph& graph, const Device& device,
                                      const Estimate& estimate) const = 0;
    // Lines the text report adds to its totals ("formats      ..."); may be empty.
    virtual std::string describeTotals(const Estimate& estimate) const = 0;
    // One line for people: "PW 8x16, DW 4 lanes, tile 10x20 (B1 4x120)"; with the graph,
    // groups are named.
    virtual std::string designSummary(const EstimateDetail& design, const Graph* graph) const = 0;
    // The design's columns of the search's archive.csv, and one design's cells.
    virtual std::vector<std::string> designCsvColumns() const = 0;
    virtual std::vector<std::string> designCsvCells(const EstimateDetail& design) const = 0;
};

// The registry: every family, in the order of FamilySpec's and EstimateDetail's
// alternatives, so that a spec or an estimate's detail knows its family.
std::span<const Architecture* const> architectures();
const Architecture* findArchitecture(std::string_view name);
const Architecture& architectureOf(const AcceleratorSpec& spec);
const Architecture& architectureOf(const EstimateDetail& design);

} // namespace codesign
