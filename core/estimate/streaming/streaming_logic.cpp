#include "streaming_logic.h"

#include "../../util/int_math.h"
#include "streaming_resources.h"

#include <algorithm>
#include <bit>
#include <numeric>

namespace codesign {
namespace {

// The bits needed to count to v (0 for v <= 1).
std::int64_t bitsFor(std::int64_t v) {
    return v <= 1 ? 0 : std::bit_width(static_cast<std::uint64_t>(v - 1));
}

} // namespace

LogicCost adderCost(std::int64_t bits, std::int64_t count) {
    // one LUT6 per bit in front of the carry chain (CARRY4 / CARRY8), the sum registered
    return {bits * count, bits * count};
}

LogicCost counterCost(std::int64_t limit) {
    const std::int64_t bits = std::max<std::int64_t>(1, bitsFor(limit));
    return {bits + 1, bits}; // incrementer + terminal-count compare
}

std::int64_t muxLuts(std::int64_t inputs, std::int64_t bits) {
    if (inputs <= 1)
        return 0;
    return bits * ceilDiv(inputs - 1, 3); // a tree of 4:1 multiplexers, one LUT6 each
}

std::int64_t lutramLuts(std::int64_t depth, std::int64_t width) {
    if (depth <= 0 || width <= 0)
        return 0;
    if (depth <= 2)
        return 0; // two words sit in registers
    if (depth <= 32)
        return 4 * ceilDiv(width, 6); // RAM32M: 32 x 6 bits simple dual port
    const std::int64_t banks = ceilDiv(depth, 64);
    return banks * 4 * ceilDiv(width, 3) + muxLuts(banks, width); // RAM64M banks, read mux
}

namespace {

// A stream boundary: a data register and the valid / ready handshake.
LogicCost streamRegisters(std::int64_t streams, std::int64_t bits) {
    return {2 * streams, streams * (bits + 1)};
}

// A FIFO that fpgaConvNet does not put in BRAM lives in LUTRAM; pointers either way.
LogicCost fifoCost(const LayerMemory& m) {
    if (m.depth <= 0 || m.width <= 0)
        return {};
    LogicCost c = counterCost(m.depth);
    c.lut += c.lut; // read and write pointers
    c.ff += c.ff;
    if (m.bram18 == 0)
        c.lut += lutramLuts(m.depth, m.width);
    return c;
}

// A memory read by address: the address counter, a read register, LUTRAM when not in BRAM.
LogicCost memoryCost(const LayerMemory& m) {
    if (m.depth <= 0 || m.width <= 0)
        return {};
    LogicCost c = counterCost(m.depth);
    c.ff += m.width;
    if (m.bram18 == 0)
        c.lut += lutramLuts(m.depth, m.width);
    return c;
}

// Pad and sliding window on `streams` streams of `ch` channels each.
LogicCost windowLogic(const HwLayer& l, std::int64_t streams, std::int64_t ch,
                      const LayerMemories& m) {
    const std::int64_t bits = streams * l.dataBits;
    LogicCost c;
    c += counterCost(l.paddedRows);
    c += counterCost(l.paddedCols);
    c += counterCost(ch);
    c.lut += ceilDiv(bits, 2); // zero insertion: two bits per dual-output LUT6
    if (l.kernelH == 1 && l.kernelW == 1)
        return c;
    c += fifoCost(m.line);
    const LogicCost window = fifoCost(m.window);
    c.lut += window.lut * l.kernelH;
    c.ff += window.ff * l.kernelH;
    c.ff += bits * l.kernelH * l.kernelW; // the window
    return c;
}

LogicCost convLogic(const HwLayer& l, const LayerShape& s, const LayerFolding& f,
                    const LayerMemories& m) {
    const std::int64_t ci = f.coarseIn, co = f.coarseOut, cg = f.coarseGroup;
    const std::int64_t streamsIn = ci * cg, units = ci * co * cg, streamsOut = co * cg;
    const std::int64_t taps = std::int64_t(l.kernelH) * l.kernelW;
    const std::int64_t ch = s.channels / streamsIn;
    const std::int64_t dotChannels = (std::int64_t(s.channels) * taps) / (f.fine * streamsIn);
    const std::int64_t dotFilters = s.filters / (co * l.groups);
    LogicCost c = windowLogic(l, streamsIn, ch, m);
    if (f.fine < taps) { // window taps to fine-wide words
        c.lut += streamsIn * muxLuts(taps / f.fine, std::int64_t(f.fine) * l.dataBits);
        c.ff += streamsIn * f.fine * l.dataBits;
    }
    if (co > 1)
        c.ff += streamsIn * f.fine * l.dataBits * co; // the fork's registered fan-out
    c += adderCost(l.accBits, units * (f.fine - 1));  // dot-product adder trees (DSPs multiply)
    c.ff += units * l.accBits;
    if (dotChannels > 1) { // accumulate over channels: an adder and the partial sums
        c += adderCost(l.accBits, units);
        c.lut += units * lutramLuts(dotFilters, l.accBits);
        c += counterCost(dotChannels);
        c += counterCost(dotFilters);
    }
    if (ci > 1)
        c += adderCost(l.accBits, streamsOut * (ci - 1)); // glue: sum over coarse_in
    if (l.bias)
        c += adderCost(l.accBits, streamsOut);
    c.lut += streamsOut * l.dataBits; // round and saturate to the output format
    c += memoryCost(m.weights);
    c += memoryCost(m.bias);
    c += streamRegisters(streamsIn + streamsOut, l.dataBits);
    return c;
}

LogicCost innerProductLogic(const HwLayer& l, const LayerShape& s, const LayerFolding& f,
                            const LayerMemories& m) {
    const std::int64_t ci = f.coarseIn, co = f.coarseOut, units = ci * co;
    const std::int64_t dotChannels = s.channels / ci;
    const std::int64_t dotFilters = s.filters / co;
    LogicCost c;
    if (co > 1)
        c.ff += ci * l.dataBits * co;
    c.ff += units * l.accBits;
    if (dotChannels > 1) {
        c += adderCost(l.accBits, units);
        c.lut += units * lutramLuts(dotFilters, l.accBits);
        c += counterCost(dotChannels);
        c += counterCost(dotFilters);
    }
    if (ci > 1)
        c += adderCost(l.accBits, co * (ci - 1));
    if (l.bias)
        c += adderCost(l.accBits, co);
    c.lut += co * l.dataBits;
    c += memoryCost(m.weights);
    c += memoryCost(m.bias);
    c += streamRegisters(ci + co, l.dataBits);
    return c;
}

LogicCost poolLogic(const HwLayer& l, const LayerShape& s, int coarse, const LayerMemories& m) {
    const std::int64_t taps = std::int64_t(l.kernelH) * l.kernelW;
    LogicCost c = windowLogic(l, coarse, s.channels / coarse, m);
    const std::int64_t bits = l.maxPool ? l.dataBits : l.dataBits + bitsFor(taps);
    // max: a compare and a select per pair (a carry chain and a mux, one LUT per bit each);
    // average: an adder tree, then a constant scale (the DSP fpgaConvNet does not count)
    c += adderCost(bits, coarse * (taps - 1));
    if (l.maxPool)
        c.lut += coarse * (taps - 1) * bits;
    c += streamRegisters(2 * std::int64_t(coarse), l.dataBits);
    return c;
}

LogicCost multiPortLogic(const HwLayer& l, int coarse, const std::int64_t* bufferDepth) {
    const std::int64_t ports = l.inputs.size();
    LogicCost c;
    for (std::int64_t port = 0; port < ports; ++port) {
        LayerMemory fifo{bufferDepth ? bufferDepth[port] : 2, l.dataBits, 0};
        fifo.bram18 = fpgaconvnetBram18(fifo.depth, fifo.width, true);
        fifo.width *= coarse; // one FIFO per stream
        c += fifoCost(fifo);
    }
    if (l.kind == HwKind::EltWise)
        c += adderCost(l.dataBits, coarse * (ports - 1));
    else
        c.lut += coarse * muxLuts(ports, l.dataBits);
    c += streamRegisters(coarse * (ports + 1), l.dataBits);
    return c;
}

} // namespace

LogicCost squeezeLogic(int dataBits, int streamsIn, int streamsOut) {
    const std::int64_t buffer = std::lcm(streamsIn, streamsOut);
    LogicCost c;
    c.ff += buffer * dataBits; // the re-packing buffer
    c.lut += std::int64_t(streamsOut) * muxLuts(buffer / streamsOut, dataBits);
    c.lut += std::int64_t(streamsIn) * ceilDiv(dataBits, 2); // write enables per word
    c += counterCost(buffer / std::min(streamsIn, streamsOut));
    c += streamRegisters(streamsIn + streamsOut, dataBits);
    return c;
}

LogicCost layerLogic(const HwLayer& l, const LayerShape& s, const LayerFolding& f,
                     const LayerMemories& m, const std::int64_t* portBufferDepth) {
    const std::int64_t coarse = f.coarseIn;
    const std::int64_t bits = coarse * l.dataBits;
    LogicCost c;
    switch (l.kind) {
    case HwKind::Conv:
        return convLogic(l, s, f, m);
    case HwKind::InnerProduct:
        return innerProductLogic(l, s, f, m);
    case HwKind::Pool:
        return poolLogic(l, s, f.coarseIn, m);
    case HwKind::GlobalPool:
        c += adderCost(l.accBits, coarse);
        c.lut += coarse * lutramLuts(s.channels / coarse, l.accBits); // a sum per channel
        c += counterCost(std::int64_t(l.rows) * l.cols);
        c += counterCost(s.channels / coarse);
        break;
    case HwKind::Relu:
        c.lut += ceilDiv(bits, 2) + (l.clip6 ? bits : 0); // zero (and clip at 6)
        break;
    case HwKind::BatchNorm:
        c += adderCost(l.accBits, coarse); // scale in a DSP, then the shift
        break;
    case HwKind::EltWise:
    case HwKind::Concat:
        return multiPortLogic(l, f.coarseIn, portBufferDepth);
    case HwKind::Split:
        c.ff += bits * l.portsOut;
        c.lut += coarse * l.portsOut;
        break;
    case HwKind::Chop:
        c.lut += coarse * muxLuts(l.portsOut, l.dataBits);
        break;
    case HwKind::Resize: // a row is repeated `factor` times: one row in distributed RAM
        c.lut += lutramLuts(m.buffer.depth, m.buffer.width);
        c += counterCost(l.rows);
        c += counterCost(l.cols);
        break;
    case HwKind::Reorg: // (factor - 1) rows wait for the last row of each block
        c += fifoCost(m.buffer);
        c += counterCost(l.rows);
        c += counterCost(l.cols);
        break;
    }
    c += streamRegisters(2 * coarse, l.dataBits);
    return c;
}

} // namespace codesign
