#pragma once

// Auto sizing of the systolic array (`auto: true`; docs/estimator.md, "Systolic arrays: auto
// sizing"): rows, cols, dataflow and the three SRAM sizes for the device, the fastest design
// whose DSP, BRAM18, LUT and FF all stay at or under cap x the device.
#include "systolic_estimate.h"
#include "systolic_model.h"
#include "systolic_spec.h"

namespace codesign {

struct SystolicAutoResult {
    SystolicSpec spec;  // the chosen design, autoSize false; the rest of `base` kept
    bool found = false; // false: not even the smallest array fits (spec is then `base`)
    int evaluated = 0;  // estimates made
};

// Keeps from `base` what the user decides: fuse_rows, convention, DRAM bandwidth, clock and
// batch. Ties in FPS go to fewer DSPs, then fewer BRAM18.
SystolicAutoResult autoSizeSystolic(const SystolicModel& model, const SystolicSpec& base,
                                    double resourceCap = 0.9);

} // namespace codesign
