#include "reference.h"

#include "bbox_choice.h"
#include "core/util/int_math.h"
#include "fixed_point.h"

#include <algorithm>
#include <cmath>

namespace codesign::reference {

double FixedTensor::real(std::size_t i) const {
    return toReal(raw[i], type);
}

namespace {

constexpr int kMaxFracBits = 62;
constexpr int kAccumulatorBits = 63; // int64 less one bit of headroom

FixedType formatOf(const Graph& g, int producer) {
    return producer < 0 ? inputFormat(g) : g.nodes[producer].activations;
}

FixedTensor emptyOutput(const Node& n) {
    FixedTensor t;
    t.shape = n.out;
    t.type = n.activations;
    t.raw.assign(static_cast<std::size_t>(n.out.elements()), 0);
    return t;
}

// Accumulators (fraction fAcc) of one output plane -> the layer's format.
void storePlane(const Node& n, const std::vector<std::int64_t>& acc, int fAcc, FixedTensor& out,
                int channel) {
    const std::size_t plane = std::size_t(n.out.h) * n.out.w;
    std::int64_t* dst = out.raw.data() + plane * channel;
    for (std::size_t i = 0; i < plane; ++i)
        dst[i] = quantizeRaw(acc[i], fAcc, n.activations, n.quant);
}

// Adds w * in[channel] over the output plane for one kernel tap (dy, dx) relative to the
// window origin; out-of-image input reads are the zero padding.
void accumulateTap(std::vector<std::int64_t>& acc, const FixedTensor& in, int channel,
                   std::int64_t w, int dy, int dx, int stride, int outH, int outW) {
    if (w == 0)
        return;
    const int inH = in.shape.h;
    const int inW = in.shape.w;
    const std::int64_t* src = in.raw.data() + std::size_t(channel) * inH * inW;
    for (int y = 0; y < outH; ++y) {
        const int iy = y * stride + dy;
        if (iy < 0 || iy >= inH)
            continue;
        const std::int64_t* row = src + std::size_t(iy) * inW;
        std::int64_t* a = acc.data() + std::size_t(y) * outW;
        if (stride == 1) {
            const int x0 = std::max(0, -dx);
            const int x1 = std::min(outW, inW - dx);
            for (int x = x0; x < x1; ++x)
                a[x] += w * row[x + dx];
        } else {
            for (int x = 0; x < outW; ++x) {
                const int ix = x * stride + dx;
                if (ix >= 0 && ix < inW)
                    a[x] += w * row[ix];
            }
        }
    }
}

FixedTensor runConv(const Node& n, const FixedTensor& in, const QuantizedLayer& q) {
    FixedTensor out = emptyOutput(n);
    const int fIn = fracBits(in.type);
    const int fAcc = fracBits(n.weights) + fIn;
    const int groups = std::max(1, n.groups);
    const int inPerGroup = n.in.c / groups;
    const int outPerGroup = n.out.c / groups;
    const int taps = n.kernelH * n.kernelW;
    std::vector<std::int64_t> acc(std::size_t(n.out.h) * n.out.w);
    for (int oc = 0; oc < n.out.c; ++oc) {
        std::fill(acc.begin(), acc.end(), q.bias.empty() ? 0 : q.bias[oc] << (fIn + biasShift(n)));
        const int g = oc / outPerGroup;
        for (int icg = 0; icg < inPerGroup; ++icg)
            for (int t = 0; t < taps; ++t) {
                const std::int64_t w = q.weights[(std::size_t(oc) * inPerGroup + icg) * taps + t];
                accumulateTap(acc, in, g * inPerGroup + icg, w, t / n.kernelW - n.padH,
                              t % n.kernelW - n.padW, n.stride, n.out.h, n.out.w);
            }
        storePlane(n, acc, fAcc, out, oc);
    }
    return out;
}

FixedTensor runDwConv(const Node& n, const FixedTensor& in, const QuantizedLayer& q) {
    FixedTensor out = emptyOutput(n);
    const int fIn = fracBits(in.type);
    const int fAcc = fracBits(n.weights) + fIn;
    const int taps = n.kernelH * n.kernelW;
    std::vector<std::int64_t> acc(std::size_t(n.out.h) * n.out.w);
    for (int c = 0; c < n.out.c; ++c) {
        std::fill(acc.begin(), acc.end(), q.bias.empty() ? 0 : q.bias[c] << (fIn + biasShift(n)));
        for (int t = 0; t < taps; ++t)
            accumulateTap(acc, in, c, q.weights[std::size_t(c) * taps + t], t / n.kernelW - n.padH,
                          t % n.kernelW - n.padW, n.stride, n.out.h, n.out.w);
        storePlane(n, acc, fAcc, out, c);
    }
    return out;
}

FixedTensor runFuse(const Node& n, const FixedTensor& in, const QuantizedLayer& q) {
    FixedTensor out = emptyOutput(n);
    const int fIn = fracBits(in.type);
    const int fAcc = fracBits(n.weights) + fIn;
    const int k = n.kernelH;
    const int c = n.in.c;
    std::vector<std::int64_t> acc(std::size_t(n.out.h) * n.out.w);
    for (int oc = 0; oc < n.out.c; ++oc) {
        // Half: the first C/2 channels run 1xK, the rest Kx1. Full: 1xK then Kx1 on all.
        const bool full = n.variant == FuseVariant::Full;
        const bool horizontal = full ? oc < c : oc < c / 2;
        const int ic = full && oc >= c ? oc - c : oc;
        std::fill(acc.begin(), acc.end(), q.bias.empty() ? 0 : q.bias[oc] << (fIn + biasShift(n)));
        for (int t = 0; t < k; ++t) {
            const std::int64_t w = q.weights[std::size_t(oc) * k + t];
            if (horizontal)
                accumulateTap(acc, in, ic, w, 0, t - n.padW, n.stride, n.out.h, n.out.w);
            else
                accumulateTap(acc, in, ic, w, t - n.padH, 0, n.stride, n.out.h, n.out.w);
        }
        storePlane(n, acc, fAcc, out, oc);
    }
    return out;
}

FixedTensor runFc(const Node& n, const FixedTensor& in, const QuantizedLayer& q) {
    FixedTensor out = emptyOutput(n);
    const int fIn = fracBits(in.type);
    const int fAcc = fracBits(n.weights) + fIn;
    const std::size_t features = in.raw.size();
    for (int oc = 0; oc < n.out.c; ++oc) {
        std::int64_t acc = q.bias.empty() ? 0 : q.bias[oc] << (fIn + biasShift(n));
        const std::int64_t* w = q.weights.data() + features * oc;
        for (std::size_t f = 0; f < features; ++f)
            acc += w[f] * in.raw[f];
        out.raw[oc] = quantizeRaw(acc, fAcc, n.activations, n.quant);
    }
    return out;
}

FixedTensor runPool(const Node& n, const FixedTensor& in) {
    FixedTensor out = emptyOutput(n);
    const int fIn = fracBits(in.type);
    const bool global = n.op == Op::GlobalAvgPool;
    const int kh = global ? in.shape.h : n.kernelH;
    const int kw = global ? in.shape.w : n.kernelW;
    const int stride = global ? 1 : n.stride;
    const int padH = global ? 0 : n.padH;
    const int padW = global ? 0 : n.padW;
    const std::int64_t recip = averageReciprocal(std::int64_t(kh) * kw);
    for (int c = 0; c < n.out.c; ++c)
        for (int y = 0; y < n.out.h; ++y)
            for (int x = 0; x < n.out.w; ++x) {
                std::int64_t sum = 0;
                std::int64_t best = 0;
                bool any = false;
                for (int ky = 0; ky < kh; ++ky)
                    for (int kx = 0; kx < kw; ++kx) {
                        const int iy = y * stride - padH + ky;
                        const int ix = x * stride - padW + kx;
                        if (iy < 0 || iy >= in.shape.h || ix < 0 || ix >= in.shape.w)
                            continue; // max ignores padding; the average counts it as zero
                        const std::int64_t v = in.at(c, iy, ix);
                        sum += v;
                        best = any ? std::max(best, v) : v;
                        any = true;
                    }
                std::int64_t& dst = out.raw[(std::size_t(c) * n.out.h + y) * n.out.w + x];
                if (n.op == Op::MaxPool)
                    dst = quantizeRaw(best, fIn, n.activations, n.quant);
                else
                    dst = quantizeRaw(sum * recip, fIn + kReciprocalBits, n.activations, n.quant);
            }
    return out;
}

// The activations of ONNX's torchvision exports (docs/import.md), one value at a time.
// leaky_relu multiplies by the slope held at kSlopeBits fractional bits; hard_sigmoid is
// relu6(x + 3) / 6 and hard_swish x * relu6(x + 3) / 6, both exact rationals rounded once;
// sigmoid is 1 / (1 + exp(-x)) in double precision, rounded once (the only value that is
// not an exact rational; it is never a rounding tie but at x = 0, where it is exact).
std::int64_t activate(const Node& n, std::int64_t v, int fIn) {
    const std::int64_t three = std::int64_t(3) << fIn;
    const std::int64_t six = std::int64_t(6) << fIn;
    switch (n.op) {
    case Op::LeakyRelu:
        if (v >= 0)
            return quantizeRaw(v, fIn, n.activations, n.quant);
        return quantizeRaw(v * leakySlopeRaw(n.slope), fIn + kSlopeBits, n.activations, n.quant);
    case Op::Sigmoid:
        return quantizeReal(1.0 / (1.0 + std::exp(-std::ldexp(static_cast<double>(v), -fIn))),
                            n.activations, n.quant);
    case Op::HardSigmoid:
        return quantizeRatio(std::clamp<std::int64_t>(v + three, 0, six), six, n.activations,
                             n.quant);
    case Op::HardSwish:
        return quantizeRatio(v * std::clamp<std::int64_t>(v + three, 0, six), six << fIn,
                             n.activations, n.quant);
    default:
        return quantizeRaw(v, fIn, n.activations, n.quant);
    }
}

FixedTensor runElementwise(const Node& n, const FixedTensor& in, const QuantizedLayer& q) {
    FixedTensor out = emptyOutput(n);
    const int fIn = fracBits(in.type);
    const std::size_t plane = std::size_t(n.out.h) * n.out.w;
    const std::int64_t six = std::int64_t(6) << fIn;
    for (std::size_t i = 0; i < out.raw.size(); ++i) {
        const std::int64_t v = in.raw[i];
        switch (n.op) {
        case Op::Relu:
            out.raw[i] = quantizeRaw(std::max<std::int64_t>(v, 0), fIn, n.activations, n.quant);
            break;
        case Op::Relu6:
            out.raw[i] =
                quantizeRaw(std::clamp<std::int64_t>(v, 0, six), fIn, n.activations, n.quant);
            break;
        case Op::LeakyRelu:
        case Op::Sigmoid:
        case Op::HardSigmoid:
        case Op::HardSwish:
            out.raw[i] = activate(n, v, fIn);
            break;
        default: { // bn: x * scale + shift, exact at fraction fIn + fW
            const std::size_t c = i / plane;
            const std::int64_t acc = v * q.weights[c] + (q.bias[c] << fIn);
            out.raw[i] = quantizeRaw(acc, fIn + fracBits(n.weights), n.activations, n.quant);
        }
        }
    }
    return out;
}

FixedTensor runAdd(const Node& n, const std::vector<const FixedTensor*>& ins) {
    FixedTensor out = emptyOutput(n);
    int fMax = 0;
    for (const FixedTensor* t : ins)
        fMax = std::max(fMax, fracBits(t->type));
    for (std::size_t i = 0; i < out.raw.size(); ++i) {
        std::int64_t sum = 0;
        for (const FixedTensor* t : ins)
            sum += t->raw[i] << (fMax - fracBits(t->type));
        out.raw[i] = quantizeRaw(sum, fMax, n.activations, n.quant);
    }
    return out;
}

// Products of two operands at the sum of their fractions; an operand of C x 1 x 1 scales
// each channel (squeeze-excite).
FixedTensor runMul(const Node& n, const std::vector<const FixedTensor*>& ins) {
    FixedTensor out = emptyOutput(n);
    const FixedTensor& a = *ins[0];
    const FixedTensor& b = *ins[1];
    const int f = fracBits(a.type) + fracBits(b.type);
    const std::size_t plane = std::size_t(n.out.h) * n.out.w;
    const auto at = [&](const FixedTensor& t, std::size_t i) {
        return t.raw.size() == out.raw.size() ? t.raw[i] : t.raw[i / plane];
    };
    for (std::size_t i = 0; i < out.raw.size(); ++i)
        out.raw[i] = quantizeRaw(at(a, i) * at(b, i), f, n.activations, n.quant);
    return out;
}

// Channel moves: shuffle interleaves G groups of C/G channels (channel g * C/G + j goes to
// j * G + g, ShuffleNet's view-transpose-view); slice keeps channels [begin, begin + C').
FixedTensor runChannelMove(const Node& n, const FixedTensor& in) {
    FixedTensor out = emptyOutput(n);
    const int f = fracBits(in.type);
    const std::size_t plane = std::size_t(n.out.h) * n.out.w;
    const int perGroup = n.op == Op::Shuffle ? n.in.c / n.groups : 1;
    for (int c = 0; c < n.out.c; ++c) {
        const int src =
            n.op == Op::Shuffle ? (c % n.groups) * perGroup + c / n.groups : n.begin + c;
        const std::int64_t* from = in.raw.data() + plane * std::size_t(src);
        std::int64_t* to = out.raw.data() + plane * std::size_t(c);
        for (std::size_t i = 0; i < plane; ++i)
            to[i] = quantizeRaw(from[i], f, n.activations, n.quant);
    }
    return out;
}

FixedTensor runConcat(const Node& n, const std::vector<const FixedTensor*>& ins) {
    FixedTensor out = emptyOutput(n);
    std::size_t at = 0;
    for (const FixedTensor* t : ins) {
        const int f = fracBits(t->type);
        for (std::int64_t v : t->raw)
            out.raw[at++] = quantizeRaw(v, f, n.activations, n.quant);
    }
    return out;
}

FixedTensor runRemap(const Node& n, const FixedTensor& in) {
    FixedTensor out = emptyOutput(n);
    const int f = fracBits(in.type);
    const int s = n.factor;
    for (int c = 0; c < n.out.c; ++c)
        for (int y = 0; y < n.out.h; ++y)
            for (int x = 0; x < n.out.w; ++x) {
                std::int64_t v = 0;
                if (n.op == Op::Upsample) { // nearest neighbour
                    v = in.at(c, y / s, x / s);
                } else { // reorg = PyTorch pixel_unshuffle
                    const int ic = c / (s * s);
                    const int dy = (c / s) % s;
                    const int dx = c % s;
                    v = in.at(ic, y * s + dy, x * s + dx);
                }
                out.raw[(std::size_t(c) * n.out.h + y) * n.out.w + x] =
                    quantizeRaw(v, f, n.activations, n.quant);
            }
    return out;
}

// The most confident anchor over the grid (ties: the tied entry nearest their centroid,
// bbox_choice.h), decoded as x = (col + tx) / W, y = (row + ty) / H, w, h, confidence.
FixedTensor runBboxHead(const Node& n, const FixedTensor& in) {
    FixedTensor out = emptyOutput(n);
    const int f = fracBits(in.type);
    const BoxCell cell = chooseBoxCell(in.shape.h, in.shape.w, n.anchors,
                                       [&](int y, int x, int a) { return in.at(a * 5 + 4, y, x); });
    const int bestY = cell.row, bestX = cell.col, bestA = cell.anchor;
    const auto value = [&](int k) {
        return in.at(bestA * 5 + k, bestY, bestX);
    };
    const std::int64_t one = std::int64_t(1) << f;
    out.raw[0] = quantizeRatio(bestX * one + value(0), std::int64_t(in.shape.w) * one,
                               n.activations, n.quant);
    out.raw[1] = quantizeRatio(bestY * one + value(1), std::int64_t(in.shape.h) * one,
                               n.activations, n.quant);
    for (int k = 2; k < 5; ++k)
        out.raw[k] = quantizeRaw(value(k), f, n.activations, n.quant);
    return out;
}

Diagnostic limitError(const Node& n, const std::string& what) {
    return makeError(what + "; the fixed-point reference and the exported accelerator "
                            "accumulate in 64 bits: use narrower weights or activations",
                     n.pos, n.name);
}

} // namespace

FixedType biasFormat(const Node& n) {
    if (n.op == Op::Bn)
        return n.weights;
    return {n.weights.width, std::max(n.weights.integer, n.activations.integer)};
}

int biasShift(const Node& n) {
    return fracBits(n.weights) - fracBits(biasFormat(n));
}

std::int64_t leakySlopeRaw(double slope) {
    return static_cast<std::int64_t>(std::llround(std::ldexp(slope, kSlopeBits)));
}

std::int64_t averageReciprocal(std::int64_t windowSize) {
    const std::int64_t one = std::int64_t(1) << kReciprocalBits;
    return (2 * one + windowSize) / (2 * windowSize);
}

FixedType inputFormat(const Graph& graph) {
    return graph.nodes.empty() ? FixedType{} : graph.nodes.front().activations;
}

FixedTensor quantizeInput(const Graph& graph, std::span<const double> values) {
    FixedTensor t;
    t.shape = graph.input;
    t.type = inputFormat(graph);
    const QuantMode mode = graph.nodes.empty() ? QuantMode{} : graph.nodes.front().quant;
    t.raw.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
        t.raw[i] = quantizeReal(values[i], t.type, mode);
    return t;
}

Status checkReferenceLimits(const Graph& g) {
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        for (const FixedType& t : {n.weights, n.activations})
            if (fracBits(t) > kMaxFracBits)
                return limitError(n, formatFixedType(t) + " has more than " +
                                         std::to_string(kMaxFracBits) + " fractional bits");
        const FixedType in = formatOf(g, n.inputs.front());
        const int fIn = fracBits(in);
        const int ww = n.weights.width;
        int need = 0;
        std::string what;
        switch (n.op) {
        case Op::Conv:
        case Op::DwConv:
        case Op::PwConv:
        case Op::Fuse:
        case Op::Fc:
            need =
                std::max(ww + in.width - 2 + ceilLog2(fanIn(n)), ww - 1 + fIn + biasShift(n)) + 2;
            what = "the accumulator of " + std::to_string(fanIn(n)) + " products of " +
                   formatFixedType(n.weights) + " weights and " + formatFixedType(in) +
                   " inputs needs " + std::to_string(need) + " bits";
            break;
        case Op::Bn:
            need = std::max(ww + in.width, ww + fIn) + 1;
            what = "scale and shift need " + std::to_string(need) + " bits";
            break;
        case Op::AvgPool:
        case Op::GlobalAvgPool: {
            const std::int64_t window = n.op == Op::GlobalAvgPool
                                            ? std::int64_t(n.in.h) * n.in.w
                                            : std::int64_t(n.kernelH) * n.kernelW;
            need = in.width + ceilLog2(window) + kReciprocalBits + 2;
            what = "the average of " + std::to_string(window) + " values needs " +
                   std::to_string(need) + " bits";
            break;
        }
        case Op::Add: {
            int fMax = 0;
            for (int src : n.inputs)
                fMax = std::max(fMax, fracBits(formatOf(g, src)));
            for (int src : n.inputs) {
                const FixedType t = formatOf(g, src);
                need = std::max(need, t.width + fMax - fracBits(t) +
                                          ceilLog2(std::int64_t(n.inputs.size())) + 1);
            }
            what = "the sum needs " + std::to_string(need) + " bits";
            break;
        }
        case Op::LeakyRelu:
            need = in.width + ceilLog2(std::abs(leakySlopeRaw(n.slope)) + 1) + 1;
            what = "the slope's product needs " + std::to_string(need) + " bits";
            break;
        case Op::HardSigmoid:
        case Op::HardSwish:
            need = n.op == Op::HardSigmoid ? std::max(in.width, fIn + 3) + 2
                                           : std::max(in.width + fIn + 4, 2 * fIn + 4);
            what = "x + 3 at " + std::to_string(fIn) + " fractional bits needs " +
                   std::to_string(need) + " bits";
            break;
        case Op::Mul: {
            need = 0;
            for (int src : n.inputs)
                need += formatOf(g, src).width;
            what = "the product needs " + std::to_string(need) + " bits";
            break;
        }
        case Op::Relu6:
            need = fIn + 4;
            what = "6.0 at " + std::to_string(fIn) + " fractional bits needs " +
                   std::to_string(need) + " bits";
            break;
        case Op::BboxHead:
            need = std::max(in.width, ceilLog2(std::max(n.in.h, n.in.w)) + fIn + 1) + 1;
            what = "the box decode needs " + std::to_string(need) + " bits";
            break;
        default:
            break;
        }
        if (need > kAccumulatorBits)
            return limitError(n, what);
    }
    return okStatus();
}

