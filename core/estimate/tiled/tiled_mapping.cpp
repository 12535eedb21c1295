#include "tiled_mapping.h"

#include "../../util/int_math.h"

#include <algorithm>

namespace codesign {
namespace {

bool isElementwise(Op op) {
    return opIsElementwise(op);
}

// The products one output value sums: a window over the input channels of a group.
std::int64_t reductionOf(const Node& n) {
    if (!opHasWeights(n.op))
        return 1;
    switch (n.op) {
    case Op::Fc:
        return n.in.elements();
    case Op::Fuse:
        return n.kernelH; // one 1-D branch of K taps
    case Op::DwConv:
        return std::int64_t(n.kernelH) * n.kernelW;
    default:
        return std::int64_t(n.in.c / std::max(1, n.groups)) * n.kernelH * n.kernelW;
    }
}

// relu/relu6/bn fold into the output stage of the layer before them when it is in the same
// group and feeds nothing else; otherwise they are a pool-unit pass of their own.
void fuseChains(const Graph& g, TiledMapping& m) {
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        MappedNode& p = m.nodes[i];
        if (!isElementwise(n.op))
            continue;
        const int prev = static_cast<int>(i) - 1;
        const bool fuses = prev >= 0 && n.inputs.front() == prev &&
                           g.nodes[prev].group == n.group &&
                           g.groups[n.group].first < static_cast<int>(i) &&
                           m.consumers[prev].size() == 1 && m.nodes[prev].unit != Unit::Host;
        if (!fuses) {
            p.unit = Unit::Pool;
            continue;
        }
        p.unit = Unit::Fused;
        int head = prev;
        while (m.nodes[head].unit == Unit::Fused)
            --head;
        m.nodes[head].fused.push_back(static_cast<int>(i));
        m.nodes[head].chainEnd = static_cast<int>(i);
    }
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const MappedNode& p = m.nodes[i];
        const int own = p.unit == Unit::Pool && isElementwise(g.nodes[i].op) ? 1 : 0;
        m.maxPost = std::max(m.maxPost, own + static_cast<int>(p.fused.size()));
    }
}

// One accumulator type, exact for every sum of the network: integer bits for the largest
// reduction (and the widest add), all fractional bits. A bias has the output's integer
// bits (reference::biasFormat): the products' term holds it unless the weights have
// negative integer bits, hence a.integer + 2.
FixedType accumulatorFor(const StorageFormats& s, std::int64_t maxReduction, int maxInputs) {
    const FixedType& a = s.activations;
    const FixedType& w = s.weights;
    const int fraction = (w.width - w.integer) + (a.width - a.integer);
    const int integer = std::max({w.integer + a.integer + ceilLog2(maxReduction + 1) + 1,
                                  a.integer + ceilLog2(maxInputs) + 1, a.integer + 2, 5});
    return {fraction + integer, integer};
}

MappedGroup mapGroup(const Graph& g, const TiledMapping& m, int gi) {
    const ExecGroup& eg = g.groups[gi];
    const int last = static_cast<int>(g.nodes.size()) - 1;
    MappedGroup mg;
    mg.hostOnly = true;
    for (int i = eg.first; i <= eg.last; ++i) {
        if (m.nodes[i].unit == Unit::Host)
            continue;
        mg.hostOnly = false;
        if (i > eg.first && (g.nodes[i].op == Op::Fc || g.nodes[i].op == Op::GlobalAvgPool))
            mg.singleTile = true;
        for (int src : g.nodes[i].inputs)
            if ((src < 0 || g.nodes[src].group != gi) &&
                std::find(mg.sources.begin(), mg.sources.end(), src) == mg.sources.end())
                mg.sources.push_back(src);
        if (m.nodes[i].chainEnd != i)
            continue; // a head whose chain ends later
        bool stored = i == last || i == eg.last;
        for (int consumer : m.consumers[i])
            stored =
                stored || g.nodes[consumer].group != gi || m.nodes[consumer].unit == Unit::Host;
        if (stored)
            mg.stored.push_back(i);
    }
    return mg;
}

} // namespace

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
    case Op::Mul:
        return Unit::Pool;
    case Op::Relu:
    case Op::Relu6:
    case Op::Bn:
    case Op::LeakyRelu:
    case Op::Sigmoid:
    case Op::HardSigmoid:
    case Op::HardSwish:
        return Unit::Fused;
    case Op::Concat:
    case Op::Reorg:
    case Op::Upsample:
    case Op::Shuffle:
    case Op::Slice:
        return Unit::Store;
    case Op::BboxHead:
        return Unit::Host;
    }
    return Unit::Fused;
}

TiledMapping mapTiled(const Graph& g) {
    TiledMapping m;
    m.nodes.resize(g.nodes.size());
    m.consumers.resize(g.nodes.size());
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        m.nodes[i].unit = unitFor(n);
        m.nodes[i].chainEnd = static_cast<int>(i);
        for (int in : n.inputs)
            if (in >= 0)
                m.consumers[in].push_back(static_cast<int>(i));
        if (opIsMultiInput(n.op))
            m.maxInputs = std::max(m.maxInputs, static_cast<int>(n.inputs.size()));
        if (n.op == Op::Add)
            m.maxAddInputs = std::max(m.maxAddInputs, static_cast<int>(n.inputs.size()));
        m.maxReduction = std::max(m.maxReduction, reductionOf(n));
        if (m.nodes[i].unit == Unit::Dw)
            m.dwLanes = std::max(m.dwLanes, n.op == Op::Fuse ? n.kernelH : n.kernelH * n.kernelW);
    }
    fuseChains(g, m);
    m.storage = storageFormats(g);
    m.accumulator = accumulatorFor(m.storage, m.maxReduction, m.maxAddInputs);
    m.groups.reserve(g.groups.size());
    for (std::size_t gi = 0; gi < g.groups.size(); ++gi)
        m.groups.push_back(mapGroup(g, m, static_cast<int>(gi)));
    return m;
}

} // namespace codesign
