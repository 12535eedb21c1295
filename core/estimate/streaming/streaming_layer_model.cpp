#include "streaming_layer_model.h"

#include "../../util/int_math.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace codesign {

// Python's int(x / r) for the module latencies: the division in doubles, then truncation,
// so that a rate like 1/3 gives what fpgaConvNet gives.
namespace {

double truncDiv(std::int64_t words, double rate) {
    return std::trunc(static_cast<double>(words) / rate);
}

double d(std::int64_t v) {
    return static_cast<double>(v);
}

struct Window {
    std::int64_t rows, cols, paddedRows, paddedCols, rowsOut, colsOut;
};

// Chisel backend: a pad module makes the padded frame, the sliding window runs unpadded on it.
Window windowOf(const HwLayer& l) {
    Window w;
    w.rows = l.rows;
    w.cols = l.cols;
    w.paddedRows = l.rows + l.padTop + l.padBottom;
    w.paddedCols = l.cols + l.padLeft + l.padRight;
    w.rowsOut = ceilDiv(w.paddedRows - l.kernelH + 1, l.strideH);
    w.colsOut = ceilDiv(w.paddedCols - l.kernelW + 1, l.strideW);
    return w;
}

// Pad and sliding-window modules (models/modules/Pad.py, SlidingWindow.py) on `ch` channels
// per stream: their latencies, their two entries of the rate chain, the window's depth.
double padAndWindow(const HwLayer& l, const Window& w, std::int64_t ch, double (*rates)[2],
                    double& depth) {
    const double padRateIn = d(w.rows * w.cols) / d(w.paddedRows * w.paddedCols);
    const double windowRateOut = d(w.rowsOut * w.colsOut) / d(w.paddedRows * w.paddedCols);
    rates[0][0] = padRateIn;
    rates[0][1] = 1.0;
    rates[1][0] = 1.0;
    rates[1][1] = windowRateOut;
    const double padded = d(w.paddedRows * w.paddedCols * ch);
    const double pad = std::max(truncDiv(w.rows * w.cols * ch, padRateIn), padded);
    const double window = std::max(padded, truncDiv(w.rowsOut * w.colsOut * ch, windowRateOut));
    depth = d((l.kernelH - 1) * w.paddedCols * ch + (l.kernelW - 1) * ch);
    return std::max(pad, window);
}

LayerPerf convPerf(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    const Window w = windowOf(l);
    const std::int64_t ci = f.coarseIn, co = f.coarseOut, cg = f.coarseGroup;
    const std::int64_t ch = s.channels / (ci * cg);
    const std::int64_t pixels = w.rowsOut * w.colsOut;
    // vector dot and accum (VectorDot.py, Accum.py) see the K*K window as channels
    const std::int64_t dotChannels =
        (std::int64_t(s.channels) * l.kernelH * l.kernelW) / (f.fine * ci * cg);
    const std::int64_t dotFilters = s.filters / (co * l.groups);
    double rates[9][2];
    double windowDepth = 0;
    double latency = padAndWindow(l, w, ch, rates, windowDepth);
    int m = 2;
    auto unitRate = [&](double latencyOfModule) {
        rates[m][0] = rates[m][1] = 1.0;
        ++m;
        latency = std::max(latency, latencyOfModule);
    };
    unitRate(d(pixels * ch));          // squeeze (window taps to fine)
    unitRate(d(pixels * ch));          // fork
    rates[m][0] = 1.0 / d(dotFilters); // vector dot
    rates[m][1] = 1.0;
    latency =
        std::max({latency, truncDiv(pixels * dotChannels, rates[m][0]), d(pixels * dotFilters)});
    ++m;
    rates[m][0] = 1.0; // accum
    rates[m][1] = 1.0 / d(dotChannels);
    latency = std::max({latency, d(pixels * dotChannels * dotFilters),
                        truncDiv(pixels * dotFilters, rates[m][1])});
    ++m;
    unitRate(d(pixels * (s.filters / cg)) / d(co * cg)); // glue
    if (l.bias)
        unitRate(d(pixels * (s.filters / (co * cg))));
    unitRate(d(pixels)); // shift-scale (block floating point only; one word per pixel)
    LayerPerf p;
    p.latency = latency;
    p.rateIn = balancedRateIn(rates, m);
    const double log2Fine = std::log(double(f.fine)) / std::log(2.0);
    p.depth = windowDepth + (std::trunc(log2Fine) + 1) + d(dotChannels * dotFilters) + d(ci);
    p.sizeIn = w.rows * w.cols * ch;
    p.sizeOut = pixels * (s.filters / (co * cg));
    p.streamsIn = static_cast<int>(ci * cg);
    p.streamsOut = static_cast<int>(co * cg);
    return p;
}

LayerPerf innerProductPerf(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    const std::int64_t ci = f.coarseIn, co = f.coarseOut;
    const std::int64_t dotChannels = s.channels / ci;
    const std::int64_t dotFilters = s.filters / co;
    double rates[6][2] = {
        {1, 1}, {1.0 / d(dotFilters), 1}, {1, 1.0 / d(dotChannels)}, {1, 1}, {1, 1}, {1, 1}};
    LayerPerf p;
    p.latency = std::max({d(dotChannels),                                    // fork
                          truncDiv(dotChannels, rates[1][0]), d(dotFilters), // vector dot
                          d(dotChannels * dotFilters), truncDiv(dotFilters, rates[2][1]),
                          d(s.filters) / d(co), // glue
                          d(dotFilters),        // bias
                          d(l.channels)});      // shift-scale: sized when built, never folded
    p.rateIn = balancedRateIn(rates, 6);
    p.depth = 1 + d(dotChannels * dotFilters) + d(ci);
    p.sizeIn = dotChannels;
    p.sizeOut = dotFilters;
    p.streamsIn = static_cast<int>(ci);
    p.streamsOut = static_cast<int>(co);
    return p;
}

LayerPerf poolPerf(const HwLayer& l, const LayerShape& s, int coarse) {
    const Window w = windowOf(l);
    const std::int64_t ch = s.channels / coarse;
    double rates[3][2];
    double depth = 0;
    LayerPerf p;
    p.latency = std::max(padAndWindow(l, w, ch, rates, depth), d(w.rowsOut * w.colsOut * ch));
    rates[2][0] = rates[2][1] = 1.0;
    p.rateIn = balancedRateIn(rates, 3);
    p.depth = depth;
    p.sizeIn = w.rows * w.cols * ch;
    p.sizeOut = w.rowsOut * w.colsOut * ch;
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

LayerShape baseShape(const HwLayer& l) {
    return {l.channels, l.filters, l.channelsOut};
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
