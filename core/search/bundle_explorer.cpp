#include "bundle_explorer.h"

#include "../estimate/design_estimate.h"
#include "../model/graph.h"
#include "../qor/design_hash.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace codesign {
namespace {

struct ComputeChoice {
    Op op;
    int kernel;
    const char* label;
};

constexpr ComputeChoice kPool[] = {
    {Op::DwConv, 3, "dwconv3"},
    {Op::PwConv, 1, "pwconv"},
    {Op::Conv, 3, "conv3"},
    {Op::Fuse, 3, "fuse3"},
};

LayerSpec layer(Op op, int kernel = 0) {
    LayerSpec l;
    l.op = op;
    l.kernelH = kernel;
    l.kernelW = kernel;
    return l;
}

} // namespace

std::vector<BundleDef> enumerateBundles(const BundlePoolOptions& o) {
    std::vector<BundleDef> out;
    std::vector<int> digits;
    for (int length = 1; length <= o.maxLength; ++length) {
        digits.assign(length, 0);
        const int combinations = static_cast<int>(std::pow(4, length));
        for (int code = 0; code < combinations; ++code) {
            int rest = code;
            bool setsWidth = false;
            for (int i = 0; i < length; ++i) {
                digits[i] = rest % 4;
                rest /= 4;
                const Op op = kPool[digits[i]].op;
                setsWidth = setsWidth || op == Op::PwConv || op == Op::Conv;
            }
            if (!setsWidth)
                continue;
            for (bool bn : {false, true})
                for (Op act : {Op::Relu, Op::Relu6})
                    for (bool pool : {true, false}) {
                        BundleDef b;
                        for (int i = 0; i < length; ++i) {
                            const ComputeChoice& c = kPool[digits[i]];
                            b.layers.push_back(layer(c.op, c.kernel));
                            b.name += (i ? "-" : "") + std::string(c.label);
                            if (bn)
                                b.layers.push_back(layer(Op::Bn));
                            b.layers.push_back(layer(act));
                        }
                        b.name += bn ? "-bn" : "";
                        b.name += act == Op::Relu ? "-relu" : "-relu6";
                        if (pool) {
                            LayerSpec p = layer(Op::MaxPool, 2);
                            b.layers.push_back(p);
                            b.name += "-pool";
                        }
                        out.push_back(std::move(b));
                    }
        }
    }
    return out;
}

namespace {

// Where a value of the base network's tail comes from in the prototype: on the path from
// the body's output (then `id` names it in the prototype), or off it (a branch of the body).
struct TailValue {
    bool onPath = false;
    std::string id;
};

// The base network's tail as the prototype's, and its precision overrides.
//
// The tail is the single layers after the base network's last bundle instance. The
// prototype replaces everything before them (its body), so what the tail reads of the body
// besides its output cannot exist there: a layer on such a branch is left out, an add or a
// concat keeps the operands on the path from the body's output (and is left out when one
// remains: it is then the identity). The layers keep their names in the base network, so
// that the precision overrides of the tail apply (the others name layers the prototype
// does not have) and a message names the layer as the user knows it. Every input is wired
// by id: the body's output is `bodyId`.
class PrototypeTail {
public:
    PrototypeTail(const Project& base, std::string bodyId) : base_(base) {
        std::size_t start = base.network.size();
        while (start > 0 && !base.network[start - 1].isBundle)
            --start;
        for (std::size_t e = 0; e < start; ++e)
            if (!base.network[e].id.empty())
                values_[base.network[e].id] = {};
        previous_ = {true, bodyId};
        if (start > 0 && !base.network[start - 1].id.empty())
            values_[base.network[start - 1].id] = previous_;
        for (std::size_t e = start; e < base.network.size(); ++e)
            add(base.network[e], e);
    }

    const std::vector<NetworkEntry>& entries() const { return entries_; }

