#include "tiled_model.h"

#include "../../util/int_math.h"
#include "storage_formats.h"

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

void groupAxisHalos(const TiledModel& m, const TiledGroup& g, bool rows, int ref, bool worst,
                    HaloExtent* ext) {
    const std::size_t count = static_cast<std::size_t>(g.last - g.first + 1);
    std::fill_n(ext, count + g.loads.size(), HaloExtent{});
    const int refSize = rows ? g.refH : g.refW;
    for (const HaloEdge& h : g.haloEdges) {
        const TiledNode& cn = m.nodes[h.consumer];
        const bool loaded = h.producer < 0;
        const std::size_t to = loaded ? count + static_cast<std::size_t>(-1 - h.producer)
                                      : static_cast<std::size_t>(h.producer - g.first);
        const std::size_t from = static_cast<std::size_t>(h.consumer - g.first);
        const TiledNode* pn = loaded ? nullptr : &m.nodes[h.producer];
        const TensorTransfer* load = loaded ? &g.loads[to - count] : nullptr;
        const int size =
            rows ? (loaded ? load->height : pn->outH) : (loaded ? load->width : pn->outW);
        const int consumerSize = rows ? cn.outH : cn.outW;
        // The own partitions of producer and consumer round independently: unless the
        // consumer's tile edges fall on whole pixels, a strided consumer's tile starts up
        // to s - 1 (on average (s - 1) / 2) rows before the producer's. Loads have no
        // own partition.
        const bool strided = !loaded && h.scale > 1 && h.kind != HaloKind::Upsample;
        const double off = worst ? h.scale - 1 : (h.scale - 1) / 2.0;
        const double misalign = strided && (std::int64_t(ref) * consumerSize % refSize != 0 ||
                                            size != h.scale * consumerSize)
                                    ? off
                                    : 0;
        HaloExtent e = widenHalo(h, rows, ext[from], misalign, size);
        if (worst) // the early start widens the region; the late end does not shrink it
            e.hi = std::max(e.hi, widenHalo(h, rows, ext[from], 0, size).hi);
        ext[to] = widest(ext[to], e);
    }
}

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
        t.stride = n.stride;
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
            t.window = dwWindow(n.op == Op::Fuse, n.kernelH, n.kernelW, n.padH, n.padW);
            if (n.op == Op::Fuse) {
                t.kernelArea = n.kernelH; // one 1-D branch of K taps at a time
                t.branches = n.variant == FuseVariant::Full ? 2 : 1;
            } else {
                t.kernelArea = n.kernelH * n.kernelW;
            }
            m.dwLanes = firstDw ? t.kernelArea : std::max(m.dwLanes, t.kernelArea);
            m.dwWindowH = std::max(m.dwWindowH, t.window.height);
            m.dwWindowW = std::max(m.dwWindowW, t.window.width);
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
    // Consumers of each node, to know what a group must write back to DDR.
    std::vector<std::vector<int>> consumers(graph.nodes.size());
    for (std::size_t i = 0; i < graph.nodes.size(); ++i)
        for (int in : graph.nodes[i].inputs)
            if (in >= 0)
                consumers[in].push_back(static_cast<int>(i));

    // relu/relu6/bn fold into the previous layer's output stage when it is in the same
    // group and feeds nothing else; otherwise they are a pool-unit pass (export_plan.cpp).
    std::vector<int> chainLength(graph.nodes.size(), 0);
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        TiledNode& t = m.nodes[i];
        if (t.unit != Unit::Fused)
            continue;
        const int prev = static_cast<int>(i) - 1;
        const bool fuses = prev >= 0 && n.inputs.front() == prev &&
                           graph.nodes[prev].group == n.group &&
                           graph.groups[n.group].first < static_cast<int>(i) &&
                           consumers[prev].size() == 1 && m.nodes[prev].unit != Unit::Host;
        if (fuses) {
            int head = prev;
            while (m.nodes[head].unit == Unit::Fused)
                --head;
            m.maxPost = std::max(m.maxPost, ++chainLength[head]);
            m.nodes[head].postBn = m.nodes[head].postBn || n.op == Op::Bn;
        } else {
            t.unit = Unit::Pool;
            t.onChipOutput = true;
            chainLength[i] = 1;
            t.postBn = n.op == Op::Bn;
        }
    }
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        TiledNode& t = m.nodes[i];
        m.maxPost = std::max(m.maxPost, chainLength[i]);
        t.head = t.unit != Unit::Fused && t.unit != Unit::Host;
        if (n.op == Op::Add || n.op == Op::Concat)
            m.maxInputs = std::max(m.maxInputs, static_cast<int>(n.inputs.size()));
        if (n.op == Op::MaxPool || n.op == Op::AvgPool)
            t.poolTaps = n.kernelH * n.kernelW;
        else if (n.op == Op::GlobalAvgPool)
            t.poolTaps = n.in.h * n.in.w;
        if (t.fc)
            t.fcPlane = std::max(1, n.in.h * n.in.w);
    }

    // One storage format for all activations, one for all weights (export_plan.cpp).
    const StorageFormats storage = storageFormats(graph);
    const FixedType act = storage.activations;
    const FixedType wgt = storage.weights;
    m.actContainer = containerBits(act.width);
    m.wgtContainer = containerBits(wgt.width);
    // The units multiply and store in those formats.
    m.pwWeightBits = m.dwWeightBits = wgt.width;
    m.pwActivationBits = m.dwActivationBits = m.maxActivationBits = act.width;

    // One accumulator type, exact for every sum of the network (export_plan.cpp,
    // chooseFormats): integer bits for the largest reduction, all fractional bits.
    const std::int64_t maxReduction = std::max(maxPwReduction, maxDwReduction);
    const int accInteger = std::max({wgt.integer + act.integer + ceilLog2(maxReduction + 1) + 1,
                                     act.integer + ceilLog2(m.maxInputs) + 1, 5});
    m.pwAccBits = m.dwAccBits =
        std::min(64, (wgt.width - wgt.integer) + (act.width - act.integer) + accInteger);

    for (std::size_t g = 0; g < graph.groups.size(); ++g) {
        const ExecGroup& eg = graph.groups[g];
        TiledGroup tg;
        tg.name = eg.name;
        tg.first = eg.first;
        tg.last = eg.last;
        const Node& first = graph.nodes[eg.first];
        tg.refH = std::max(1, first.out.h);
        tg.refW = std::max(1, first.out.w);
        tg.hostOnly = true;
        for (int i = eg.first; i <= eg.last; ++i) {
            if (m.nodes[i].unit != Unit::Host)
                tg.hostOnly = false;
            if (i > eg.first &&
                (graph.nodes[i].op == Op::Fc || graph.nodes[i].op == Op::GlobalAvgPool))
                tg.singleTile = true;
        }

        auto edge = [&](int producer, int consumer) {
            const Node& cn = graph.nodes[consumer];
            HaloEdge h;
            h.producer = producer;
            h.consumer = consumer;
            h.scale = cn.stride;
            h.kR = cn.kernelH;
            h.kC = cn.kernelW;
            h.padR = cn.padH;
            h.padC = cn.padW;
            switch (cn.op) {
            case Op::Conv:
            case Op::DwConv:
            case Op::PwConv:
            case Op::MaxPool:
            case Op::AvgPool:
                h.kind = HaloKind::Window;
                break;
            case Op::Fuse:
                h.kind = HaloKind::Fuse;
                break;
            case Op::Fc:
            case Op::GlobalAvgPool:
            case Op::BboxHead:
                h.kind = HaloKind::Whole;
                break;
            case Op::Reorg:
                h.kind = HaloKind::Reorg;
                h.scale = cn.factor;
                break;
            case Op::Upsample:
                h.kind = HaloKind::Upsample;
                h.scale = cn.factor;
                break;
            default:
                h.kind = HaloKind::Same;
                h.scale = 1;
                break;
            }
            tg.haloEdges.push_back(h);
        };
        for (int i = eg.last; i >= eg.first; --i)
            if (m.nodes[i].unit != Unit::Host)
                for (int consumer : consumers[i])
                    if (graph.nodes[consumer].group == static_cast<int>(g) &&
                        m.nodes[consumer].unit != Unit::Host)
                        edge(i, consumer);

        // Inputs from outside the group are read from DDR once per tile, with the halo of
        // every window of the group that reads them.
        std::vector<int> sources;
        for (int i = eg.first; i <= eg.last; ++i)
            if (m.nodes[i].unit != Unit::Host)
                for (int src : graph.nodes[i].inputs) {
                    if (src >= 0 && graph.nodes[src].group == static_cast<int>(g))
                        continue;
                    auto at = std::find(sources.begin(), sources.end(), src);
                    if (at == sources.end())
                        at = sources.insert(sources.end(), src);
                    edge(-1 - static_cast<int>(at - sources.begin()), i);
                }
        for (int src : sources) {
            const Shape s = src < 0 ? graph.input : graph.nodes[src].out;
            TensorTransfer t;
            t.channels = s.c;
            t.height = s.h;
            t.width = s.w;
            t.container = m.actContainer;
            tg.loads.push_back(t);
        }

        // Stores: every chain end the result, a later group or the processor reads.
        const int lastNode = static_cast<int>(graph.nodes.size()) - 1;
        for (int i = eg.first; i <= eg.last; ++i) {
            const Node& n = graph.nodes[i];
            const bool chainEnd = m.nodes[i].unit != Unit::Host &&
                                  !(i < lastNode && m.nodes[i + 1].unit == Unit::Fused);
            if (!chainEnd)
                continue;
            bool stored = i == lastNode || i == eg.last;
            for (int consumer : consumers[i])
                if (graph.nodes[consumer].group != static_cast<int>(g) ||
                    m.nodes[consumer].unit == Unit::Host)
                    stored = true;
            if (!stored)
                continue;
            TensorTransfer t;
            t.channels = n.out.c;
            t.height = n.out.h;
            t.width = n.out.w;
            t.container = m.actContainer;
            tg.stores.push_back(t);
        }
        m.groups.push_back(std::move(tg));
    }
    return m;
}

} // namespace codesign
