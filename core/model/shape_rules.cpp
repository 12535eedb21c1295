#include "shape_rules.h"

#include <algorithm>

namespace codesign {
namespace {

constexpr int kMaxChannels = 1'000'000;

std::string str(int v) {
    return std::to_string(v);
}

int spatialOut(int size, int kernel, int stride, int before, int after) {
    const int span = size + before + after - kernel;
    if (span < 0)
        return 0;
    return span / stride + 1;
}

// Output size of a sliding window; returns a message when the window does not fit.
std::string paddingText(const Node& n) {
    if (n.symmetricPadding())
        return n.padH == n.padW ? str(n.padH) : str(n.padH) + "x" + str(n.padW);
    return "[" + str(n.padH) + ", " + str(n.padW) + ", " + str(n.padBottom) + ", " +
           str(n.padRight) + "]";
}

std::string windowOut(const Node& n, const Shape& in, int& h, int& w) {
    h = spatialOut(in.h, n.kernelH, n.stride, n.padH, n.padBottom);
    w = spatialOut(in.w, n.kernelW, n.stride, n.padW, n.padRight);
    if (h < 1 || w < 1)
        return "a " + str(n.kernelH) + "x" + str(n.kernelW) + " window (padding " + paddingText(n) +
               ") does not fit the " + formatShape(in) + " input";
    return {};
}

// Every operand of mul has the output's shape, or its channels over one pixel (the channel
// broadcast of squeeze-excite). Returns the output shape, or c = 0 when they do not agree.
Shape mulShape(std::span<const Shape> inputs) {
    Shape full = inputs.front();
    for (const Shape& s : inputs)
        if (s.h * std::int64_t(s.w) > full.h * std::int64_t(full.w))
            full = s;
    for (const Shape& s : inputs)
        if (!(s == full) && !(s.c == full.c && s.h == 1 && s.w == 1))
            return {};
    return full;
}

// Explicit padding applies to both axes; the default keeps the size ("same") per axis.
// A list gives each side: [top, left, bottom, right].
void applyPadding(const LayerSpec& spec, Node& n) {
    if (spec.pads.size() == 4) {
        n.padH = spec.pads[0];
        n.padW = spec.pads[1];
        n.padBottom = spec.pads[2];
        n.padRight = spec.pads[3];
        return;
    }
    const bool pooling = spec.op == Op::MaxPool || spec.op == Op::AvgPool;
    if (spec.padding >= 0) {
        n.padH = n.padW = spec.padding;
    } else {
        n.padH = pooling ? 0 : n.kernelH / 2;
        n.padW = pooling ? 0 : n.kernelW / 2;
    }
    n.padBottom = n.padH;
    n.padRight = n.padW;
}

} // namespace

void applyOpDefaults(const LayerSpec& spec, int channels, Node& n) {
    n.op = spec.op;
    n.groups = spec.groups;
    n.variant = spec.variant;
    n.bias = spec.bias;
    n.anchors = spec.anchors;
    n.slope = spec.slope;
    n.begin = spec.begin;
    int k = 1;
    int defaultStride = 1;
    switch (spec.op) {
    case Op::Conv:
    case Op::DwConv:
    case Op::Fuse:
        k = 3;
        break;
    case Op::MaxPool:
    case Op::AvgPool:
        k = 2;
        defaultStride = 0; // = kernel
        break;
    default:
        k = 1;
    }
    n.kernelH = spec.kernelH > 0 ? spec.kernelH : k;
    n.kernelW = spec.kernelW > 0 ? spec.kernelW : n.kernelH;
    if (spec.op == Op::PwConv)
        n.kernelH = n.kernelW = 1;
    if (spec.stride > 0)
        n.stride = spec.stride;
    else
        n.stride = defaultStride > 0 ? defaultStride : n.kernelH;
    applyPadding(spec, n);
    n.factor = spec.factor > 0 ? spec.factor : 2;
    (void)channels;
}

std::string inferShape(Node& n, std::span<const Shape> inputs, int requested) {
    const Shape in = inputs.front();
    n.in = in;
    n.macs = 0;
    n.params = 0;
    int h = in.h;
    int w = in.w;
    switch (n.op) {
    case Op::Conv: {
        if (requested <= 0)
            return "conv needs 'channels' (output channels) here or on the bundle instance";
        if (n.groups < 1)
            return "groups must be at least 1";
        if (in.c % n.groups != 0)
            return "groups " + str(n.groups) + " do not divide the " + str(in.c) +
                   " input channels";
        if (requested % n.groups != 0)
            return "groups " + str(n.groups) + " do not divide the " + str(requested) +
                   " output channels";
        if (auto e = windowOut(n, in, h, w); !e.empty())
            return e;
        n.out = {requested, h, w};
        const std::int64_t perOutput = std::int64_t(in.c / n.groups) * n.kernelH * n.kernelW;
        n.macs = n.out.elements() * perOutput;
        n.params = std::int64_t(requested) * perOutput + (n.bias ? requested : 0);
        return {};
    }
    case Op::DwConv: {
        if (requested > 0 && requested != in.c)
            return "dwconv keeps the channel count; it was given " + str(requested) +
                   " channels for a " + str(in.c) + "-channel input";
        if (auto e = windowOut(n, in, h, w); !e.empty())
            return e;
        n.groups = in.c;
        n.out = {in.c, h, w};
        n.macs = n.out.elements() * n.kernelH * n.kernelW;
        n.params = std::int64_t(in.c) * n.kernelH * n.kernelW + (n.bias ? in.c : 0);
        return {};
    }
    case Op::PwConv: {
        if (requested <= 0)
            return "pwconv needs 'channels' (output channels) here or on the bundle instance";
        if (auto e = windowOut(n, in, h, w); !e.empty())
            return e;
        n.out = {requested, h, w};
        n.macs = n.out.elements() * in.c;
        n.params = std::int64_t(in.c) * requested + (n.bias ? requested : 0);
        return {};
    }
    case Op::Fuse: {
        // FuSeConv: 1xK and Kx1 depthwise branches. Half: each on half the channels
        // (output C); full: both on all channels (output 2C). Padding keeps the size.
        if (n.variant == FuseVariant::Half && in.c < 2)
            return "fuse (half) needs at least 2 input channels to split";
        const int k = n.kernelH;
        if (!n.symmetricPadding())
            return "fuse takes one padding per axis, not " + paddingText(n);
        h = spatialOut(in.h, 1, n.stride, 0, 0);
        w = spatialOut(in.w, 1, n.stride, 0, 0);
        if (k > in.h + 2 * n.padH || k > in.w + 2 * n.padW)
            return "a fuse kernel of " + str(k) + " does not fit the " + formatShape(in) + " input";
        const int outC = n.variant == FuseVariant::Full ? 2 * in.c : in.c;
        if (requested > 0 && requested != outC)
            return "fuse (" + std::string(n.variant == FuseVariant::Full ? "full" : "half") +
                   ") gives " + str(outC) + " channels, not " + str(requested);
        n.out = {outC, h, w};
        n.macs = std::int64_t(h) * w * outC * k;
        n.params = std::int64_t(outC) * k + (n.bias ? outC : 0);
        return {};
    }
    case Op::MaxPool:
    case Op::AvgPool: {
        if (auto e = windowOut(n, in, h, w); !e.empty())
            return e;
        n.out = {in.c, h, w};
        return {};
    }
    case Op::GlobalAvgPool:
        n.out = {in.c, 1, 1};
        return {};
    case Op::Relu:
    case Op::Relu6:
    case Op::LeakyRelu:
    case Op::Sigmoid:
    case Op::HardSigmoid:
    case Op::HardSwish:
        n.out = in;
        return {};
    case Op::Mul: {
        const Shape out = mulShape(inputs);
        if (out.c == 0) {
            std::string shapes;
            for (const Shape& s : inputs)
                shapes += (shapes.empty() ? "" : ", ") + formatShape(s);
            return "mul needs operands of one shape, or of its channels over 1x1 (the channel "
                   "scale of squeeze-excite); got " +
                   shapes;
        }
        n.out = out;
        return {};
    }
    case Op::Shuffle:
        if (n.groups < 2)
            return "shuffle needs groups of at least 2";
        if (in.c % n.groups != 0)
            return "shuffle groups " + str(n.groups) + " do not divide the " + str(in.c) +
                   " input channels";
        n.out = in;
        return {};
    case Op::Slice:
        if (requested <= 0)
            return "slice needs 'channels' (how many channels it keeps from 'begin')";
        if (n.begin < 0 || n.begin >= in.c || requested > in.c - n.begin)
            return "slice of channels " + str(n.begin) + " to " + str(n.begin + requested - 1) +
                   " does not fit the " + str(in.c) + " input channels";
        n.out = {requested, in.h, in.w};
        return {};
    case Op::Bn:
        n.out = in;
        n.params = 2 * std::int64_t(in.c); // scale and shift (running statistics fold in)
        return {};
    case Op::Fc: {
        if (requested <= 0)
            return "fc needs 'channels' (output features)";
        const std::int64_t features = in.elements();
        n.out = {requested, 1, 1};
        n.macs = features * requested;
        n.params = features * requested + (n.bias ? requested : 0);
        return {};
    }
    case Op::Add:
        for (const Shape& s : inputs)
            if (!(s == in))
                return "add needs inputs of one shape; got " + formatShape(in) + " and " +
                       formatShape(s);
        n.out = in;
        return {};
    case Op::Concat: {
        int c = 0;
        for (const Shape& s : inputs) {
            if (s.h != in.h || s.w != in.w)
                return "concat needs inputs of one height and width; got " + formatShape(in) +
                       " and " + formatShape(s);
            c += s.c;
        }
        if (c > kMaxChannels)
            return "concat gives too many channels";
        n.out = {c, in.h, in.w};
        return {};
    }
    case Op::Reorg:
        if (in.h % n.factor != 0 || in.w % n.factor != 0)
            return "reorg by " + str(n.factor) + " needs height and width divisible by it; got " +
                   formatShape(in);
        n.out = {in.c * n.factor * n.factor, in.h / n.factor, in.w / n.factor};
        return {};
    case Op::Upsample:
        n.out = {in.c, in.h * n.factor, in.w * n.factor};
        return {};
    case Op::BboxHead:
        if (in.c != n.anchors * 5)
            return "bbox_head with " + str(n.anchors) + " anchors expects " + str(n.anchors * 5) +
                   " input channels (x, y, w, h, confidence per anchor), got " + str(in.c);
        n.out = {5, 1, 1}; // the chosen box and its confidence
        return {};
    }
    return "unhandled op";
}

} // namespace codesign
