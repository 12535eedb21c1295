#include "tiled_resources.h"

#include "../hw/bram_packing.h"
#include "../hw/dsp_packing.h"
#include "tile_geometry.h"

#include <algorithm>

namespace codesign {
namespace {

int banksFor(Unit unit, const TiledConfig& c) {
    switch (unit) {
    case Unit::Dw:
        return std::max(1, c.dwParallel);
    default:
        return std::max(1, c.pwOut);
    }
}

} // namespace

TiledResources tiledResources(const TiledModel& m, const TiledConfig& c, bool perNode) {
    TiledResources r;
    const Device& dev = m.device;
    const BramRule& bram = dev.bramRule;
    const int tn = std::max(1, c.pwIn);
    const int tm = std::max(1, c.pwOut);
    const int pd = m.hasDw ? std::max(1, c.dwParallel) : 0;
    const int factor = c.doubleBuffer ? 2 : 1;

    // --- DSP: the two multiplier arrays, sized for the widest precision they run.
    const int pwMults = m.hasPw ? tn * tm : 0;
    const int dwMults = pd * m.dwLanes;
    r.dspPw = dspSlices(dev.dspRule, pwMults, m.pwWeightBits, m.pwActivationBits);
    r.dspDw = dspSlices(dev.dspRule, dwMults, m.dwWeightBits, m.dwActivationBits);

    // --- BRAM18: input tile buffer, DW line buffers, on-chip tensors, PW partial sums.
    const int inBanks = std::max(m.hasPw ? tn : 1, pd);
    std::int64_t inDepth = 0;
    std::int64_t lineDepth = 0;
    std::int64_t tensorBram = 0;
    std::int64_t lutramBitsTotal = 0;
    std::int64_t maxTilePixels = 1;
    if (perNode)
        r.nodeBram.assign(m.nodes.size(), 0);
    for (const TiledGroup& g : m.groups) {
        if (g.hostOnly)
            continue;
        const int trRef = std::min(c.tileRows, g.refH);
        const int tcRef = std::min(c.tileCols, g.refW);
        std::int64_t depth = 0;
        for (const TensorTransfer& t : g.loads) {
            const int rows = tileExtent(trRef, t.height, g.refH) + t.haloRows;
            const int cols = tileExtent(tcRef, t.width, g.refW) + t.haloCols;
            depth += ceilDiv(t.channels, inBanks) * rows * cols;
            if (m.hasDw)
                lineDepth = std::max<std::int64_t>(lineDepth, cols);
        }
        inDepth = std::max(inDepth, depth);
        std::int64_t groupBram = 0;
        for (int i = g.first; i <= g.last; ++i) {
            const TiledNode& n = m.nodes[i];
            if (!n.onChipOutput)
                continue;
            const int tr = tileExtent(trRef, n.outH, g.refH);
            const int tc = tileExtent(tcRef, n.outW, g.refW);
            if (n.unit == Unit::Pw)
                maxTilePixels = std::max<std::int64_t>(maxTilePixels, std::int64_t(tr) * tc);
            const int banks = banksFor(n.unit, c);
            const MemoryCost cost =
                memoryCost(bram, {n.activationBits, ceilDiv(n.outC, banks) * tr * tc, banks});
            const std::int64_t b = factor * cost.bram18;
            lutramBitsTotal += factor * cost.lutramBits;
            groupBram += b;
            if (perNode)
                r.nodeBram[i] = b;
        }
        tensorBram = std::max(tensorBram, groupBram);
    }
    const MemoryCost input = memoryCost(bram, {m.maxActivationBits, inDepth, inBanks});
    r.bramInput = factor * input.bram18;
    lutramBitsTotal += factor * input.lutramBits;
    if (m.hasDw) {
        // A K x K window keeps K-1 earlier rows per lane (sqrt of the taps, rounded up).
        int k = 1;
        while (k * k < m.dwLanes)
            ++k;
        const MemoryCost lines =
            memoryCost(bram, {m.dwActivationBits, lineDepth, std::int64_t(pd) * (k - 1)});
        r.bramLines = lines.bram18;
        lutramBitsTotal += lines.lutramBits;
    }
    r.bramTensors = tensorBram;
    if (m.hasPw) {
        const MemoryCost psum = memoryCost(bram, {m.pwAccBits, maxTilePixels, tm});
        r.bramPsum = psum.bram18;
        lutramBitsTotal += psum.lutramBits;
    }

    // --- LUT and FF: linear in what the datapath holds (docs/estimator.md).
    const LogicCoefficients& k = dev.logic;
    const int ports = std::min(3, dev.memory.axiPorts);
    double lut = k.lutBase + ports * k.lutPerAxiPort;
    double ff = k.ffBase + ports * k.ffPerAxiPort;
    if (m.hasPw) {
        const double treeBits = double(tm) * (tn - 1) * m.pwAccBits + double(tm) * m.pwAccBits;
        lut += treeBits * k.lutPerAdderBit;
        ff += treeBits * k.ffPerAdderBit;
        ff += double(pwMults) * (m.pwWeightBits + m.pwActivationBits) * k.ffPerOperandBit;
        lut += double(tm) * m.pwAccBits * k.lutPerAdderBit; // requantise, clip, activation
        if (packsTwoPerSlice(dev.dspRule, m.pwWeightBits, m.pwActivationBits))
            lut += (pwMults / 2.0) * k.lutPerPackedPair;
    }
    if (m.hasDw) {
        const double treeBits = double(pd) * (m.dwLanes - 1) * m.dwAccBits;
        lut += treeBits * k.lutPerAdderBit;
        ff += treeBits * k.ffPerAdderBit;
        ff += double(dwMults) * (m.dwWeightBits + m.dwActivationBits) * k.ffPerOperandBit;
        lut += double(pd) * m.dwAccBits * k.lutPerAdderBit;
        if (packsTwoPerSlice(dev.dspRule, m.dwWeightBits, m.dwActivationBits))
            lut += (dwMults / 2.0) * k.lutPerPackedPair;
    }
    // Pool unit: Tm comparators / adders of activation width.
    lut += double(tm) * m.maxActivationBits * 2 * k.lutPerAdderBit;
    ff += double(tm) * m.maxActivationBits * 2 * k.ffPerAdderBit;
    // Bank selection in front of the partitioned buffers, per bit read in parallel.
    lut += double(inBanks + tm + pd) * m.maxActivationBits * ceilLog2(std::max(2, inBanks)) *
           k.lutPerMuxBit;
    // LUTRAM: one LUT6 holds 64 bits.
    lut += double(lutramBitsTotal) / 64.0;

    r.total.dsp = r.dspPw + r.dspDw;
    r.total.bram18 = r.bramInput + r.bramLines + r.bramTensors + r.bramPsum;
    r.total.lut = static_cast<std::int64_t>(lut + 0.5);
    r.total.ff = static_cast<std::int64_t>(ff + 0.5);
    return r;
}

} // namespace codesign
