#include "graph_net.h"

#include "core/reference/bbox_choice.h"
#include "core/reference/reference.h"
#include "fake_quant.h"

#include <ATen/ATen.h>
#include <algorithm>
#include <cmath>
#include <limits>
#include <torch/autograd.h>

namespace codesign::train {
namespace {

// Two-element size arguments (a braced list is ambiguous between conv2d's overloads).
std::vector<std::int64_t> pair(std::int64_t a, std::int64_t b) {
    return {a, b};
}
std::vector<std::int64_t> pair(std::int64_t a) {
    return {a, a};
}

std::vector<std::int64_t> weightShape(const Node& n) {
    switch (n.op) {
    case Op::Conv:
        return {n.out.c, n.in.c / std::max(1, n.groups), n.kernelH, n.kernelW};
    case Op::DwConv:
        return {n.out.c, 1, n.kernelH, n.kernelW};
    case Op::PwConv:
        return {n.out.c, n.in.c, 1, 1};
    case Op::Fuse:
        return {n.out.c, n.kernelH};
    case Op::Fc:
        return {n.out.c, n.in.elements()};
    case Op::Bn:
        return {n.in.c};
    default:
        return {};
    }
}

// Depthwise 1-D convolutions along one axis, each channel with its own row of `w`. The
// output keeps the reference's geometry (tap t reads position o * stride + t - pad, zeros
// outside) for any padding: pad explicitly, convolve, keep the first `outSize`.
at::Tensor lineConv(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, bool horizontal,
                    const Node& n) {
    const std::int64_t channels = x.size(1);
    const std::int64_t k = w.size(1);
    const int axis = horizontal ? 3 : 2;
    const std::int64_t size = x.size(axis);
    const std::int64_t pad = horizontal ? n.padW : n.padH;
    const std::int64_t outSize = horizontal ? n.out.w : n.out.h;
    const std::int64_t padAfter =
        std::max<std::int64_t>(0, (outSize - 1) * n.stride + k - size - pad);
    const at::Tensor padded = horizontal ? at::constant_pad_nd(x, {pad, padAfter, 0, 0})
                                         : at::constant_pad_nd(x, {0, 0, pad, padAfter});
    const at::Tensor kernel =
        horizontal ? w.view({channels, 1, 1, k}) : w.view({channels, 1, k, 1});
    const c10::optional<at::Tensor> bias =
        b.defined() ? c10::optional<at::Tensor>(b) : c10::nullopt;
    const at::Tensor y =
        at::conv2d(padded, kernel, bias, pair(n.stride), pair(0), pair(1), channels);
    return y.narrow(axis, 0, outSize);
}

at::Tensor rows(const at::Tensor& t, std::int64_t first, std::int64_t count) {
    return t.defined() ? t.narrow(0, first, count) : t;
}

at::Tensor fuse(const at::Tensor& x, const at::Tensor& w, const at::Tensor& b, const Node& n) {
    const std::int64_t c = n.in.c;
    if (n.variant == FuseVariant::Full) // 1xK on every channel, then Kx1 on every channel
        return at::cat({lineConv(x, rows(w, 0, c), rows(b, 0, c), true, n),
                        lineConv(x, rows(w, c, c), rows(b, c, c), false, n)},
                       1);
    const std::int64_t half = c / 2; // the first half runs 1xK, the rest Kx1
    return at::cat({lineConv(x.narrow(1, 0, half), rows(w, 0, half), rows(b, 0, half), true, n),
                    lineConv(x.narrow(1, half, c - half), rows(w, half, c - half),
                             rows(b, half, c - half), false, n)},
                   1);
}

// The padding of each side, in constant_pad_nd's order (left, right, top, bottom).
std::vector<std::int64_t> sidePads(const Node& n) {
    return {n.padW, n.padRight, n.padH, n.padBottom};
}

at::Tensor maxPool(const at::Tensor& x, const Node& n) {
    if (n.symmetricPadding() && 2 * n.padH <= n.kernelH && 2 * n.padW <= n.kernelW)
        return at::max_pool2d(x, {n.kernelH, n.kernelW}, {n.stride, n.stride}, {n.padH, n.padW});
    // Wider or uneven padding than libtorch takes: pad with -inf; a window of padding only
    // gives 0 as in the reference.
    const double inf = std::numeric_limits<double>::infinity();
    const at::Tensor y = at::max_pool2d(at::constant_pad_nd(x, sidePads(n), -inf),
                                        {n.kernelH, n.kernelW}, {n.stride, n.stride});
    return at::where(at::isinf(y), at::zeros_like(y), y);
}

// ShuffleNet's channel shuffle: view as G x C/G, transpose, flatten.
at::Tensor shuffle(const at::Tensor& x, int groups) {
    const auto s = x.sizes();
    return x.view({s[0], groups, s[1] / groups, s[2], s[3]}).transpose(1, 2).reshape(s);
}

// Average pooling as the reference computes it: the window sum (padding counts as zero)
// times 1/n, or at fixed precision times round(2^20 / n) / 2^20.
double averageFactor(std::int64_t window, Precision p) {
    if (p == Precision::Float)
        return 1.0 / static_cast<double>(window);
    return std::ldexp(static_cast<double>(reference::averageReciprocal(window)),
                      -reference::kReciprocalBits);
}

// sum * factor; at fixed precision in double (runNode quantizes it there), where the
// product of a window sum and the 20-bit reciprocal is exact: rounded to float first, a
// value near a rounding tie could land one step away from the reference.
at::Tensor scaleSum(const at::Tensor& sum, std::int64_t window, Precision p) {
    const double factor = averageFactor(window, p);
    return p == Precision::Float ? sum * factor : sum.to(at::kDouble) * factor;
}

at::Tensor avgPool(const at::Tensor& x, const Node& n, Precision p) {
    const at::Tensor padded =
        n.padH > 0 || n.padW > 0 || !n.symmetricPadding() ? at::constant_pad_nd(x, sidePads(n)) : x;
    const at::Tensor sum = at::avg_pool2d(padded, {n.kernelH, n.kernelW}, {n.stride, n.stride},
                                          {0, 0}, false, true, 1);
    return scaleSum(sum, std::int64_t(n.kernelH) * n.kernelW, p);
}

} // namespace

GraphNet::GraphNet(Graph graph) : graph_(std::move(graph)) {
    const std::size_t count = graph_.nodes.size();
    weights_.resize(count);
    biases_.resize(count);
    lastUse_.assign(count, 0);
    for (std::size_t i = 0; i < count; ++i) {
        const Node& n = graph_.nodes[i];
        for (int src : n.inputs)
            if (src >= 0)
                lastUse_[static_cast<std::size_t>(src)] = i;
        if (!reference::nodeHasParameters(n))
            continue;
        const reference::WeightCounts counts = reference::weightCounts(n);
        weights_[i] = register_parameter(std::string("w").append(std::to_string(i)),
                                         at::zeros(weightShape(n)));
        if (counts.bias > 0)
            biases_[i] = register_parameter(std::string("b").append(std::to_string(i)),
                                            at::zeros({counts.bias}));
    }
    if (!graph_.nodes.empty()) // the result is read after the last node
        for (int src : graph_.nodes.back().inputs)
            if (src >= 0)
                lastUse_[static_cast<std::size_t>(src)] = count;
}

bool GraphNet::endsInBoxHead() const {
    return !graph_.nodes.empty() && graph_.nodes.back().op == Op::BboxHead;
}

Status GraphNet::setWeights(const reference::WeightSet& set) {
    if (Status s = reference::checkWeightsFit(set, graph_); !s.ok())
        return s;
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
        const reference::LayerWeights* l = set.find(graph_.nodes[i].name);
        if (!l || !weights_[i].defined())
            continue;
        auto load = [](at::Tensor& param, const std::vector<float>& values) {
            std::vector<float> copy = values; // from_blob needs a mutable pointer
            param.copy_(
                at::from_blob(copy.data(), {static_cast<std::int64_t>(copy.size())}, at::kFloat)
                    .view(param.sizes()));
        };
        load(weights_[i], l->weights);
        if (biases_[i].defined())
            load(biases_[i], l->bias);
    }
    return okStatus();
}

