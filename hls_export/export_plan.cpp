#include "export_plan.h"

#include "core/estimate/tiled/channel_blocking.h"
#include "core/estimate/tiled/tiled_model.h"
#include "core/reference/reference.h"
#include "core/util/int_math.h"

#include <algorithm>
#include <limits>
#include <map>

namespace codesign::hls {
namespace {

constexpr int kMaxBits = 64; // the bundled ap_fixed header keeps values in 64 bits

std::int64_t roundUp(std::int64_t v, std::int64_t m) {
    return (v + m - 1) / m * m;
}
Interval unite(Interval a, Interval b) {
    if (a.empty())
        return b;
    if (b.empty())
        return a;
    return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}

Interval clip(Interval a, int size) {
    Interval r{std::max(0, a.lo), std::min(size, a.hi)};
    return r.empty() ? Interval{} : r;
}

// The rows (axis 0) or columns (axis 1) of the input that output interval `out` reads.
Interval inputInterval(const Node& n, int axis, Interval out) {
    if (out.empty())
        return {};
    const int inSize = axis == 0 ? n.in.h : n.in.w;
    const int pad = axis == 0 ? n.padH : n.padW;
    const int kernel = axis == 0 ? n.kernelH : n.kernelW;
    switch (n.op) {
    case Op::Conv:
    case Op::DwConv:
    case Op::PwConv:
    case Op::MaxPool:
    case Op::AvgPool:
        return clip({out.lo * n.stride - pad, (out.hi - 1) * n.stride - pad + kernel}, inSize);
    case Op::Fuse: { // the Kx1 branch reads a window along this axis, the 1xK one a point
        const Interval window{out.lo * n.stride - pad, (out.hi - 1) * n.stride - pad + n.kernelH};
        const Interval point{out.lo * n.stride, (out.hi - 1) * n.stride + 1};
        return clip(unite(window, point), inSize);
    }
    case Op::Fc:
    case Op::GlobalAvgPool:
    case Op::BboxHead:
        return {0, inSize};
    case Op::Reorg:
        return clip({out.lo * n.factor, out.hi * n.factor}, inSize);
    case Op::Upsample:
        return clip({out.lo / n.factor, (out.hi - 1) / n.factor + 1}, inSize);
    default: // elementwise, add, concat
        return out;
    }
}

Diagnostic fail(const Node& n, const std::string& message) {
    return makeError(message, n.pos, n.name);
}

// Layers the exported units (resources/templates/hls/cs_units.h) cannot run yet: every
// one of them, named, in one message (the estimate still prices them, docs/estimator.md).
Status checkExportable(const Graph& g) {
    std::string list;
    SourcePos first;
    std::string firstName;
    int count = 0;
    for (const Node& n : g.nodes) {
        std::string what;
        switch (n.op) {
        case Op::LeakyRelu:
        case Op::Sigmoid:
        case Op::HardSigmoid:
        case Op::HardSwish:
        case Op::Mul:
        case Op::Shuffle:
        case Op::Slice:
            what = std::string(opName(n.op));
            break;
        default:
            if (!n.symmetricPadding())
                what = "uneven padding";
        }
        if (what.empty())
            continue;
        if (count++ == 0) {
            first = n.pos;
            firstName = n.name;
        }
        if (count <= 8)
            list += (list.empty() ? "" : ", ") + n.name + " (" + what + ")";
    }
    if (count == 0)
        return okStatus();
    if (count > 8)
        list += " and " + std::to_string(count - 8) + " more";
    return makeError("not exportable yet: the tiled accelerator's units have no " +
                         std::string(count == 1 ? "form" : "forms") + " for " + list +
                         "; estimate and explore the design, or change these layers to export it",
                     first, firstName);
}

// One execution group's node range.
struct GroupSpan {
    int index = 0;
    int first = 0;
    int last = 0;
};

class Planner {
public:
    Planner(const Graph& g, const TiledConfig& c, const Device& d)
        : g_(g), map_(mapTiled(g)), model_(buildTiledModel(g, d)) {
        plan_.config = c;
        plan_.device = d;
    }

