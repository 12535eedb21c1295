#include "streaming_layer_model.h"

#include "../../util/int_math.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace codesign {

// Latencies: each module's max(words in / rate in, words out / rate out), truncated (Python's
// int()). A truncated quotient never exceeds the exact integer it approximates (the pad's and
// window's equal the padded frame, the dot product's the accumulator's words in), and those
// exact terms are in the same max: so the layer latency is the max of the exact terms alone.
namespace {

double d(std::int64_t v) {
    return static_cast<double>(v);
}

// floor(log2(fine)) as fpgaConvNet computes it, int(math.log(fine, 2)): log(x) / log(2) in
// doubles (tabled: this is in every conv evaluation).
double log2Floor(int fine) {
    static const auto table = [] {
        std::array<double, 1025> t{};
        for (int i = 1; i < static_cast<int>(t.size()); ++i)
            t[i] = std::trunc(std::log(double(i)) / std::log(2.0));
        return t;
    }();
    return fine < static_cast<int>(table.size())
               ? table[fine]
               : std::trunc(std::log(double(fine)) / std::log(2.0));
}

// The window's depth (SlidingWindow.pipeline_depth on the padded frame, no padding left).
double windowDepth(const HwLayer& l, std::int64_t ch) {
    return d((l.kernelH - 1) * std::int64_t(l.paddedCols) * ch + (l.kernelW - 1) * ch);
}

LayerPerf convPerf(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    const std::int64_t ci = f.coarseIn, co = f.coarseOut, cg = f.coarseGroup;
    const std::int64_t ch = s.channels / (ci * cg);
    const std::int64_t pixels = std::int64_t(l.rowsOut) * l.colsOut;
    const std::int64_t padded = std::int64_t(l.paddedRows) * l.paddedCols;
    // vector dot and accum (VectorDot.py, Accum.py) see the K*K window as channels
    const std::int64_t dotChannels =
        (std::int64_t(s.channels) * l.kernelH * l.kernelW) / (f.fine * ci * cg);
    const std::int64_t dotFilters = s.filters / (co * l.groups);
    LayerPerf p;
    p.latency = std::max({d(padded * ch),                            // pad, window
                          d(pixels * dotChannels * dotFilters),      // vector dot, accum
                          d(pixels * (s.filters / cg)) / d(co * cg), // glue
                          d(pixels * dotFilters), d(pixels)});
    if (l.bias)
        p.latency = std::max(p.latency, d(pixels * (s.filters / (co * cg))));
    // the chain pad, window, squeeze, fork, vector dot, accum, glue, bias, shift-scale; the
    // modules of rate 1 pass rates through unchanged (test: balanceMatchesTheFullChain)
    double rates[4][2] = {{l.padRate, 1.0},
                          {1.0, l.windowRate},
                          {1.0 / d(dotFilters), 1.0},
                          {1.0, 1.0 / d(dotChannels)}};
    p.rateIn = balancedRateIn(rates, 4);
    p.depth = windowDepth(l, ch) + (log2Floor(f.fine) + 1) + d(dotChannels * dotFilters) + d(ci);
    p.sizeIn = std::int64_t(l.rows) * l.cols * ch;
    p.sizeOut = pixels * (s.filters / (co * cg));
    p.streamsIn = static_cast<int>(ci * cg);
    p.streamsOut = static_cast<int>(co * cg);
    return p;
}

// InnerProductLayer: fork, vector dot, accum, glue, bias, shift-scale on a 1 x 1 frame.
LayerPerf innerProductPerf(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    const std::int64_t ci = f.coarseIn, co = f.coarseOut;
    const std::int64_t dotChannels = s.channels / ci;
    const std::int64_t dotFilters = s.filters / co;
    LayerPerf p;
    // the shift-scale module keeps the channels the layer was built with: never folded
    p.latency = std::max(
        {d(dotChannels * dotFilters), d(dotChannels), d(s.filters) / d(co), d(l.channels)});
    p.rateIn = 1.0 / d(dotFilters); // the fork passes the dot product's rate through
    p.depth = 1 + d(dotChannels * dotFilters) + d(ci);
    p.sizeIn = dotChannels;
    p.sizeOut = dotFilters;
    p.streamsIn = static_cast<int>(ci);
    p.streamsOut = static_cast<int>(co);
    return p;
}

// PoolingLayer: pad, window, pool; the window's rate out is the pool's in, so the pad's rate
// is the layer's.
LayerPerf poolPerf(const HwLayer& l, const LayerShape& s, int coarse) {
    const std::int64_t ch = s.channels / coarse;
    LayerPerf p;
    p.latency = d(std::int64_t(l.paddedRows) * l.paddedCols * ch);
    p.rateIn = l.padRate;
    p.depth = windowDepth(l, ch);
    p.sizeIn = std::int64_t(l.rows) * l.cols * ch;
    p.sizeOut = std::int64_t(l.rowsOut) * l.colsOut * ch;
    p.streamsIn = p.streamsOut = coarse;
    return p;
}

// One module of rate 1 on `ch` channels per stream: relu, eltwise, split (fork), bn, reorg.
LayerPerf unitPerf(const HwLayer& l, const LayerShape& s, int coarse) {
    const std::int64_t pixels = std::int64_t(l.rows) * l.cols;
    LayerPerf p;
    p.latency = d(pixels * (s.channels / coarse));
    p.sizeIn = pixels * (s.channels / coarse);
    p.sizeOut = std::int64_t(l.rowsOut) * l.colsOut * (s.channelsOut / coarse);
    p.streamsIn = p.streamsOut = coarse;
    return p;
}

LayerPerf concatPerf(const HwLayer& l, int coarse) {
    const std::int64_t pixels = std::int64_t(l.rows) * l.cols;
    std::int64_t total = 0;
    for (int c : l.portChannels)
        total += c / coarse;
    LayerPerf p;
    p.latency = d(pixels * total);
    p.rateIn = d(l.portChannels[0] / coarse) / d(total);
    p.sizeIn = pixels * (l.portChannels[0] / coarse);
    p.sizeOut = pixels * (l.channelsOut / coarse);
    p.streamsIn = p.streamsOut = coarse;
    return p;
}

LayerPerf chopPerf(const HwLayer& l, int coarse) {
    const std::int64_t pixels = std::int64_t(l.rows) * l.cols;
    const double inBound = d(pixels * l.channels) / std::min(100.0, double(coarse));
    double outBound = 0;
    const int ports = static_cast<int>(l.portChannels.size());
    for (int port = 0; port < ports; ++port) {
        const double rateOut = d(l.portChannels[port]) / d(l.channels);
        const double streams = std::min(100.0 / ports, rateOut * chopStreamsOut(l, coarse, port));
        outBound = std::max(outBound, d(pixels * l.portChannels[port]) / streams);
    }
    LayerPerf p;
    p.latency = std::max(inBound, outBound);
    p.sizeIn = pixels * (l.channels / coarse);
    p.streamsIn = coarse;
    p.streamsOut = chopStreamsOut(l, coarse, 0);
    p.sizeOut = pixels * (l.portChannels[0] / p.streamsOut);
    return p;
}

LayerPerf resizePerf(const HwLayer& l, const LayerShape& s, int coarse) {
    const std::int64_t ch = s.channels / coarse;
    const std::int64_t f = l.factor;
    const std::int64_t pixels = std::int64_t(l.rows) * l.cols;
    LayerPerf p;
    p.rateIn = d(f * f); // ReSize.rate_in is the product of the scales
    p.latency = std::max(std::trunc(d(pixels * ch) / p.rateIn), d(pixels * f * f * ch));
    p.depth = d(l.cols * ch * (f - 1) + ch * (f - 1));
    p.sizeIn = pixels * ch;
    p.sizeOut = pixels * f * f * ch;
    p.streamsIn = p.streamsOut = coarse;
    return p;
}

} // namespace

