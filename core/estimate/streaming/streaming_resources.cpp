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
    static constexpr std::int64_t kWidths[] = {1, 2, 4, 9, 18, 36};
    static constexpr std::int64_t kDepths[] = {16384, 8192, 4096, 2048, 1024, 512};
    const std::int64_t wanted = std::min<std::int64_t>(width, 36);
    int i = 0;
    while (kWidths[i] < wanted)
        ++i;
    return ceilDiv(width, kWidths[i]) * ceilDiv(depth, kDepths[i]);
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

// The sliding window's line buffer and its kernel_rows window buffers, both FIFOs
// (SlidingWindow.buffer_estimate); its frame buffer is not counted, as in fpgaConvNet.
std::int64_t windowBram(const HwLayer& l, std::int64_t streams, std::int64_t ch) {
    const std::int64_t bits = streams * l.dataBits;
    const std::int64_t cols = l.cols + l.padLeft + l.padRight;
    return fpgaconvnetBram18(ch * cols, (l.kernelH - 1) * bits, true) +
           l.kernelH * fpgaconvnetBram18(ch, (l.kernelW - 1) * bits, true);
}

LayerResources convResources(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    const std::int64_t units = std::int64_t(f.coarseIn) * f.coarseOut * f.coarseGroup;
    const std::int64_t streamsIn = std::int64_t(f.coarseIn) * f.coarseGroup;
    LayerResources r;
    const double dot =
        double(units * f.fine) * fpgaconvnetDspPerMultiplier(l.dataBits, l.weightBits);
    r.dsp = std::ceil(dot * fpgaconvnetDspPacking(l.dataBits, l.weightBits));
    if (!(l.kernelH == 1 && l.kernelW == 1))
        r.bram18 += windowBram(l, streamsIn, s.channels / streamsIn);
    // weights (chisel packs one array): depth (F/groups)*C*Kh*Kw / (fine*ci*co*cg)
    const double depth = (double(s.filters) / l.groups) * s.channels * l.kernelH * l.kernelW /
                         double(f.fine * units);
    r.bram18 += fpgaconvnetBram18(static_cast<std::int64_t>(std::ceil(depth)),
                                  std::int64_t(l.weightBits) * f.fine * units, false);
    if (l.bias) {
        const std::int64_t outStreams = std::int64_t(f.coarseOut) * f.coarseGroup;
        r.bram18 +=
            fpgaconvnetBram18(ceilDiv(s.filters, outStreams), l.accBits * outStreams, false);
    }
    return r;
}

LayerResources innerProductResources(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    const std::int64_t units = std::int64_t(f.coarseIn) * f.coarseOut;
    LayerResources r;
    // no rounding up: InnerProductLayer.resource() keeps the packed half
    r.dsp = double(units) * fpgaconvnetDspPerMultiplier(l.dataBits, l.weightBits) *
            fpgaconvnetDspPacking(l.dataBits, l.weightBits);
    const double depth = double(s.filters) * s.channels / double(units);
    r.bram18 += fpgaconvnetBram18(static_cast<std::int64_t>(std::ceil(depth)),
                                  std::int64_t(l.weightBits) * units, false);
    if (l.bias)
        r.bram18 += fpgaconvnetBram18(ceilDiv(s.filters, f.coarseOut),
                                      std::int64_t(l.accBits) * f.coarseOut, false);
    return r;
}

} // namespace

LayerResources layerResources(const HwLayer& l, const LayerShape& s, const LayerFolding& f,
                              const LayerPerf& p, const std::int64_t* portBufferDepth) {
    LayerResources r;
    switch (l.kind) {
    case HwKind::Conv:
        r = convResources(l, s, f);
        break;
    case HwKind::InnerProduct:
        r = innerProductResources(l, s, f);
        break;
    case HwKind::Pool:
        r.bram18 = windowBram(l, f.coarseIn, s.channels / f.coarseIn);
        break;
    case HwKind::GlobalPool:
        r.dsp = double(f.coarseIn) * fpgaconvnetDspPerMultiplier(l.dataBits, l.accBits);
        break;
    case HwKind::BatchNorm:
        r.dsp = 2.0 * f.coarseIn; // BatchNormLayer.resource: scale and shift
        break;
    case HwKind::EltWise:
    case HwKind::Concat:
        // a FIFO per input port (MultiPortLayer.resource)
        for (std::size_t port = 0; port < l.inputs.size(); ++port)
            r.bram18 += f.coarseIn * fpgaconvnetBram18(portBufferDepth ? portBufferDepth[port] : 2,
                                                       l.dataBits, true);
        break;
    case HwKind::Reorg: // ours: (factor - 1) rows wait in a FIFO
        r.bram18 =
            fpgaconvnetBram18(std::int64_t(l.factor - 1) * l.cols * (s.channels / f.coarseIn),
                              std::int64_t(f.coarseIn) * l.dataBits, true);
        break;
    case HwKind::Relu:
    case HwKind::Split:
    case HwKind::Chop:
    case HwKind::Resize: // ReSizeLayer.resource counts nothing; its row buffer is in our LUTs
        break;
    }
    const LogicCost logic = layerLogic(l, s, f, p, portBufferDepth);
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
