#pragma once

// The systolic family's own part of the estimate JSON (issue 14): the accelerator as
// estimated and one object per layer with gemm {sr, sc, t}, folds, compute_cycles,
// stall_cycles, mapping_efficiency, utilization, sram_reads, sram_writes, dram_bytes.
#include "../../model/graph.h"
#include "../../util/json_writer.h"
#include "systolic_detail.h"

namespace codesign {

// {arch: systolic, auto, rows, cols, dataflow, fuse_rows, sram_kb {...},
//  dram_bytes_per_cycle, convention, clock_mhz, batch}
void writeSystolicAcceleratorJson(JsonWriter& w, const SystolicConfig& resolved, bool autoSized);

void writeSystolicLayerJson(JsonWriter& w, const SystolicLayerEstimate& layer, const Node& node);

// An array of the layers of a detailed estimate, in graph order.
void writeSystolicLayersJson(JsonWriter& w, const std::vector<SystolicLayerEstimate>& layers,
                             const Graph& graph);

} // namespace codesign
