#include "bundle_explorer.h"

#include "../estimate/auto_sizer.h"
#include "../estimate/tiled_estimator.h"
#include "../estimate/tiled_model.h"
#include "../model/graph.h"
#include "../qor/design_hash.h"

#include <algorithm>
#include <cmath>

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

Project prototypeProject(const Project& base, const BundleDef& bundle, const BundlePoolOptions& o) {
    Project p = base;
    p.name = base.name + "-prototype-" + bundle.name;
    p.bundles = {bundle};
    p.search = {};
    p.accelerator.autoSize = true;
    // The tail: single layers after the base network's last bundle instance.
    std::vector<NetworkEntry> tail;
    for (auto it = base.network.rbegin(); it != base.network.rend() && !it->isBundle; ++it)
        tail.insert(tail.begin(), *it);
    const bool pools = std::any_of(bundle.layers.begin(), bundle.layers.end(),
                                   [](const LayerSpec& l) { return l.op == Op::MaxPool; });
    p.network.clear();
    int channels = o.prototypeChannels;
    for (int r = 0; r < o.prototypeRepeats; ++r) {
        NetworkEntry e;
        e.isBundle = true;
        e.bundle = bundle.name;
        e.channels = channels;
        p.network.push_back(e);
        if (!pools && r + 1 < o.prototypeRepeats) {
            NetworkEntry down;
            down.layer = layer(Op::MaxPool, 2);
            p.network.push_back(down);
        }
        channels *= 2;
    }
    for (NetworkEntry& e : tail) {
        e.layer.from.clear(); // ids of the base network do not exist here
        e.layer.inputs.clear();
        e.layer.id.clear();
        p.network.push_back(e);
    }
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
    // Step 1: QoS of every bundle, through its prototype.
    for (std::size_t i = 0; i < bundles.size(); ++i) {
        if (control.stopRequested())
            return makeError("cancelled");
        Project p = prototypeProject(base, bundles[i], o);
        Result<Graph> g = buildGraph(p);
        if (!g.ok())
            continue; // e.g. too many poolings for a small input: not a candidate here
        BundleCandidate c;
        c.bundle = bundles[i];
        const TiledModel model = buildTiledModel(*g, device);
        AutoSizeOptions a;
        a.mode = AutoSizeMode::Quick;
        a.clockMhz = p.accelerator.clockMhz > 0 ? p.accelerator.clockMhz : device.defaultClockMhz;
        a.resourceCap = p.accelerator.resourceCap;
        const AutoSizeResult sized = autoSizeTiled(model, a);
        const Estimate e = estimateTiled(model, sized.config, false);
        c.fps = e.fps;
        c.latencyMs = e.latencyMs;
        c.powerW = e.powerW;
        c.used = e.used;
        c.feasible = sized.found && e.feasible;
        candidates.push_back(std::move(c));
        projects.push_back(std::move(p));
        graphs.push_back(std::move(g).value());
        if (progress)
            progress(static_cast<int>(i + 1), static_cast<int>(bundles.size()) * 2);
    }
    if (candidates.empty())
        return makeError("no bundle of the pool gives a valid prototype for this input");
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
