#include "tiled_model.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace codesign {

int containerBits(int bits) {
    return std::max(8, static_cast<int>(std::bit_ceil(static_cast<unsigned>(std::max(bits, 1)))));
}

const char* unitName(Unit unit) {
    switch (unit) {
    case Unit::Pw:
        return "pw";
    case Unit::Dw:
        return "dw";
    case Unit::Pool:
        return "pool";
    case Unit::Fused:
        return "fused";
    case Unit::Store:
        return "store";
    case Unit::Host:
        return "host";
    }
    return "?";
}

namespace {

Unit unitFor(const Node& n) {
    switch (n.op) {
    case Op::Conv:
        // A conv with one input channel per group is a depthwise conv.
        return n.groups > 1 && n.groups == n.in.c && n.out.c == n.in.c ? Unit::Dw : Unit::Pw;
    case Op::PwConv:
    case Op::Fc:
        return Unit::Pw;
    case Op::DwConv:
    case Op::Fuse:
        return Unit::Dw;
    case Op::MaxPool:
    case Op::AvgPool:
    case Op::GlobalAvgPool:
    case Op::Add:
        return Unit::Pool;
    case Op::Relu:
    case Op::Relu6:
    case Op::Bn:
        return Unit::Fused;
    case Op::Concat:
    case Op::Reorg:
    case Op::Upsample:
        return Unit::Store;
    case Op::BboxHead:
        return Unit::Host;
    }
    return Unit::Fused;
}

int ceilLog2(std::int64_t v) {
    int bits = 0;
    while ((std::int64_t(1) << bits) < v)
        ++bits;
    return bits;
}

} // namespace

