#include "systolic_model.h"

#include <algorithm>

namespace codesign {

const char* systolicUnitName(SystolicUnit unit) {
    switch (unit) {
    case SystolicUnit::Array:
        return "array";
    case SystolicUnit::Depthwise:
        return "dw";
    case SystolicUnit::Fuse:
        return "fuse";
    case SystolicUnit::Vector:
        return "vector";
    case SystolicUnit::Fused:
        return "fused";
    case SystolicUnit::Free:
        return "free";
    case SystolicUnit::Host:
        return "host";
    }
    return "?";
}

namespace {

std::int64_t bytesOf(std::int64_t elements, int bits) {
    return ceilDiv(elements * bits, 8);
}

int psumBytesFor(int weightBits, int activationBits, std::int64_t window) {
    return static_cast<int>(ceilDiv(weightBits + activationBits + ceilLog2(window), 8));
}

bool producesOnArray(SystolicUnit u) {
    return u == SystolicUnit::Array || u == SystolicUnit::Depthwise || u == SystolicUnit::Fuse ||
           u == SystolicUnit::Fused;
}

// conv / pwconv / fc: `groups` GEMMs of (Cin/g) Kh Kw x (Cout/g); a conv with one input
// channel per group is depthwise.
void gemmLayer(const Node& n, int a, int w, SystolicWork& s) {
    const bool fc = n.op == Op::Fc;
    const std::int64_t groups = fc ? 1 : n.groups;
    const std::int64_t cinPerGroup = fc ? n.in.elements() : n.in.c / groups;
    const std::int64_t window = fc ? cinPerGroup : cinPerGroup * n.kernelH * n.kernelW;
    s.unit = groups > 1 && cinPerGroup == 1 ? SystolicUnit::Depthwise : SystolicUnit::Array;
    s.count = groups;
    s.gemm = {std::int64_t(n.out.h) * n.out.w, window, n.out.c / groups};
    s.bytes.ifmap = bytesOf(fc ? n.in.elements() : cinPerGroup * n.in.h * n.in.w, a);
    s.bytes.filter = bytesOf(window * s.gemm.filters, w);
    s.bytes.ofmap = bytesOf(s.gemm.ofmapPx * s.gemm.filters, a);
    s.bytes.psum = psumBytesFor(w, a, window);
}

void depthwiseLayer(const Node& n, int a, int w, SystolicWork& s) {
    const std::int64_t window = std::int64_t(n.kernelH) * n.kernelW;
    s.unit = SystolicUnit::Depthwise;
    s.count = n.out.c;
    s.gemm = {std::int64_t(n.out.h) * n.out.w, window, 1};
    s.bytes.ifmap = bytesOf(std::int64_t(n.in.h) * n.in.w, a);
    s.bytes.filter = bytesOf(window, w);
    s.bytes.ofmap = bytesOf(s.gemm.ofmapPx, a);
    s.bytes.psum = psumBytesFor(w, a, window);
}

// FuSe: 1 x K along each line of the first channels, K x 1 down each column of the rest
// (half: C/2 and C - C/2 channels; full: C and C).
void fuseLayer(const Node& n, int a, int w, SystolicWork& s) {
    const bool full = n.variant == FuseVariant::Full;
    const std::int64_t first = full ? n.in.c : n.in.c / 2;
    const std::int64_t second = full ? n.in.c : n.in.c - first;
    const int k = n.kernelH;
    const std::int64_t px = std::int64_t(n.out.h) * n.out.w;
    s.unit = SystolicUnit::Fuse;
    s.count = 1;
    for (int b = 0; b < 2; ++b) {
        FuseBranch& br = s.branches[b];
        br.count = b == 0 ? first : second;
        br.gemm = {px, k, 1};
        const bool alongWidth = b == 0;
        br.rows.lines = br.count * (alongWidth ? n.out.h : n.out.w);
        br.rows.outputs = alongWidth ? n.out.w : n.out.h;
        br.rows.stride = n.stride;
        br.rows.kernel = k;
        br.ifmapBytes = bytesOf(std::int64_t(n.in.h) * n.in.w, a);
        br.ofmapBytes = bytesOf(px, a);
    }
    s.bytes.filter = bytesOf(std::int64_t(first + second) * k, w);
    s.bytes.psum = psumBytesFor(w, a, k);
}

void vectorLayer(const Graph& g, const Node& n, int a, SystolicWork& s) {
    s.unit = SystolicUnit::Vector;
    std::int64_t in = 0;
    for (int idx : n.inputs)
        in += idx < 0 ? g.input.elements() : g.nodes[idx].out.elements();
    s.bytes.ifmap = bytesOf(in, a);
    s.bytes.ofmap = bytesOf(n.out.elements(), a);
    s.outputs = n.out.elements();
    switch (n.op) {
    case Op::MaxPool:
    case Op::AvgPool:
        s.vectorOps = n.out.elements() * n.kernelH * n.kernelW;
        break;
    case Op::GlobalAvgPool:
    case Op::Add:
        s.vectorOps = in;
        break;
    default: // an activation or bn on its own
        s.vectorOps = n.out.elements();
    }
}

} // namespace

SystolicModel prepareSystolic(const Graph& graph, const Device& device) {
    SystolicModel m;
    m.device = device;
    std::int64_t maxWindow = 1;
    for (const Node& n : graph.nodes) {
        if (!opHasWeights(n.op))
            continue;
        m.weightBits = std::max(m.weightBits, n.weights.width);
        m.activationBits = std::max(m.activationBits, n.activations.width);
        maxWindow = std::max<std::int64_t>(maxWindow, n.op == Op::Fc ? n.in.elements()
                                                                     : std::int64_t(n.in.c) *
                                                                           n.kernelH * n.kernelW);
    }
    m.accumulatorBits = m.weightBits + m.activationBits + ceilLog2(maxWindow);
    std::vector<int> consumers(graph.nodes.size(), 0);
    for (const Node& n : graph.nodes)
        for (int idx : n.inputs)
            if (idx >= 0)
                ++consumers[idx];

    const int a = m.activationBits;
    const int w = m.weightBits;
    m.work.resize(graph.nodes.size());
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        SystolicWork& s = m.work[i];
        s.node = static_cast<int>(i);
        s.macs = n.macs;
        switch (n.op) {
        case Op::Conv:
        case Op::PwConv:
        case Op::Fc:
            gemmLayer(n, a, w, s);
            break;
        case Op::DwConv:
            depthwiseLayer(n, a, w, s);
            break;
        case Op::Fuse:
            fuseLayer(n, a, w, s);
            m.hasFuse = true;
            break;
        case Op::Relu:
        case Op::Relu6:
        case Op::Bn:
        case Op::LeakyRelu:
        case Op::Sigmoid:
        case Op::HardSigmoid:
        case Op::HardSwish: {
            const int src = n.inputs.front();
            const bool fused = src >= 0 && consumers[src] == 1 && producesOnArray(m.work[src].unit);
            if (fused)
                s.unit = SystolicUnit::Fused;
            else
                vectorLayer(graph, n, a, s);
            break;
        }
        case Op::MaxPool:
        case Op::AvgPool:
        case Op::GlobalAvgPool:
        case Op::Add:
        case Op::Mul:
            vectorLayer(graph, n, a, s);
            break;
        case Op::Concat:
        case Op::Reorg:
        case Op::Upsample:
        case Op::Shuffle:
        case Op::Slice:
            s.unit = SystolicUnit::Free;
            break;
        case Op::BboxHead:
            s.unit = SystolicUnit::Host;
            break;
        }
        if (s.unit != SystolicUnit::Fused && s.unit != SystolicUnit::Free &&
            s.unit != SystolicUnit::Host)
            m.costing.push_back(static_cast<int>(i));
        m.macs += n.macs;
    }
    return m;
}

} // namespace codesign