reference::WeightSet GraphNet::weightSet(const std::string& origin, std::uint64_t seed) const {
    reference::WeightSet set;
    set.origin = origin;
    set.seed = seed;
    auto values = [](const at::Tensor& t) {
        const at::Tensor flat = t.detach().to(at::kFloat).contiguous().view({-1});
        const float* p = flat.data_ptr<float>();
        return std::vector<float>(p, p + flat.numel());
    };
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
        if (!weights_[i].defined())
            continue;
        reference::LayerWeights l;
        l.name = graph_.nodes[i].name;
        l.weights = values(weights_[i]);
        if (biases_[i].defined())
            l.bias = values(biases_[i]);
        set.layers.push_back(std::move(l));
    }
    return set;
}

std::map<std::string, std::vector<float>> GraphNet::weightGradients() const {
    std::map<std::string, std::vector<float>> out;
    for (std::size_t i = 0; i < graph_.nodes.size(); ++i) {
        if (!weights_[i].defined())
            continue;
        const at::Tensor& grad = weights_[i].grad();
        const at::Tensor flat = grad.defined()
                                    ? grad.detach().to(at::kFloat).contiguous().view({-1})
                                    : at::zeros({weights_[i].numel()});
        const float* p = flat.data_ptr<float>();
        out[graph_.nodes[i].name].assign(p, p + flat.numel());
    }
    return out;
}

