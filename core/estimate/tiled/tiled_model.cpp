#include "tiled_model.h"

#include "../../util/int_math.h"
#include "channel_blocking.h"
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

namespace {

// The per-layer figures the estimate needs, for a layer on `unit` (after chains are fused).
TiledNode tiledNode(const Node& n, Unit unit) {
    TiledNode t;
    t.op = n.op;
    t.unit = unit;
    t.inC = n.in.c;
    t.inH = n.in.h;
    t.inW = n.in.w;
    t.outC = n.out.c;
    t.outH = n.out.h;
    t.outW = n.out.w;
    t.groups = unit == Unit::Dw ? 1 : n.groups;
    t.params = n.params;
    t.stride = n.stride;
    t.factor = n.factor;
    t.weightWords = n.params;
    t.weightBits = n.weights.width;
    t.activationBits = n.activations.width;
    t.weightContainer = containerBits(t.weightBits);
    t.activationContainer = containerBits(t.activationBits);
    if (n.op == Op::Fc) {
        t.fc = true;
        t.inC = static_cast<int>(std::min<std::int64_t>(n.in.elements(), 1 << 30));
        t.fcPlane = std::max(1, n.in.h * n.in.w);
    }
    if (unit == Unit::Pw) {
        t.kernelArea = t.fc ? 1 : n.kernelH * n.kernelW;
    } else if (unit == Unit::Dw) {
        t.window = dwWindow(n.op == Op::Fuse, n.kernelH, n.kernelW, n.padH, n.padW);
        // FuSe: one 1-D branch of K taps at a time; full runs both on every channel.
        t.kernelArea = n.op == Op::Fuse ? n.kernelH : n.kernelH * n.kernelW;
        t.branches = n.op == Op::Fuse && n.variant == FuseVariant::Full ? 2 : 1;
    }
    if (n.op == Op::MaxPool || n.op == Op::AvgPool)
        t.poolTaps = n.kernelH * n.kernelW;
    else if (n.op == Op::GlobalAvgPool)
        t.poolTaps = n.in.h * n.in.w;
    t.onChipOutput =
        unit == Unit::Pw || unit == Unit::Dw || unit == Unit::Pool || unit == Unit::Store;
    t.head = unit != Unit::Fused && unit != Unit::Host;
    return t;
}

// The units' widths: every unit multiplies and stores in the shared formats (export_plan).
void setUnitFormats(TiledModel& m, const TiledMapping& mapping) {
    const FixedType& act = mapping.storage.activations;
    const FixedType& wgt = mapping.storage.weights;
    m.actContainer = containerBits(act.width);
    m.wgtContainer = containerBits(wgt.width);
    m.pwWeightBits = m.dwWeightBits = wgt.width;
    m.pwActivationBits = m.dwActivationBits = m.maxActivationBits = act.width;
    m.pwAccBits = m.dwAccBits = std::min(64, mapping.accumulator.width);
    m.maxPost = mapping.maxPost;
    m.maxInputs = mapping.maxInputs;
    m.maxAddInputs = mapping.maxAddInputs;
    m.dwLanes = mapping.dwLanes > 0 ? mapping.dwLanes : m.dwLanes;
}

// How consumer `consumer` widens what it reads of `producer` (a node, or load -1 - k).
HaloEdge haloEdge(const Node& cn, int producer, int consumer) {
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
    return h;
}

TensorTransfer transfer(const Shape& s, int container) {
    return {s.c, s.h, s.w, container};
}

TiledGroup tiledGroup(const Graph& graph, const TiledMapping& mapping, const TiledModel& m,
                      int gi) {
    const ExecGroup& eg = graph.groups[gi];
    const MappedGroup& mg = mapping.groups[gi];
    TiledGroup tg;
    tg.name = eg.name;
    tg.first = eg.first;
    tg.last = eg.last;
    tg.refH = std::max(1, graph.nodes[eg.first].out.h);
    tg.refW = std::max(1, graph.nodes[eg.first].out.w);
    tg.hostOnly = mg.hostOnly;
    tg.singleTile = mg.singleTile;
    // Consumer -> producer edges inside the group, producers last to first, then the loads.
    for (int i = eg.last; i >= eg.first; --i)
        if (m.nodes[i].unit != Unit::Host)
            for (int consumer : mapping.consumers[i])
                if (graph.nodes[consumer].group == gi && m.nodes[consumer].unit != Unit::Host)
                    tg.haloEdges.push_back(haloEdge(graph.nodes[consumer], i, consumer));
    // Inputs from outside the group are read from DDR once per tile, with the halo of every
    // window of the group that reads them.
    for (int i = eg.first; i <= eg.last; ++i)
        if (m.nodes[i].unit != Unit::Host)
            for (int src : graph.nodes[i].inputs) {
                if (src >= 0 && graph.nodes[src].group == gi)
                    continue;
                const auto at = std::find(mg.sources.begin(), mg.sources.end(), src);
                tg.haloEdges.push_back(
                    haloEdge(graph.nodes[i], -1 - static_cast<int>(at - mg.sources.begin()), i));
            }
    for (int src : mg.sources)
        tg.loads.push_back(transfer(src < 0 ? graph.input : graph.nodes[src].out, m.actContainer));
    for (int i : mg.stored)
        tg.stores.push_back(transfer(graph.nodes[i].out, m.actContainer));
    return tg;
}

// What the exported code instantiates: unit call sites, loads, stores, groups, formats.
void countInstances(const Graph& graph, TiledModel& m) {
    std::vector<FixedType> formats;
    for (std::size_t i = 0; i < m.nodes.size(); ++i) {
        const TiledNode& t = m.nodes[i];
        if (t.unit == Unit::Host)
            continue;
        if (std::find(formats.begin(), formats.end(), graph.nodes[i].activations) == formats.end())
            formats.push_back(graph.nodes[i].activations);
        if (!t.head)
            continue;
        const int unit = t.unit == Unit::Pw     ? 0
                         : t.unit == Unit::Dw   ? 1
                         : t.unit == Unit::Pool ? 2
                                                : 3;
        ++m.unitCalls[unit];
    }
    m.formats = std::max(1, static_cast<int>(formats.size()));
    m.hasPool = m.unitCalls[2] > 0;
    m.hasRemap = m.unitCalls[3] > 0;
    for (TiledGroup& g : m.groups) {
        if (g.hostOnly)
            continue;
        ++m.fabricGroups;
        m.loadCalls += static_cast<int>(g.loads.size());
        m.storeCalls += static_cast<int>(g.stores.size());
        g.tensors = static_cast<int>(g.loads.size());
        for (int i = g.first; i <= g.last; ++i)
            g.tensors += m.nodes[i].head ? 1 : 0;
    }
}

} // namespace