    Result<HlsPlan> run() {
        if (g_.nodes.empty())
            return makeError("the network is empty");
        if (Status s = checkExportable(g_); !s.ok())
            return s.error();
        if (Status s = reference::checkReferenceLimits(g_); !s.ok())
            return s.error();
        if (Status s = assignUnits(); !s.ok())
            return s.error();
        if (Status s = chooseFormats(); !s.ok())
            return s.error();
        for (std::size_t gi = 0; gi < g_.groups.size(); ++gi)
            if (Status s = planGroup(static_cast<int>(gi)); !s.ok())
                return s.error();
        allocateDdr();
        layoutWeights();
        plan_.tileDepth = 1;
        for (const PlanGroup& pg : plan_.groups)
            plan_.tileDepth = std::max(plan_.tileDepth, pg.depth);
        if (plan_.fmWords > std::numeric_limits<int>::max() / 2 ||
            plan_.weightWords > std::numeric_limits<int>::max() / 2)
            return makeError("the feature maps or weights exceed the 32-bit word addresses of "
                             "the exported design");
        return std::move(plan_);
    }

private:
    int groupOf(int node) const { return node < 0 ? -1 : g_.nodes[node].group; }

    // Units and fused chains as the estimator maps them (tiled_mapping.h).
    Status assignUnits() {
        const TiledConfig& c = plan_.config;
        plan_.nodes.resize(g_.nodes.size());
        plan_.banks = std::max({c.pwIn, c.pwOut, c.dwParallel, 1});
        for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
            const MappedNode& m = map_.nodes[i];
            PlanNode& p = plan_.nodes[i];
            if (m.unit == Unit::Host && !map_.consumers[i].empty())
                return fail(g_.nodes[i], "bbox_head runs on the processor after the "
                                         "accelerator; no layer may take its output");
            p.unit = m.unit;
            p.chainEnd = m.chainEnd;
            p.fused = m.fused;
        }
        plan_.maxPost = map_.maxPost;
        plan_.maxInputs = map_.maxInputs;
        plan_.maxAddInputs = map_.maxAddInputs;
        plan_.dwLanes = std::max(1, map_.dwLanes);
        return okStatus();
    }

    Status chooseFormats() {
        std::int64_t maxWindow = 1;
        bool anyAverage = false;
        for (const Node& n : g_.nodes) {
            if (n.op == Op::AvgPool || n.op == Op::GlobalAvgPool) {
                anyAverage = true;
                maxWindow =
                    std::max(maxWindow, n.op == Op::AvgPool ? std::int64_t(n.kernelH) * n.kernelW
                                                            : std::int64_t(n.in.h) * n.in.w);
            }
            const FixedType& f = n.activations;
            if (std::find(plan_.formats.begin(), plan_.formats.end(), f) == plan_.formats.end())
                plan_.formats.push_back(f);
        }
        plan_.act = map_.storage.activations;
        plan_.wgt = map_.storage.weights;
        plan_.acc = map_.accumulator;
        const std::int64_t maxReduction = map_.maxReduction;
        const FixedType& a = plan_.act;
        const FixedType& w = plan_.wgt;
        const int iSum = a.integer + ceilLog2(maxWindow) + 1;
        plan_.poolSum = {iSum + (a.width - a.integer), iSum};
        plan_.poolAvg = {plan_.poolSum.width + reference::kReciprocalBits + 2, iSum + 2};
        if (a.width > kMaxBits || w.width > kMaxBits)
            return makeError("the layers' formats together need " + formatFixedType(a) +
                             " activations and " + formatFixedType(w) +
                             " weights in one storage format; the export supports up to " +
                             std::to_string(kMaxBits) + " bits");
        if (plan_.acc.width > kMaxBits)
            return makeError("the accelerator's accumulator would need " +
                             std::to_string(plan_.acc.width) + " bits (" + formatFixedType(w) +
                             " weights x " + formatFixedType(a) + " activations over " +
                             std::to_string(maxReduction) + " products); the export supports " +
                             std::to_string(kMaxBits) + ": use narrower or more uniform formats");
        if (anyAverage && plan_.poolAvg.width > kMaxBits)
            return makeError("average pooling over " + std::to_string(maxWindow) + " values of " +
                             formatFixedType(a) + " needs " + std::to_string(plan_.poolAvg.width) +
                             " bits; the export supports " + std::to_string(kMaxBits));
        plan_.actContainer = containerBits(a.width);
        plan_.wgtContainer = containerBits(w.width);
        for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
            const auto it =
                std::find(plan_.formats.begin(), plan_.formats.end(), g_.nodes[i].activations);
            plan_.nodes[i].formatId = static_cast<int>(it - plan_.formats.begin());
        }
        return okStatus();
    }