at::Tensor GraphNet::runNode(std::size_t index, const std::vector<at::Tensor>& outputs,
                             const at::Tensor& input, Precision precision) {
    const Node& n = graph_.nodes[index];
    const bool fixed =
        precision == Precision::Fixed && (quantized_.empty() || quantized_.at(index));
    auto in = [&](std::size_t k) -> const at::Tensor& {
        const int src = n.inputs[k];
        return src < 0 ? input : outputs[static_cast<std::size_t>(src)];
    };
    const at::Tensor& x = in(0);
    at::Tensor w = weights_[index];
    at::Tensor b = biases_[index];
    if (fixed && w.defined())
        w = fakeQuant(w, n.weights, n.quant);
    if (fixed && b.defined())
        b = fakeQuant(b, reference::biasFormat(n), n.quant);
    const c10::optional<at::Tensor> bias =
        b.defined() ? c10::optional<at::Tensor>(b) : c10::nullopt;

    at::Tensor y;
    switch (n.op) {
    case Op::Conv:
    case Op::DwConv:
    case Op::PwConv:
        if (n.symmetricPadding())
            y = at::conv2d(x, w, bias, pair(n.stride), pair(n.padH, n.padW), pair(1),
                           n.op == Op::DwConv ? n.in.c : std::max(1, n.groups));
        else
            y = at::conv2d(at::constant_pad_nd(x, sidePads(n)), w, bias, pair(n.stride), pair(0),
                           pair(1), n.op == Op::DwConv ? n.in.c : std::max(1, n.groups));
        break;
    case Op::Fuse:
        y = fuse(x, w, b, n);
        break;
    case Op::Fc:
        y = at::linear(x.flatten(1), w, bias).view({x.size(0), n.out.c, 1, 1});
        break;
    case Op::MaxPool:
        y = maxPool(x, n);
        break;
    case Op::AvgPool:
        y = avgPool(x, n, fixed ? Precision::Fixed : Precision::Float);
        break;
    case Op::GlobalAvgPool:
        y = scaleSum(x.sum({2, 3}, true), x.size(2) * x.size(3),
                     fixed ? Precision::Fixed : Precision::Float);
        break;
    case Op::Relu:
        y = at::relu(x);
        break;
    case Op::Relu6:
        y = at::clamp(x, 0.0, 6.0);
        break;
    case Op::Bn:
        y = x * w.view({1, -1, 1, 1}) + b.view({1, -1, 1, 1});
        break;
    case Op::LeakyRelu:
        y = at::leaky_relu(x, n.slope);
        break;
    case Op::Sigmoid:
        y = at::sigmoid(x);
        break;
    case Op::HardSigmoid:
        y = at::hardsigmoid(x);
        break;
    case Op::HardSwish:
        y = at::hardswish(x);
        break;
    case Op::Add:
        y = x;
        for (std::size_t k = 1; k < n.inputs.size(); ++k)
            y = y + in(k);
        break;
    case Op::Mul: // broadcasts a C x 1 x 1 operand over the map
        y = x;
        for (std::size_t k = 1; k < n.inputs.size(); ++k)
            y = y * in(k);
        break;
    case Op::Shuffle:
        y = shuffle(x, n.groups);
        break;
    case Op::Slice:
        y = x.narrow(1, n.begin, n.out.c);
        break;
    case Op::Concat: {
        std::vector<at::Tensor> parts;
        for (std::size_t k = 0; k < n.inputs.size(); ++k)
            parts.push_back(in(k));
        y = at::cat(parts, 1);
        break;
    }
    case Op::Reorg:
        y = at::pixel_unshuffle(x, n.factor);
        break;
    case Op::Upsample:
        y = at::upsample_nearest2d(x, {std::int64_t(n.out.h), std::int64_t(n.out.w)});
        break;
    case Op::BboxHead:
        // (col + tx) / W in double at fixed precision, for the reason of scaleSum.
        y = decodeHead(fixed ? x.to(at::kDouble) : x, n.anchors).view({x.size(0), 5, 1, 1});
        break;
    }
    return fixed ? fakeQuant(y, n.activations, n.quant).to(x.scalar_type()) : y;
}

