#pragma once

// Auto sizing of the systolic array (`auto: true`; docs/estimator.md, "Systolic arrays: auto
// sizing"): rows, cols, dataflow and the three SRAM sizes for the device, the fastest design
// whose DSP, BRAM18, LUT and FF all stay at or under cap x the device.
#include "systolic_config.h"
#include "systolic_estimate.h"
#include "systolic_model.h"

namespace codesign {

struct SystolicAutoResult {
    SystolicConfig config; // the chosen design; the rest of `base` kept
    bool found = false;    // false: not even the smallest array fits (config is then `base`)
    int evaluated = 0;     // estimates made
};

// Keeps from `base` what the user decides: fuse_rows, convention, DRAM bandwidth, clock and
// batch. Ties in FPS go to fewer DSPs, then fewer BRAM18.
SystolicAutoResult autoSizeSystolic(const SystolicModel& model, const SystolicConfig& base,
                                    double resourceCap = 0.9);

} // namespace codesign
