#pragma once

#include "systolic_config.h"
#include "systolic_estimate.h"
#include "systolic_model.h"

namespace codesign {

// The config made concrete for a device: clock and DRAM bytes per cycle (the board's sustained
// DDR bandwidth at that clock) where the config leaves them at 0.
SystolicConfig resolveSystolicConfig(const SystolicConfig& config, const Device& device);
// GB/s of DRAM the array gets when dram_bytes_per_cycle is not given.
double sustainedDramGBps(const MemorySystem& memory);

// Cycles, memory, resources and power of the network on the array (docs/estimator.md,
// "Systolic arrays"). With detailed = false the per-layer rows are left empty (what auto
// sizing and the search use). The config is timed as it is: auto sizing is systolic_auto.h.
SystolicEstimate estimateSystolic(const SystolicModel& model, const SystolicConfig& config,
                                  bool detailed = true);

// The same into an existing estimate, so that repeated calls do not allocate.
void estimateSystolicInto(const SystolicModel& model, const SystolicConfig& config, bool detailed,
                          SystolicEstimate& out);

} // namespace codesign
