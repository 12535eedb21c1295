#include "streaming_resources.h"

#include "../../util/int_math.h"
#include "streaming_logic.h"

#include <algorithm>
#include <cmath>

namespace codesign {

std::int64_t fpgaconvnetBram18(std::int64_t depth, std::int64_t width, bool fifo) {
    if (depth <= 0 || width <= 0)
        return 0;
    const std::int64_t bits = width * depth;
    if ((fifo && bits <= 1024) || (!fifo && bits < 1024) || (fifo && depth <= 32))
        return 0;
    // the narrowest configuration at least min(width, 36) wide; depths are powers of two
    const std::int64_t w = width;
    const auto [configWidth, depthShift] = w <= 1    ? std::pair<std::int64_t, int>{1, 14}
                                           : w <= 2  ? std::pair<std::int64_t, int>{2, 13}
                                           : w <= 4  ? std::pair<std::int64_t, int>{4, 12}
                                           : w <= 9  ? std::pair<std::int64_t, int>{9, 11}
                                           : w <= 18 ? std::pair<std::int64_t, int>{18, 10}
                                                     : std::pair<std::int64_t, int>{36, 9};
    const std::int64_t rows = (depth + (std::int64_t(1) << depthShift) - 1) >> depthShift;
    return ceilDiv(width, configWidth) * rows;
}

int fpgaconvnetDspPerMultiplier(int dataBits, int otherBits) {
    return static_cast<int>(ceilDiv(dataBits, 18) * ceilDiv(otherBits, 27));
}

double fpgaconvnetDspPacking(int dataBits, int weightBits) {
    if (weightBits <= 4 && dataBits <= 4)
        return 0.25;
    if (weightBits <= 8 && dataBits <= 8)
        return 0.5;
    return 1.0;
}

namespace {

LayerMemory memory(std::int64_t depth, std::int64_t width, bool fifo) {
    return {depth, width, fpgaconvnetBram18(depth, width, fifo)};
}

// The sliding window's line buffer and its kernel_rows window buffers, both FIFOs
// (SlidingWindow.buffer_estimate); its frame buffer is not counted, as in fpgaConvNet.
void windowMemories(const HwLayer& l, std::int64_t streams, std::int64_t ch, LayerMemories& m) {
    const std::int64_t bits = streams * l.dataBits;
    m.line = memory(ch * l.paddedCols, (l.kernelH - 1) * bits, true);
    m.window = memory(ch, (l.kernelW - 1) * bits, true);
}

std::int64_t windowBram(const HwLayer& l, const LayerMemories& m) {
    return m.line.bram18 + l.kernelH * m.window.bram18;
}

void convResources(const HwLayer& l, const LayerShape& s, const LayerFolding& f, LayerMemories& m,
                   LayerResources& r) {
    const std::int64_t units = std::int64_t(f.coarseIn) * f.coarseOut * f.coarseGroup;
    const std::int64_t streamsIn = std::int64_t(f.coarseIn) * f.coarseGroup;
    const double dot =
        double(units * f.fine) * fpgaconvnetDspPerMultiplier(l.dataBits, l.weightBits);
    r.dsp = std::ceil(dot * fpgaconvnetDspPacking(l.dataBits, l.weightBits));
    windowMemories(l, streamsIn, s.channels / streamsIn, m);
    if (!(l.kernelH == 1 && l.kernelW == 1)) // no window for a 1x1 kernel
        r.bram18 += windowBram(l, m);
    // weights (chisel packs one array): depth (F/groups)*C*Kh*Kw / (fine*ci*co*cg)
    const double depth = (double(s.filters) / l.groups) * s.channels * l.kernelH * l.kernelW /
                         double(f.fine * units);
    m.weights = memory(static_cast<std::int64_t>(std::ceil(depth)),
                       std::int64_t(l.weightBits) * f.fine * units, false);
    r.bram18 += m.weights.bram18;
    if (l.bias) {
        const std::int64_t outStreams = std::int64_t(f.coarseOut) * f.coarseGroup;
        m.bias = memory(ceilDiv(s.filters, outStreams), l.accBits * outStreams, false);
        r.bram18 += m.bias.bram18;
    }
}

void innerProductResources(const HwLayer& l, const LayerShape& s, const LayerFolding& f,
                           LayerMemories& m, LayerResources& r) {
    const std::int64_t units = std::int64_t(f.coarseIn) * f.coarseOut;
    // no rounding up: InnerProductLayer.resource() keeps the packed half
    r.dsp = double(units) * fpgaconvnetDspPerMultiplier(l.dataBits, l.weightBits) *
            fpgaconvnetDspPacking(l.dataBits, l.weightBits);
    const double depth = double(s.filters) * s.channels / double(units);
    m.weights = memory(static_cast<std::int64_t>(std::ceil(depth)),
                       std::int64_t(l.weightBits) * units, false);
    r.bram18 += m.weights.bram18;
    if (l.bias) {
        m.bias =
            memory(ceilDiv(s.filters, f.coarseOut), std::int64_t(l.accBits) * f.coarseOut, false);
        r.bram18 += m.bias.bram18;
    }
}

} // namespace

LayerResources layerResources(const HwLayer& l, const LayerShape& s, const LayerFolding& f,
                              const std::int64_t* portBufferDepth) {
    LayerResources r;
    LayerMemories m;
    const std::int64_t coarse = f.coarseIn;
    switch (l.kind) {
    case HwKind::Conv:
        convResources(l, s, f, m, r);
        break;
    case HwKind::InnerProduct:
        innerProductResources(l, s, f, m, r);
        break;
    case HwKind::Pool:
        windowMemories(l, coarse, s.channels / coarse, m);
        r.bram18 = windowBram(l, m);
        break;
    case HwKind::GlobalPool:
        r.dsp = double(coarse) * fpgaconvnetDspPerMultiplier(l.dataBits, l.accBits);
        break;
    case HwKind::BatchNorm:
        r.dsp = 2.0 * coarse; // BatchNormLayer.resource: scale and shift
        break;
    case HwKind::EltWise:
    case HwKind::Concat:
        // a FIFO per input port (MultiPortLayer.resource)
        for (std::size_t port = 0; port < l.inputs.size(); ++port)
            r.bram18 += coarse * fpgaconvnetBram18(portBufferDepth ? portBufferDepth[port] : 2,
                                                   l.dataBits, true);
        break;
    case HwKind::Reorg: // ours: (factor - 1) rows wait in a FIFO
        m.buffer = memory(std::int64_t(l.factor - 1) * l.cols * (s.channels / coarse),
                          coarse * l.dataBits, true);
        r.bram18 = m.buffer.bram18;
        break;
    case HwKind::Resize: // ReSizeLayer.resource counts nothing; its row buffer is in our LUTs
        m.buffer = {std::int64_t(l.cols) * (s.channels / coarse), coarse * l.dataBits, 0};
        break;
    case HwKind::Relu:
    case HwKind::Split:
    case HwKind::Chop:
        break;
    }
    const LogicCost logic = layerLogic(l, s, f, m, portBufferDepth);
    r.lut = logic.lut;
    r.ff = logic.ff;
    return r;
}

LayerResources squeezeResources(int dataBits, int streamsIn, int streamsOut) {
    const LogicCost logic = squeezeLogic(dataBits, streamsIn, streamsOut);
    LayerResources r;
    r.lut = logic.lut;
    r.ff = logic.ff;
    return r;
}

} // namespace codesign
