#include "systolic_energy.h"

#include "../../hw/dsp_packing.h"
#include "../../hw/power_model.h"
#include "../../util/int_math.h"

namespace codesign {
namespace {

constexpr int kBram18PortBits = 36; // the widest RAMB18 port (UG473 / UG573)

double blocksPerWord(int bits) {
    return double(ceilDiv(bits, kBram18PortBits));
}

} // namespace

EnergyTable energyTableFor(const Device& device, const ArrayFormats& f) {
    const PowerCoefficients& c = device.power;
    EnergyTable t;
    // mW per MHz = nJ per cycle = 1000 pJ per cycle.
    t.macPj =
        c.dspMwPerMhz * 1e3 * dspPerMultiplier(device.dspRule, f.weightBits, f.activationBits);
    t.sramAccessPj = c.bram18MwPerMhz * 1e3;
    t.dramBytePj = c.ddrNjPerByte * 1e3;
    return t;
}

EnergyBreakdown actionEnergy(const EnergyTable& t, const ActionCounts& n, const ArrayFormats& f,
                             int ofmapWidth) {
    constexpr double kPjToMj = 1e-9;
    EnergyBreakdown e;
    e.macMj = double(n.macs) * t.macPj * kPjToMj;
    const double blockAccesses = double(n.ifmapAccesses) * blocksPerWord(f.activationBits) +
                                 double(n.filterAccesses) * blocksPerWord(f.weightBits) +
                                 double(n.ofmapAccesses) * blocksPerWord(ofmapWidth);
    e.sramMj = blockAccesses * t.sramAccessPj * kPjToMj;
    e.dramMj = n.dramBytes * t.dramBytePj * kPjToMj;
    return e;
}

PowerBreakdown systolicPower(const Device& device, const Resources& used, double clockMhz,
                             const EnergyBreakdown& energy, double seconds) {
    Resources logicOnly;
    logicOnly.lut = used.lut;
    logicOnly.ff = used.ff;
    PowerBreakdown p = boardPower(device.power, logicOnly, clockMhz, 0);
    if (seconds > 0) {
        p.dspW = energy.macMj * 1e-3 / seconds;
        p.bramW = energy.sramMj * 1e-3 / seconds;
        p.ddrW = energy.dramMj * 1e-3 / seconds;
    }
    return p;
}

} // namespace codesign