std::vector<at::Tensor> GraphNet::run(const at::Tensor& input, Precision precision, std::size_t end,
                                      bool keepAll) {
    const at::Tensor x =
        precision == Precision::Fixed && quantizeInput_
            ? fakeQuant(input, reference::inputFormat(graph_), graph_.nodes.front().quant)
            : input;
    std::vector<at::Tensor> outputs(graph_.nodes.size());
    for (std::size_t i = 0; i < end; ++i) {
        outputs[i] = runNode(i, outputs, x, precision);
        if (keepAll)
            continue;
        for (int src : graph_.nodes[i].inputs) // free what no later layer reads
            if (src >= 0 && lastUse_[static_cast<std::size_t>(src)] == i)
                outputs[static_cast<std::size_t>(src)] = at::Tensor();
    }
    return outputs;
}

void GraphNet::setQuantizedLayers(std::vector<bool> layers, bool input) {
    quantized_ = std::move(layers);
    quantizeInput_ = input;
}

at::Tensor GraphNet::forward(const at::Tensor& input, Precision precision) {
    if (endsInBoxHead()) {
        const std::size_t head = graph_.nodes.size() - 1;
        std::vector<at::Tensor> outputs = run(input, precision, head, false);
        const int src = graph_.nodes[head].inputs.front();
        return src < 0 ? input : outputs[static_cast<std::size_t>(src)];
    }
    return run(input, precision, graph_.nodes.size(), false).back();
}

std::vector<at::Tensor> GraphNet::forwardAll(const at::Tensor& input, Precision precision) {
    return run(input, precision, graph_.nodes.size(), true);
}

namespace {

// bbox_head's choice per image (reference::chooseBoxCell, the reference's own rule), on
// the confidences in (row, column, anchor) order. Ties are exact: a quantized map's values
// are exact in double.
at::Tensor chooseCells(const at::Tensor& map, int anchors) {
    const std::int64_t n = map.size(0), h = map.size(2), w = map.size(3);
    const at::Tensor conf = map.detach()
                                .view({n, anchors, 5, h, w})
                                .select(2, 4)
                                .permute({0, 2, 3, 1})
                                .to(at::kCPU, at::kDouble)
                                .contiguous();
    const double* p = conf.data_ptr<double>();
    std::vector<std::int64_t> best(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const double* c = p + i * h * w * anchors;
        const reference::BoxCell cell =
            reference::chooseBoxCell(int(h), int(w), anchors, [&](int y, int x, int a) {
                return c[(y * w + x) * anchors + a];
            });
        best[static_cast<std::size_t>(i)] = (cell.row * w + cell.col) * anchors + cell.anchor;
    }
    return at::tensor(best, at::kLong).to(map.device());
}

} // namespace

at::Tensor decodeHead(const at::Tensor& map, int anchors) {
    const std::int64_t n = map.size(0);
    const std::int64_t h = map.size(2);
    const std::int64_t w = map.size(3);
    const at::Tensor best = chooseCells(map, anchors);
    const at::Tensor row = at::div(best, w * anchors, "floor");
    const at::Tensor col = at::remainder(at::div(best, anchors, "floor"), w);
    const at::Tensor anchor = at::remainder(best, anchors);
    const at::Tensor flat = map.reshape({n, -1});
    std::vector<at::Tensor> values;
    for (std::int64_t k = 0; k < 5; ++k) {
        const at::Tensor offset = ((anchor * 5 + k) * h + row) * w + col;
        values.push_back(flat.gather(1, offset.unsqueeze(1)).squeeze(1));
    }
    const at::Tensor cx = (col.to(map.scalar_type()) + values[0]) / static_cast<double>(w);
    const at::Tensor cy = (row.to(map.scalar_type()) + values[1]) / static_cast<double>(h);
    return at::stack({cx, cy, values[2], values[3], values[4]}, 1);
}

} // namespace codesign::train
