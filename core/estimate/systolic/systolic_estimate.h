#pragma once

// What the systolic estimator returns: architecture-neutral totals (cycles, latency, FPS,
// resources, power, feasibility, bottleneck) and the family's per-layer detail.
#include "../../hw/resources.h"
#include "systolic_config.h"
#include "systolic_detail.h"
#include "systolic_energy.h"
#include "systolic_resources.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign {

struct SystolicEstimate {
    SystolicConfig config; // as estimated: clock and DRAM bandwidth resolved from the device
    SystolicResources resources;
    Resources used;
    Resources available;
    std::int64_t cycles = 0; // per batch, compute + stalls
    std::int64_t computeCycles = 0;
    std::int64_t stallCycles = 0;
    double fps = 0;
    double latencyMs = 0;
    double computeBoundFps = 0; // the same design if DRAM were free
    double utilization = 0;     // MACs / (R C cycles)
    std::int64_t macs = 0;      // per image
    std::int64_t dramBytesPerImage = 0;
    std::int64_t sramReads = 0; // per batch
    std::int64_t sramWrites = 0;
    EnergyBreakdown energy; // per batch: MAC, SRAM, DRAM
    PowerBreakdown power;
    double powerW = 0;
    double energyPerImageMj = 0; // board energy: power / fps
    bool feasible = true;
    std::vector<std::string> violations;
    std::string bottleneck;
    std::vector<SystolicLayerEstimate> layers; // detailed only: one per graph node
};

} // namespace codesign