TiledModel buildTiledModel(const Graph& graph, const Device& device) {
    TiledModel m;
    m.device = device;
    m.macs = graph.totalMacs;
    m.params = graph.totalParams;
    m.nodes.resize(graph.nodes.size());
    std::int64_t maxPwReduction = 1;
    std::int64_t maxDwReduction = 1;
    bool firstPw = true;
    bool firstDw = true;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        TiledNode& t = m.nodes[i];
        t.op = n.op;
        t.unit = unitFor(n);
        t.inC = n.in.c;
        t.inH = n.in.h;
        t.inW = n.in.w;
        t.outC = n.out.c;
        t.outH = n.out.h;
        t.outW = n.out.w;
        t.groups = t.unit == Unit::Dw ? 1 : n.groups;
        t.params = n.params;
        t.weightWords = n.params;
        t.weightBits = n.weights.width;
        t.activationBits = n.activations.width;
        t.weightContainer = containerBits(t.weightBits);
        t.activationContainer = containerBits(t.activationBits);
        m.maxActivationBits = std::max(m.maxActivationBits, t.activationBits);
        if (n.op == Op::Fc) {
            t.fc = true;
            t.inC = static_cast<int>(std::min<std::int64_t>(n.in.elements(), 1 << 30));
        }
        if (t.unit == Unit::Pw) {
            t.kernelArea = t.fc ? 1 : n.kernelH * n.kernelW;
            maxPwReduction = std::max<std::int64_t>(maxPwReduction,
                                                    std::int64_t(t.inC / t.groups) * t.kernelArea);
            m.pwWeightBits = firstPw ? t.weightBits : std::max(m.pwWeightBits, t.weightBits);
            m.pwActivationBits =
                firstPw ? t.activationBits : std::max(m.pwActivationBits, t.activationBits);
            firstPw = false;
            m.hasPw = true;
        } else if (t.unit == Unit::Dw) {
            if (n.op == Op::Fuse) {
                t.kernelArea = n.kernelH; // one 1-D branch of K taps at a time
                t.branches = n.variant == FuseVariant::Full ? 2 : 1;
            } else {
                t.kernelArea = n.kernelH * n.kernelW;
            }
            m.dwLanes = firstDw ? t.kernelArea : std::max(m.dwLanes, t.kernelArea);
            maxDwReduction = std::max<std::int64_t>(maxDwReduction, t.kernelArea);
            m.dwWeightBits = firstDw ? t.weightBits : std::max(m.dwWeightBits, t.weightBits);
            m.dwActivationBits =
                firstDw ? t.activationBits : std::max(m.dwActivationBits, t.activationBits);
            firstDw = false;
            m.hasDw = true;
        } else if (t.unit == Unit::Pool && n.op != Op::Add) {
            m.maxPoolWindow = std::max(m.maxPoolWindow, n.kernelH * n.kernelW);
        }
        t.onChipOutput = t.unit == Unit::Pw || t.unit == Unit::Dw || t.unit == Unit::Pool ||
                         t.unit == Unit::Store;
    }
    // Full-precision accumulation: product bits plus the growth of the reduction.
    m.pwAccBits = std::min(48, m.pwWeightBits + m.pwActivationBits + ceilLog2(maxPwReduction));
    m.dwAccBits = std::min(48, m.dwWeightBits + m.dwActivationBits + ceilLog2(maxDwReduction));

    // Consumers of each node, to know what a group must write back to DDR.
    std::vector<bool> consumedOutside(graph.nodes.size(), false);
    for (std::size_t i = 0; i < graph.nodes.size(); ++i)
        for (int in : graph.nodes[i].inputs)
            if (in >= 0 && graph.nodes[in].group != graph.nodes[i].group)
                consumedOutside[in] = true;

    for (std::size_t g = 0; g < graph.groups.size(); ++g) {
        const ExecGroup& eg = graph.groups[g];
        TiledGroup tg;
        tg.first = eg.first;
        tg.last = eg.last;
        const Node& first = graph.nodes[eg.first];
        tg.refH = std::max(1, first.out.h);
        tg.refW = std::max(1, first.out.w);
        tg.hostOnly = true;
        for (int i = eg.first; i <= eg.last; ++i)
            if (m.nodes[i].unit != Unit::Host)
                tg.hostOnly = false;

        // Inputs that come from outside the group are read from DDR, with the halo the
        // windows of this group need (receptive-field growth, in input rows).
        for (int i = eg.first; i <= eg.last; ++i) {
            const Node& n = graph.nodes[i];
            for (std::size_t k = 0; k < n.inputs.size(); ++k) {
                const int src = n.inputs[k];
                if (src >= 0 && graph.nodes[src].group == static_cast<int>(g))
                    continue;
                const Shape s = src < 0 ? graph.input : graph.nodes[src].out;
                TensorTransfer t;
                t.channels = s.c;
                t.height = s.h;
                t.width = s.w;
                t.container = containerBits(src < 0 ? n.activations.width
                                                    : graph.nodes[src].activations.width);
                if (i == eg.first && k == 0 && m.nodes[i].unit != Unit::Host) {
                    int haloR = std::max(0, n.kernelH - n.stride);
                    int haloC = std::max(0, n.kernelW - n.stride);
                    if (n.op == Op::Fuse)
                        haloR = haloC = std::max(0, n.kernelH - 1);
                    // Windows further down the group widen the tile that must be loaded.
                    for (int j = i + 1; j <= eg.last; ++j) {
                        const Node& later = graph.nodes[j];
                        const Unit u = m.nodes[j].unit;
                        if ((u != Unit::Dw && u != Unit::Pw) || later.kernelH <= 1)
                            continue;
                        const double scaleR = double(s.h) / std::max(1, later.in.h);
                        const double scaleC = double(s.w) / std::max(1, later.in.w);
                        haloR += static_cast<int>(std::ceil((later.kernelH - 1) * scaleR));
                        haloC += static_cast<int>(std::ceil((later.kernelW - 1) * scaleC));
                    }
                    t.haloRows = haloR;
                    t.haloCols = haloC;
                }
                if (m.nodes[i].unit != Unit::Host)
                    tg.loads.push_back(t);
            }
            const bool last = i == eg.last;
            if ((last || consumedOutside[i]) && m.nodes[i].unit != Unit::Host) {
                TensorTransfer t;
                t.channels = n.out.c;
                t.height = n.out.h;
                t.width = n.out.w;
                t.container = containerBits(n.activations.width);
                tg.stores.push_back(t);
            }
        }
        m.groups.push_back(std::move(tg));
    }
    return m;
}

} // namespace codesign
