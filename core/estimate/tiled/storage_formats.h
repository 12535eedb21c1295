#pragma once

#include "../../model/graph.h"

#include <span>
#include <string>
#include <vector>

namespace codesign {

// The tiled accelerator stores every activation in one format and every weight in
// another (the export's act_t and wgt_t, hls_export/export_plan.cpp): the union of the
// layers' formats, enough integer and fractional bits for each. The units multiply in
// them, the tile memories hold them and DDR moves them in containers of their width, so
// one wide layer widens the storage of all (docs/estimator.md, "One format").
struct StorageFormats {
    FixedType activations;
    FixedType weights;
};

// The union of formats: the largest integer part and the largest fractional part.
FixedType unionFormat(std::span<const FixedType> types);

// The storage formats of a network (weights of the layers that have parameters).
StorageFormats storageFormats(const Graph& graph);

// The storage formats and why they are what they are: the layers whose own format does
// not fit the project's (more integer or more fractional bits), in network order. Empty
// lists: the storage is the project's format (or narrower).
struct EffectiveFormats {
    StorageFormats storage;
    FixedType projectActivations;
    FixedType projectWeights;
    std::vector<std::string> activationsForcedBy;
    std::vector<std::string> weightsForcedBy;
};
// Against the project's formats (Graph::defaultWeights, defaultActivations).
EffectiveFormats effectiveFormats(const Graph& graph);

// "activations fixed<12,6> for every layer (the project's fixed<8,4>, widened by L1.conv,
// head: ...), weights fixed<8,2>": one line for reports and the GUI.
std::string describeFormats(const EffectiveFormats& formats);

} // namespace codesign