    // Own and needed intervals of every node of group `g` along one axis, per tile.
    struct AxisPlan {
        std::vector<std::vector<Interval>> own; // [tile][node - first]
        std::vector<std::vector<Interval>> need;
        std::vector<std::map<int, Interval>> external; // [tile] source -> interval
    };

    AxisPlan planAxis(const GroupSpan& eg, int axis, int tile, int tiles) {
        const Node& first = g_.nodes[eg.first];
        const int ref = axis == 0 ? first.out.h : first.out.w;
        const int count = eg.last - eg.first + 1;
        AxisPlan ap;
        ap.own.assign(tiles, std::vector<Interval>(count));
        ap.need.assign(tiles, std::vector<Interval>(count));
        ap.external.resize(tiles);
        for (int t = 0; t < tiles; ++t) {
            const std::int64_t refLo = std::int64_t(t) * tile;
            const std::int64_t refHi =
                t == tiles - 1 ? ref : std::min<std::int64_t>(ref, refLo + tile);
            for (int k = count - 1; k >= 0; --k) {
                const int j = eg.first + k;
                const Node& n = g_.nodes[j];
                if (plan_.nodes[j].unit == Unit::Host)
                    continue;
                const int size = axis == 0 ? n.out.h : n.out.w;
                // A disjoint partition of the node's output that covers all of it.
                const Interval own{static_cast<int>(refLo * size / ref),
                                   t == tiles - 1 ? size : static_cast<int>(refHi * size / ref)};
                Interval need = own;
                for (int consumer : map_.consumers[j])
                    if (groupOf(consumer) == eg.index && plan_.nodes[consumer].unit != Unit::Host)
                        need = unite(need, inputInterval(g_.nodes[consumer], axis,
                                                         ap.need[t][consumer - eg.first]));
                ap.own[t][k] = own;
                ap.need[t][k] = need;
            }
            for (int k = 0; k < count; ++k) {
                const int j = eg.first + k;
                const Node& n = g_.nodes[j];
                if (plan_.nodes[j].unit == Unit::Host)
                    continue;
                for (int src : n.inputs)
                    if (src < 0 || groupOf(src) != n.group) {
                        Interval& e = ap.external[t][src];
                        e = unite(e, inputInterval(n, axis, ap.need[t][k]));
                    }
            }
        }
        return ap;
    }

    // A blocked group runs its prefix heads and R, in graph order, per block: each must
    // read the one before (the first, the blocked input), as channel_blocking.cpp
    // decides; checked here so that the export cannot run another schedule silently.
    Status checkBlockedChain(const PlanGroup& pg) const {
        int previous = pg.tensors.front().node;
        for (int head : pg.computeOrder) {
            if (head > pg.reduction)
                break;
            const Node& n = g_.nodes[head];
            if (n.inputs.size() != 1 || n.inputs.front() != previous)
                return fail(n, "channel blocking of " + pg.name + ": " + n.name +
                                   " does not read the layer before it in the blocked chain");
            previous = plan_.nodes[head].chainEnd;
        }
        return okStatus();
    }

