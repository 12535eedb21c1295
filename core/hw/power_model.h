#pragma once

#include "device.h"
#include "resources.h"

namespace codesign {

// Board power while the accelerator runs (docs/estimator.md, "Power"):
//   P = board_static + pl_static
//     + f_MHz * activity * (c_dsp * DSP + c_bram * BRAM18 + c_lut * LUT + c_ff * FF)
//     + e_ddr * DDR bytes per second
PowerBreakdown boardPower(const PowerCoefficients& c, const Resources& used, double clockMhz,
                          double ddrBytesPerSecond);

} // namespace codesign
