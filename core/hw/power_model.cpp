#include "power_model.h"

namespace codesign {

PowerBreakdown boardPower(const PowerCoefficients& c, const Resources& used, double clockMhz,
                          double ddrBytesPerSecond) {
    PowerBreakdown p;
    p.boardStaticW = c.boardStaticW;
    p.plStaticW = c.plStaticW;
    const double scale = clockMhz * c.activity;
    p.dspW = scale * c.dspMwPerMhz * double(used.dsp) / 1e3;
    p.bramW = scale * c.bram18MwPerMhz * double(used.bram18) / 1e3;
    p.logicW = scale * (c.lutUwPerMhz * double(used.lut) + c.ffUwPerMhz * double(used.ff)) / 1e6;
    p.ddrW = c.ddrNjPerByte * 1e-9 * ddrBytesPerSecond;
    return p;
}

} // namespace codesign