    // The base's overrides of the layers the prototype keeps.
    std::map<std::string, LayerPrecision> overrides() const {
        std::map<std::string, LayerPrecision> kept;
        for (const NetworkEntry& e : entries_)
            if (auto it = base_.precision.layers.find(e.layer.name);
                it != base_.precision.layers.end())
                kept.insert(*it);
        return kept;
    }

private:
    TailValue valueOf(const std::string& id) const {
        auto it = values_.find(id);
        return it == values_.end() ? TailValue{} : it->second;
    }

    void add(const NetworkEntry& entry, std::size_t index) {
        LayerSpec l = entry.layer;
        if (l.name.empty())
            l.name = "L" + std::to_string(index + 1) + "." + std::string(opName(l.op));
        std::vector<TailValue> operands{l.from.empty() ? previous_ : valueOf(l.from)};
        if (opIsMultiInput(l.op)) {
            for (const std::string& id : l.inputs)
                operands.push_back(valueOf(id));
            std::erase_if(operands, [](const TailValue& v) { return !v.onPath; });
        }
        TailValue out; // off the path unless the layer stays
        if (opIsMultiInput(l.op) && operands.size() == 1) {
            out = operands.front(); // the identity: left out
        } else if (!operands.empty() && operands.front().onPath) {
            out = {true, l.id.empty() ? "prototype.t" + std::to_string(index) : l.id};
            l.from = operands.front().id;
            if (opIsMultiInput(l.op)) {
                l.inputs.clear();
                for (std::size_t k = 1; k < operands.size(); ++k)
                    l.inputs.push_back(operands[k].id);
            }
            l.id = out.id;
            NetworkEntry kept = entry;
            kept.layer = std::move(l);
            entries_.push_back(std::move(kept));
        }
        if (!entry.layer.id.empty())
            values_[entry.layer.id] = out;
        previous_ = out;
    }

    const Project& base_;
    std::map<std::string, TailValue> values_; // base id -> its value in the prototype
    TailValue previous_;
    std::vector<NetworkEntry> entries_;
};

} // namespace

Project prototypeProject(const Project& base, const BundleDef& bundle, const BundlePoolOptions& o) {
    const std::string bodyId = "prototype.body";
    const PrototypeTail tail(base, bodyId);
    Project p = base;
    p.name = base.name + "-prototype-" + bundle.name;
    p.bundles = {bundle};
    p.search = {};
    p.accelerator.autoSize = true;
    p.precision.layers = tail.overrides();
    std::erase_if(p.precision.layerPos,
                  [&](const auto& kv) { return !p.precision.layers.count(kv.first); });
    const bool pools = std::any_of(bundle.layers.begin(), bundle.layers.end(),
                                   [](const LayerSpec& l) { return l.op == Op::MaxPool; });
    p.network.clear();
    int channels = o.prototypeChannels;
    for (int r = 0; r < o.prototypeRepeats; ++r) {
        NetworkEntry e;
        e.isBundle = true;
        e.bundle = bundle.name;
        e.channels = channels;
        if (r + 1 == o.prototypeRepeats)
            e.id = bodyId;
        p.network.push_back(e);
        if (!pools && r + 1 < o.prototypeRepeats) {
            NetworkEntry down;
            down.layer = layer(Op::MaxPool, 2);
            // Named apart from the tail's layers, which keep their names in the base.
            down.layer.name = "prototype.pool" + std::to_string(r + 1);
            p.network.push_back(down);
        }
        channels *= 2;
    }
    for (const NetworkEntry& e : tail.entries())
        p.network.push_back(e);
    return p;
}

