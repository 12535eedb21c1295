#pragma once

#include "systolic_estimate.h"
#include "systolic_model.h"
#include "systolic_spec.h"

namespace codesign {

// The spec made concrete for a device: clock and DRAM bytes per cycle (the board's sustained
// DDR bandwidth at that clock) where the spec leaves them at 0.
SystolicSpec resolveSystolicSpec(const SystolicSpec& spec, const Device& device);

// Cycles, memory, resources and power of the network on the array (docs/estimator.md,
// "Systolic arrays"). With detailed = false the per-layer rows are left empty (what auto
// sizing and the search use). `spec.autoSize` is not looked at: size first (systolic_auto.h).
SystolicEstimate estimateSystolic(const SystolicModel& model, const SystolicSpec& spec,
                                  bool detailed = true);

// The same into an existing estimate, so that repeated calls do not allocate.
void estimateSystolicInto(const SystolicModel& model, const SystolicSpec& spec, bool detailed,
                          SystolicEstimate& out);

} // namespace codesign