std::vector<QuantizedLayer> quantizeWeights(const Graph& graph, const WeightSet& set) {
    std::vector<QuantizedLayer> q(graph.nodes.size());
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        const LayerWeights* l = set.find(n.name);
        if (!l)
            continue;
        for (float w : l->weights)
            q[i].weights.push_back(quantizeReal(w, n.weights, n.quant));
        for (float b : l->bias)
            q[i].bias.push_back(quantizeReal(b, biasFormat(n), n.quant));
    }
    return q;
}

std::vector<FixedTensor> runReference(const Graph& graph,
                                      const std::vector<QuantizedLayer>& weights,
                                      const FixedTensor& input) {
    std::vector<FixedTensor> outs(graph.nodes.size());
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        std::vector<const FixedTensor*> ins;
        for (int src : n.inputs)
            ins.push_back(src < 0 ? &input : &outs[src]);
        const FixedTensor& in = n.inputs.front() < 0 ? input : outs[n.inputs.front()];
        const QuantizedLayer& q = weights[i];
        switch (n.op) {
        case Op::Conv:
        case Op::PwConv:
            outs[i] = runConv(n, in, q);
            break;
        case Op::DwConv:
            outs[i] = runDwConv(n, in, q);
            break;
        case Op::Fuse:
            outs[i] = runFuse(n, in, q);
            break;
        case Op::Fc:
            outs[i] = runFc(n, in, q);
            break;
        case Op::MaxPool:
        case Op::AvgPool:
        case Op::GlobalAvgPool:
            outs[i] = runPool(n, in);
            break;
        case Op::Relu:
        case Op::Relu6:
        case Op::Bn:
        case Op::LeakyRelu:
        case Op::Sigmoid:
        case Op::HardSigmoid:
        case Op::HardSwish:
            outs[i] = runElementwise(n, in, q);
            break;
        case Op::Mul:
            outs[i] = runMul(n, ins);
            break;
        case Op::Shuffle:
        case Op::Slice:
            outs[i] = runChannelMove(n, in);
            break;
        case Op::Add:
            outs[i] = runAdd(n, ins);
            break;
        case Op::Concat:
            outs[i] = runConcat(n, ins);
            break;
        case Op::Reorg:
        case Op::Upsample:
            outs[i] = runRemap(n, in);
            break;
        case Op::BboxHead:
            outs[i] = runBboxHead(n, in);
            break;
        }
    }
    return outs;
}

Result<std::vector<FixedTensor>> runReference(const Graph& graph, const WeightSet& set,
                                              const FixedTensor& input) {
    if (Status s = checkWeightsFit(set, graph); !s.ok())
        return s.error();
    if (Status s = checkReferenceLimits(graph); !s.ok())
        return s.error();
    if (!(input.shape == graph.input) ||
        input.raw.size() != static_cast<std::size_t>(graph.input.elements()))
        return makeError("the input tensor is " + formatShape(input.shape) +
                         "; the network takes " + formatShape(graph.input));
    if (!(input.type == inputFormat(graph)))
        return makeError("the input tensor is " + formatFixedType(input.type) +
                         "; the network takes " + formatFixedType(inputFormat(graph)));
    return runReference(graph, quantizeWeights(graph, set), input);
}

} // namespace codesign::reference