Result<std::vector<BundleCandidate>> exploreBundles(const Project& base, const Device& device,
                                                    QorEvaluator& qor, const BundlePoolOptions& o,
                                                    RunControl& control,
                                                    const BundleProgress& progress) {
    if (o.maxLength < 1 || o.prototypeRepeats < 1 || o.groups < 1 || o.topK < 1)
        return makeError("bundle exploration needs a length, repeats, groups and top-k of at "
                         "least 1");
    const std::vector<BundleDef> bundles = enumerateBundles(o);
    std::vector<BundleCandidate> candidates;
    std::vector<Project> projects;
    std::vector<Graph> graphs;
    // Why prototypes do not build, most frequent first in the message when none does.
    std::map<std::string, std::pair<int, Diagnostic>> failures;
    // Step 1: QoS of every bundle, through its prototype.
    for (std::size_t i = 0; i < bundles.size(); ++i) {
        if (control.stopRequested())
            return makeError("cancelled");
        Project p = prototypeProject(base, bundles[i], o);
        Result<Graph> g = buildGraph(p);
        if (!g.ok()) { // e.g. too many poolings for a small input: not a candidate here
            auto [it, added] = failures.try_emplace(g.error().format(), 0, g.error());
            if (added)
                it->second.second.message +=
                    " (in the prototype of bundle '" + bundles[i].name + "')";
            ++it->second.first;
            continue;
        }
        BundleCandidate c;
        c.bundle = bundles[i];
        Result<Estimate> e =
            estimateDesign(*g, device, p.accelerator, {SizingEffort::Quick, false, 0});
        if (!e.ok())
            continue;
        c.fps = e->fps;
        c.latencyMs = e->latencyMs;
        c.powerW = e->powerW;
        c.used = e->used;
        c.feasible = e->feasible;
        candidates.push_back(std::move(c));
        projects.push_back(std::move(p));
        graphs.push_back(std::move(g).value());
        if (progress)
            progress(static_cast<int>(i + 1), static_cast<int>(bundles.size()) * 2);
    }
    if (candidates.empty()) {
        Diagnostic why = makeError("no bundle of the pool gives a valid prototype");
        int most = 0;
        for (const auto& [text, counted] : failures)
            if (counted.first > most) {
                most = counted.first;
                why = counted.second;
                why.message = "no bundle of the pool gives a valid prototype: " + why.message;
            }
        return why;
    }
    // Step 2: QoR of the prototypes, in batches the evaluator likes.
    const std::size_t batch = static_cast<std::size_t>(std::max(1, qor.preferredBatch()));
    for (std::size_t start = 0; start < candidates.size(); start += batch) {
        std::vector<QorQuery> queries;
        std::vector<std::string> hashes;
        for (std::size_t i = start; i < std::min(candidates.size(), start + batch); ++i)
            hashes.push_back(designHash(graphs[i]));
        for (std::size_t i = start, k = 0; i < std::min(candidates.size(), start + batch); ++i, ++k)
            queries.push_back({hashes[k], &projects[i], &graphs[i]});
        const std::vector<QorValue> values = qor.evaluate(queries, control);
        if (control.stopRequested())
            return makeError("cancelled");
        for (std::size_t k = 0; k < values.size(); ++k)
            candidates[start + k].qor = values[k];
        if (progress)
            progress(static_cast<int>(bundles.size() + start + values.size()),
                     static_cast<int>(bundles.size()) * 2);
    }
    // Groups of similar QoS: equal-count bands of prototype latency among feasible ones;
    // the top-k by QoR in each band are selected.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < candidates.size(); ++i)
        if (candidates[i].feasible && candidates[i].qor.ok())
            order.push_back(i);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return candidates[a].latencyMs < candidates[b].latencyMs;
    });
    const std::size_t groups =
        std::min<std::size_t>(static_cast<std::size_t>(o.groups), order.size());
    for (std::size_t g = 0; g < groups; ++g) {
        const std::size_t from = g * order.size() / groups;
        const std::size_t to = (g + 1) * order.size() / groups;
        std::vector<std::size_t> band(order.begin() + static_cast<std::ptrdiff_t>(from),
                                      order.begin() + static_cast<std::ptrdiff_t>(to));
        std::stable_sort(band.begin(), band.end(), [&](std::size_t a, std::size_t b) {
            return candidates[a].qor.qor > candidates[b].qor.qor;
        });
        for (std::size_t k = 0; k < band.size(); ++k) {
            candidates[band[k]].group = static_cast<int>(g);
            candidates[band[k]].selected = k < static_cast<std::size_t>(o.topK);
        }
    }
    return candidates;
}

} // namespace codesign