TiledModel buildTiledModel(const Graph& graph, const Device& device) {
    const TiledMapping mapping = mapTiled(graph);
    TiledModel m;
    m.device = device;
    m.macs = graph.totalMacs;
    m.params = graph.totalParams;
    m.nodes.resize(graph.nodes.size());
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        const MappedNode& mn = mapping.nodes[i];
        TiledNode& t = m.nodes[i] = tiledNode(n, mn.unit);
        m.hasPw = m.hasPw || t.unit == Unit::Pw;
        m.hasDw = m.hasDw || t.unit == Unit::Dw;
        m.dwWindowH = std::max(m.dwWindowH, t.unit == Unit::Dw ? t.window.height : 1);
        m.dwWindowW = std::max(m.dwWindowW, t.unit == Unit::Dw ? t.window.width : 1);
        if (t.unit == Unit::Pool &&
            (n.op == Op::MaxPool || n.op == Op::AvgPool || n.op == Op::GlobalAvgPool))
            m.maxPoolWindow = std::max(m.maxPoolWindow, n.kernelH * n.kernelW);
        // A batch norm in the unit call's chain (or the call itself) loads its parameters.
        t.postBn = n.op == Op::Bn && mn.unit == Unit::Pool;
        for (int f : mn.fused)
            t.postBn = t.postBn || graph.nodes[f].op == Op::Bn;
    }
    setUnitFormats(m, mapping);
    m.groups.reserve(graph.groups.size());
    for (std::size_t gi = 0; gi < graph.groups.size(); ++gi)
        m.groups.push_back(tiledGroup(graph, mapping, m, static_cast<int>(gi)));
    for (std::size_t gi = 0; gi < m.groups.size(); ++gi)
        m.groups[gi].blockReduction = blockableReduction(graph, mapping, m, static_cast<int>(gi));
    countInstances(graph, m);
    return m;
}

} // namespace codesign
