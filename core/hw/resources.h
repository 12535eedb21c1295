#pragma once

#include <cstdint>

namespace codesign {

// FPGA resources a design uses, or a device has.
struct Resources {
    std::int64_t dsp = 0;
    std::int64_t bram18 = 0;
    std::int64_t lut = 0;
    std::int64_t ff = 0;
};

// Board power while the accelerator runs, by term (docs/estimator.md, "Power").
struct PowerBreakdown {
    double boardStaticW = 0;
    double plStaticW = 0;
    double dspW = 0;
    double bramW = 0;
    double logicW = 0; // LUT + FF
    double ddrW = 0;
    double totalW() const { return boardStaticW + plStaticW + dspW + bramW + logicW + ddrW; }
};

} // namespace codesign