double balancedRateIn(double (*rates)[2], int n) {
    double ratio[16];
    for (int i = 0; i < n; ++i)
        ratio[i] = std::abs(rates[i][1] / rates[i][0]);
    for (int i = 1; i < n; ++i) {
        const int layer = n - i;
        if (rates[layer][0] > rates[layer - 1][1]) { // faster than fed: slow it down
            for (int j = layer; j < n; ++j) {
                if (rates[j][0] <= rates[j - 1][1])
                    break;
                rates[j][0] = rates[j - 1][1];
                rates[j][1] = rates[j][0] * ratio[j];
            }
        } else if (rates[layer][0] < rates[layer - 1][1]) { // slower: back-pressure
            for (int j = 0; j < layer; ++j) {
                if (rates[layer - j][0] >= rates[layer - j - 1][1])
                    break;
                rates[layer - j - 1][1] = rates[layer - j][0];
                rates[layer - j - 1][0] = rates[layer - j - 1][1] / ratio[layer - j - 1];
            }
        }
    }
    return rates[0][0];
}

int chopStreamsOut(const HwLayer& l, int coarse, int port) {
    const double ratio = d(l.channels) / d(coarse);
    return std::max(1, static_cast<int>(d(l.portChannels[port]) / ratio));
}

LayerPerf layerPerf(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    switch (l.kind) {
    case HwKind::Conv:
        return convPerf(l, s, f);
    case HwKind::InnerProduct:
        return innerProductPerf(l, s, f);
    case HwKind::Pool:
        return poolPerf(l, s, f.coarseIn);
    case HwKind::GlobalPool: {
        LayerPerf p = unitPerf(l, s, f.coarseIn);
        p.latency = d(s.channels / f.coarseIn); // GlobalPoolingLayer.latency
        p.depth = d(p.sizeIn);                  // GlobalPool.pipeline_depth
        return p;
    }
    case HwKind::Concat:
        return concatPerf(l, f.coarseIn);
    case HwKind::Chop:
        return chopPerf(l, f.coarseIn);
    case HwKind::Resize:
        return resizePerf(l, s, f.coarseIn);
    case HwKind::Reorg: {
        LayerPerf p = unitPerf(l, s, f.coarseIn);
        p.depth = d(std::int64_t(l.factor - 1) * l.cols * (s.channels / f.coarseIn));
        return p;
    }
    case HwKind::Relu:
    case HwKind::BatchNorm:
    case HwKind::EltWise:
    case HwKind::Split:
        return unitPerf(l, s, f.coarseIn);
    }
    return {};
}

LayerPerf squeezePerf(int rows, int cols, int channels, int streamsIn, int streamsOut) {
    const std::int64_t pixels = std::int64_t(rows) * cols;
    LayerPerf p;
    p.latency = d(pixels * (channels / std::min(streamsIn, streamsOut)));
    p.sizeIn = pixels * (channels / streamsIn);
    p.sizeOut = pixels * (channels / streamsOut);
    p.streamsIn = streamsIn;
    p.streamsOut = streamsOut;
    return p;
}

} // namespace codesign