    Status planGroup(int gi) {
        const GroupSpan eg{gi, g_.groups[gi].first, g_.groups[gi].last};
        PlanGroup pg;
        pg.index = gi;
        pg.name = g_.groups[gi].name;
        pg.hostOnly = map_.groups[gi].hostOnly;
        pg.singleTile = map_.groups[gi].singleTile;
        const Node& first = g_.nodes[eg.first];
        const int refH = std::max(1, first.out.h);
        const int refW = std::max(1, first.out.w);
        const TileSize tile = plan_.config.tileFor(static_cast<std::size_t>(gi));
        pg.tileRows = pg.singleTile ? refH : std::clamp(tile.rows, 1, refH);
        pg.tileCols = pg.singleTile ? refW : std::clamp(tile.cols, 1, refW);
        pg.tilesDown = static_cast<int>(ceilDiv(refH, pg.tileRows));
        pg.tilesAcross = static_cast<int>(ceilDiv(refW, pg.tileCols));
        if (pg.hostOnly) {
            plan_.groups.push_back(std::move(pg));
            return okStatus();
        }
        const AxisPlan rows = planAxis(eg, 0, pg.tileRows, pg.tilesDown);
        const AxisPlan cols = planAxis(eg, 1, pg.tileCols, pg.tilesAcross);
        const ChannelBlocks blocking = channelBlocks(model_, model_.groups[gi], plan_.config);
        if (blocking.blocked()) {
            pg.reduction = blocking.reduction;
            pg.blockChannels = blocking.channels;
            pg.block = blocking.block;
            pg.inBlocks = blocking.inBlocks;
            pg.outBlocks = blocking.outBlocks;
        }

        // Inputs from DDR first, in order of first use.
        const std::vector<int>& sources = map_.groups[gi].sources;
        for (int src : sources) {
            TileTensor t;
            t.node = src;
            t.loaded = true;
            const Shape s = src < 0 ? g_.input : g_.nodes[src].out;
            t.channels = s.c;
            t.height = s.h;
            t.width = s.w;
            t.blocked = blocking.blocked() && pg.tensors.empty(); // the first load
            for (const auto& m : rows.external)
                t.needRows.push_back(m.at(src));
            for (const auto& m : cols.external)
                t.needCols.push_back(m.at(src));
            pg.tensors.push_back(std::move(t));
        }
        for (int j = eg.first; j <= eg.last; ++j) {
            PlanNode& p = plan_.nodes[j];
            if (p.unit == Unit::Host || p.unit == Unit::Fused)
                continue;
            const int k = j - eg.first;
            const int end = p.chainEnd;
            TileTensor t;
            t.node = end;
            t.blocked = blocking.prefix(j);
            t.channels = g_.nodes[end].out.c;
            t.height = g_.nodes[end].out.h;
            t.width = g_.nodes[end].out.w;
            for (int r = 0; r < pg.tilesDown; ++r) {
                t.needRows.push_back(rows.need[r][k]);
                t.ownRows.push_back(rows.own[r][end - eg.first]);
            }
            for (int c = 0; c < pg.tilesAcross; ++c) {
                t.needCols.push_back(cols.need[c][k]);
                t.ownCols.push_back(cols.own[c][end - eg.first]);
            }
            p.tensor = static_cast<int>(pg.tensors.size());
            plan_.nodes[end].tensor = p.tensor;
            pg.computeOrder.push_back(j);
            if (p.unit == Unit::Pw) {
                int most = 1;
                for (const Interval& r : t.needRows)
                    for (const Interval& c : t.needCols)
                        most = std::max(most, r.size() * c.size());
                plan_.psumDepth = std::max(plan_.psumDepth, g_.nodes[j].op == Op::Fc ? 1 : most);
            }
            if (p.unit == Unit::Dw) {
                const Node& n = g_.nodes[j];
                if (t.blocked && pg.block % plan_.config.dwParallel != 0)
                    plan_.dwStraddle = true;
                const DwWindow w = dwWindow(n.op == Op::Fuse, n.kernelH, n.kernelW, n.padH, n.padW);
                plan_.winH = std::max(plan_.winH, w.height);
                plan_.winW = std::max(plan_.winW, w.width);
                for (const Interval& c : t.needCols)
                    if (c.size() > 0)
                        plan_.lineCols =
                            std::max(plan_.lineCols, (c.size() - 1) * n.stride + w.width);
            }
            pg.tensors.push_back(std::move(t));
        }
        int depth = 0;
        for (TileTensor& t : pg.tensors) {
            for (const Interval& r : t.needRows)
                t.rows = std::max(t.rows, r.size());
            for (const Interval& c : t.needCols)
                t.cols = std::max(t.cols, c.size());
            t.rows = std::max(t.rows, 1);
            t.cols = std::max(t.cols, 1);
            t.base = depth;
            const int kept = t.blocked ? pg.block : t.channels; // a block's slot
            depth += static_cast<int>(ceilDiv(kept, plan_.banks)) * t.rows * t.cols;
        }
        pg.depth = depth;
        if (pg.blocked())
            if (Status s = checkBlockedChain(pg); !s.ok())
                return s;
        plan_.groups.push_back(std::move(pg));
        return okStatus();
    }

