#pragma once

// What the systolic family's estimate says beyond the architecture-neutral totals
// (core/estimate/estimate.h): the design as estimated and, per layer, the GEMM on the array
// with its folds, cycles, efficiency and memory traffic (issue 14's JSON keys).
#include "systolic_config.h"
#include "systolic_energy.h"
#include "systolic_gemm.h"
#include "systolic_resources.h"
#include "systolic_unit.h"

#include <cstdint>
#include <vector>

namespace codesign {

// One graph node on the array (the JSON per layer). For depthwise and fuse layers
// `gemm` is one channel's GEMM, repeated `gemmCount` times; for fuse on rows it is
// (lines, stride-1 positions, K) of the larger branch. Counts are per batch.
struct SystolicLayerEstimate {
    int node = 0;
    SystolicUnit unit = SystolicUnit::Free;
    GemmMap gemm;
    std::int64_t gemmCount = 0;
    std::int64_t folds = 0;
    std::int64_t computeCycles = 0;
    std::int64_t stallCycles = 0;
    double mappingEfficiency = 0; // used PEs per fold, averaged over the folds
    double utilization = 0;       // MACs / (R C (compute + stall cycles))
    std::int64_t sramReads = 0;   // words
    std::int64_t sramWrites = 0;
    std::int64_t dramBytes = 0;
    std::int64_t macs = 0;

    std::int64_t cycles() const { return computeCycles + stallCycles; }
};

struct SystolicDetail {
    SystolicConfig config; // as estimated: clock and DRAM bandwidth resolved from the device
    int designsTried = 0;  // auto sizing: designs timed (0: fixed design)
    SystolicResources resources;
    std::int64_t computeCycles = 0; // per batch
    std::int64_t stallCycles = 0;
    double utilization = 0;     // MACs / (R C cycles)
    std::int64_t sramReads = 0; // words, per batch
    std::int64_t sramWrites = 0;
    EnergyBreakdown energy;                    // per batch: MAC, SRAM, DRAM
    std::vector<SystolicLayerEstimate> layers; // detailed estimates only: one per graph node
};

} // namespace codesign
