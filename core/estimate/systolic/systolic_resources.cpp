#include "systolic_resources.h"

#include "../../hw/axi_logic.h"
#include "../../hw/bram_packing.h"
#include "../../hw/dsp_packing.h"
#include "../../hw/memory_model.h"
#include "../../util/int_math.h"

#include <algorithm>
#include <cmath>

namespace codesign {
namespace {

// The controller's loops and counters: layer, row fold, column fold, the operand stream
// (T), and an address generator per SRAM (ifmap, filter, ofmap).
constexpr int kControlLoops = 7;
constexpr std::int64_t kSrlDepth = 32; // SRLC32E: a 32-deep shift register per LUT (UG474)

SramLayout layoutSram(const BramRule& rule, int kb, std::int64_t banks, std::int64_t width) {
    SramLayout s;
    s.banks = banks;
    s.width = width;
    s.depth = std::max<std::int64_t>(1, ceilDiv(std::int64_t(kb) * 1024 * 8, banks * width));
    const MemoryCost c = memoryCost(rule, {width, s.depth, banks});
    s.bram18 = c.bram18;
    s.lutramBits = c.lutramBits;
    return s;
}

// LUTs of the delay lines that skew an operand into n lanes: lane i is delayed i cycles,
// `width` bits each, in SRL32s: sum over i < n of ceil(i / 32) per bit.
std::int64_t skewLuts(std::int64_t n, std::int64_t width) {
    const std::int64_t m = n - 1;
    if (m <= 0)
        return 0;
    const std::int64_t full = m / kSrlDepth;
    const std::int64_t perBit =
        kSrlDepth * full * (full + 1) / 2 + (m - kSrlDepth * full) * (full + 1);
    return perBit * width;
}

std::int64_t roundUp(double v) {
    return static_cast<std::int64_t>(std::ceil(v));
}

} // namespace

SystolicResources systolicResources(const SystolicSpec& spec, const Device& device,
                                    const ArrayFormats& f) {
    SystolicResources r;
    const std::int64_t rows = spec.rows;
    const std::int64_t cols = spec.cols;
    const int a = f.activationBits;
    const int w = f.weightBits;
    const int acc = f.accumulatorBits;
    const LogicCoefficients& lc = device.logic;
    const bool is = spec.dataflow == Dataflow::Is;
    const bool os = spec.dataflow == Dataflow::Os;

    r.multipliers = rows * cols;
    r.packed = packsTwoPerSlice(device.dspRule, w, a);
    r.total.dsp = dspSlices(device.dspRule, static_cast<int>(r.multipliers), w, a);

    // One bank per array port: the streams enter the rows (the columns for the stationary
    // inputs of IS), the outputs leave the columns; FuSe rows read and write per row.
    std::int64_t ifmapBanks = is ? cols : rows;
    std::int64_t filterBanks = is ? rows : cols;
    std::int64_t ofmapBanks = cols;
    if (spec.fuseRows) {
        ifmapBanks = std::max(ifmapBanks, rows);
        filterBanks = std::max(filterBanks, rows);
        ofmapBanks = std::max(ofmapBanks, rows);
    }
    const int outWidth = os ? a : acc; // WS and IS keep partial sums in the ofmap buffer
    r.ifmap = layoutSram(device.bramRule, spec.sramKb.ifmap, ifmapBanks, a);
    r.filter = layoutSram(device.bramRule, spec.sramKb.filter, filterBanks, w);
    r.ofmap = layoutSram(device.bramRule, spec.sramKb.ofmap, ofmapBanks, outWidth);
    // The m_axi masters' data FIFOs, as the tiled family's: outstanding requests x burst
    // words (UG1399), one per master.
    const MemoryCost fifo = memoryCost(
        device.bramRule, {device.memory.axiPortBits, kHlsOutstanding * kHlsMaxBurstBeats, 1});
    r.bramAxiFifos = kSystolicAxiMasters * fifo.bram18;
    r.total.bram18 = r.ifmap.bram18 + r.filter.bram18 + r.ofmap.bram18 + r.bramAxiFifos;

    // Each PE: operand registers passing the streams on, the accumulator / partial-sum
    // register, and a 2:1 mux that loads the stationary operand (drains the output for OS).
    const std::int64_t pes = r.multipliers;
    std::int64_t muxBits = os ? acc : is ? a : w;
    if (spec.fuseRows)
        muxBits += w + a; // broadcast weight, and the row's input direction
    r.ffArray = roundUp(double(pes) * ((a + w) * lc.ffPerOperandBit + acc * lc.ffPerAdderBit));
    r.lutArray = roundUp(double(pes) * muxBits * 2 * lc.lutPerMuxInput +
                         (r.packed ? double(pes / 2) * lc.lutPerPackedPair : 0.0));

    // Skew lines: the row stream (ifmap; the filter for IS) and, for OS, the filter entering
    // the columns; the outputs of WS and IS are de-skewed at the bottom.
    r.lutSkew = skewLuts(rows, is ? w : a) + (os ? skewLuts(cols, w) : skewLuts(cols, acc));

    // The vector unit: one lane per column (requantise, activation, pool compare / add).
    r.lutVector = roundUp(double(cols) * (acc + 2 * a) * lc.lutPerAdderBit);
    r.ffVector = roundUp(double(cols) * (acc + a) * lc.ffPerAdderBit);

    // Control: the loops, the AXI shell (masters, control slave, the block design's
    // interconnects and reset; core/hw/axi_logic.h), the device's intercept, LUTRAM.
    const AxiLogic shell = axiShellLogic(lc, kSystolicAxiMasters, device.memory.axiPortBits);
    const std::int64_t lutram = r.ifmap.lutramBits + r.filter.lutramBits + r.ofmap.lutramBits +
                                kSystolicAxiMasters * fifo.lutramBits;
    r.lutControl =
        roundUp(kControlLoops * lc.lutPerLoop + shell.lut + lc.lutBase) + ceilDiv(lutram, 64);
    r.ffControl = roundUp(kControlLoops * lc.ffPerLoop + shell.ff + lc.ffBase);

    r.total.lut = r.lutArray + r.lutSkew + r.lutVector + r.lutControl;
    r.total.ff = r.ffArray + r.ffVector + r.ffControl;
    return r;
}

} // namespace codesign