    void allocateDdr() {
        const int per = plan_.perWord(plan_.actContainer);
        auto words = [&](const Shape& s) {
            return ceilDiv(s.c, per) * s.h * s.w;
        };
        plan_.inputDdrBase = 0;
        std::int64_t next = words(g_.input);
        // The chain ends a later group, the processor or the result reads (tiled_mapping.h).
        for (const MappedGroup& mg : map_.groups)
            for (int i : mg.stored) {
                PlanNode& p = plan_.nodes[i];
                p.stored = true;
                p.ddrBase = next;
                next += words(g_.nodes[i].out);
            }
        plan_.fmWords = next;
    }

    void layoutWeights() {
        const TiledConfig& c = plan_.config;
        const int per = plan_.perWord(plan_.wgtContainer);
        plan_.pwBlockElems = static_cast<int>(roundUp(std::int64_t(c.pwIn) * c.pwOut, per));
        plan_.dwBlockElems =
            static_cast<int>(roundUp(std::int64_t(c.dwParallel) * plan_.dwLanes, per));
        std::int64_t at = 0;
        for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
            const Node& n = g_.nodes[i];
            PlanNode& p = plan_.nodes[i];
            if (n.params == 0)
                continue;
            std::int64_t weights = 0;
            if (n.op == Op::Bn) {
                weights = n.in.c;
            } else if (p.unit == Unit::Pw) {
                const bool fc = n.op == Op::Fc;
                const std::int64_t perGroupIn = fc ? n.in.elements() : n.in.c / n.groups;
                const std::int64_t perGroupOut = n.out.c / (fc ? 1 : n.groups);
                const std::int64_t taps = fc ? 1 : std::int64_t(n.kernelH) * n.kernelW;
                weights = (fc ? 1 : n.groups) * ceilDiv(perGroupOut, c.pwOut) *
                          ceilDiv(perGroupIn, c.pwIn) * taps * plan_.pwBlockElems;
            } else { // DW unit
                weights = ceilDiv(n.out.c, c.dwParallel) * plan_.dwBlockElems;
            }
            p.weightOffset = at;
            at = roundUp(at + weights, per);
            if (n.op == Op::Bn || n.bias) {
                p.biasOffset = at;
                at = roundUp(at + n.out.c, per);
            }
        }
        plan_.weightWords = std::max<std::int64_t>(1, at / per);
    }

    const Graph& g_;
    const TiledMapping map_;
    const TiledModel model_; // which groups channel blocking applies to, as the estimator
    HlsPlan plan_;
};

} // namespace

Result<HlsPlan> planAccelerator(const Graph& graph, const TiledConfig& config,
                                const Device& device) {
    TiledConfig c = config;
    c.pwIn = std::max(1, c.pwIn);
    c.pwOut = std::max(1, c.pwOut);
    c.dwParallel = std::max(1, c.dwParallel);
    c.tileRows = std::max(1, c.tileRows);
    c.tileCols = std::max(1, c.tileCols);
    return Planner(graph, c, device).run();
}

} // namespace codesign::hls
