#include "fuse_transform.h"

#include "../graph.h"

#include <algorithm>
#include <map>
#include <set>

namespace codesign {
namespace {

bool isDepthwiseKxK(const Node& n) {
    return n.op == Op::DwConv && n.kernelH == n.kernelW && n.kernelH >= 2;
}

std::string variantName(FuseVariant v) {
    return v == FuseVariant::Full ? "full" : "half";
}

std::vector<int> depthwiseLayers(const Graph& g) {
    std::vector<int> found;
    for (std::size_t i = 0; i < g.nodes.size(); ++i)
        if (isDepthwiseKxK(g.nodes[i]))
            found.push_back(static_cast<int>(i));
    return found;
}

std::string listNames(const Graph& g, const std::vector<int>& nodes) {
    std::string s;
    for (int i : nodes)
        s += (s.empty() ? "" : ", ") + g.nodes[i].name;
    return s;
}

// The names a user gave: layers, or groups standing for their depthwise layers.
Result<std::set<int>> namedLayers(const Graph& g, const std::vector<std::string>& names,
                                  const std::vector<int>& candidates) {
    std::set<int> chosen;
    for (const std::string& name : names) {
        if (const int idx = g.findNode(name); idx >= 0) {
            if (!isDepthwiseKxK(g.nodes[idx]))
                return makeError(
                    "layer '" + name + "' is a " + std::string(opName(g.nodes[idx].op)) + " " +
                        std::to_string(g.nodes[idx].kernelH) + "x" +
                        std::to_string(g.nodes[idx].kernelW) +
                        ", not a depthwise K x K; depthwise layers: " + listNames(g, candidates),
                    {}, name);
            chosen.insert(idx);
            continue;
        }
        auto group = std::find_if(g.groups.begin(), g.groups.end(),
                                  [&](const ExecGroup& e) { return e.name == name; });
        if (group == g.groups.end())
            return makeError("no layer or bundle instance is named '" + name +
                             "'; depthwise layers: " + listNames(g, candidates));
        const std::size_t before = chosen.size();
        for (int i = group->first; i <= group->last; ++i)
            if (isDepthwiseKxK(g.nodes[i]))
                chosen.insert(i);
        if (chosen.size() == before)
            return makeError("'" + name + "' has no depthwise K x K layer; depthwise layers: " +
                             listNames(g, candidates));
    }
    return chosen;
}

Result<std::set<int>> chooseLayers(const Graph& g, const FuseTransformOptions& o) {
    const std::vector<int> candidates = depthwiseLayers(g);
    if (!o.layers.empty() && o.first > 0)
        return makeError("give either the layers or the first N, not both");
    if (candidates.empty())
        return makeError("the network has no depthwise K x K layer (dwconv) to rewrite");
    if (!o.layers.empty())
        return namedLayers(g, o.layers, candidates);
    if (o.first > static_cast<int>(candidates.size()))
        return makeError("the first " + std::to_string(o.first) +
                         " depthwise layers were asked "
                         "for; the network has " +
                         std::to_string(candidates.size()) + ": " + listNames(g, candidates));
    const std::size_t n = o.first > 0 ? std::size_t(o.first) : candidates.size();
    return std::set<int>(candidates.begin(), candidates.begin() + std::ptrdiff_t(n));
}

LayerSpec fuseOf(const LayerSpec& dw, FuseVariant variant) {
    LayerSpec f = dw;
    f.op = Op::Fuse;
    f.variant = variant;
    f.channels = 0; // the fuse op sets its own width (C or 2C)
    f.groups = 1;
    return f;
}

// Which layers of the bundle definition each instance of each network entry rewrites: for
// every node, its entry, its instance within `repeat`, and its index in the definition.
struct Origin {
    int entry = 0;
    int instance = 0;
    int layer = 0;
};

std::vector<Origin> originsOf(const Project& p, const Graph& g) {
    std::vector<Origin> origins(g.nodes.size());
    std::size_t group = 0;
    for (std::size_t e = 0; e < p.network.size(); ++e) {
        const NetworkEntry& entry = p.network[e];
        const int instances = entry.isBundle ? entry.repeat : 1;
        std::vector<int> kept; // definition indices an instance keeps (pooling may be dropped)
        if (entry.isBundle) {
            const BundleDef* def = p.findBundle(entry.bundle);
            for (std::size_t i = 0; i < def->layers.size(); ++i) {
                const Op op = def->layers[i].op;
                if (entry.downsample || (op != Op::MaxPool && op != Op::AvgPool))
                    kept.push_back(static_cast<int>(i));
            }
        } else {
            kept.push_back(0);
        }
        for (int r = 0; r < instances; ++r, ++group) {
            const ExecGroup& eg = g.groups[group];
            for (int n = eg.first; n <= eg.last; ++n)
                origins[n] = {static_cast<int>(e), r, kept[std::size_t(n - eg.first)]};
        }
    }
    return origins;
}

class Rewriter {
public:
    Rewriter(const Project& p, FuseVariant v) : in_(p), variant_(v) {
        for (const BundleDef& b : p.bundles)
            names_.insert(b.name);
    }

    // `chosen[e][r]`: the definition indices instance r of entry e rewrites.
    Project rewrite(const std::vector<std::vector<std::set<int>>>& chosen) {
        Project out = in_;
        out.network.clear();
        for (std::size_t e = 0; e < in_.network.size(); ++e) {
            const NetworkEntry& entry = in_.network[e];
            if (!entry.isBundle) {
                NetworkEntry copy = entry;
                if (!chosen[e][0].empty())
                    copy.layer = fuseOf(entry.layer, variant_);
                out.network.push_back(std::move(copy));
                continue;
            }
            splitRuns(entry, chosen[e], out.network);
        }
        out.bundles.insert(out.bundles.end(), derived_.begin(), derived_.end());
        dropUnused(out);
        return out;
    }

private:
    // Consecutive instances with the same choice share one entry (and one bundle).
    void splitRuns(const NetworkEntry& entry, const std::vector<std::set<int>>& chosen,
                   std::vector<NetworkEntry>& network) {
        int start = 0;
        for (int r = 1; r <= entry.repeat; ++r) {
            if (r < entry.repeat && chosen[std::size_t(r)] == chosen[std::size_t(start)])
                continue;
            NetworkEntry run = entry;
            run.repeat = r - start;
            run.from = start == 0 ? entry.from : std::string();
            run.id = r == entry.repeat ? entry.id : std::string();
            if (!chosen[std::size_t(start)].empty())
                run.bundle = derivedBundle(entry.bundle, chosen[std::size_t(start)]);
            network.push_back(std::move(run));
            start = r;
        }
    }

    std::string derivedBundle(const std::string& original, const std::set<int>& layers) {
        const BundleDef* def = in_.findBundle(original);
        BundleDef d = *def;
        for (int i : layers)
            d.layers[std::size_t(i)] = fuseOf(def->layers[std::size_t(i)], variant_);
        auto same = std::find_if(derived_.begin(), derived_.end(),
                                 [&](const BundleDef& b) { return b.layers == d.layers; });
        if (same != derived_.end())
            return same->name;
        std::string name = original + "_fuse_" + variantName(variant_);
        if (layers.size() != depthwiseCount(*def))
            for (int i : layers)
                name += "_" + std::to_string(i + 1);
        const std::string base = name;
        for (int k = 2; names_.count(name); ++k)
            name = base + "_" + std::to_string(k);
        names_.insert(name);
        d.name = name;
        derived_.push_back(std::move(d));
        return name;
    }

    static std::size_t depthwiseCount(const BundleDef& def) {
        return std::size_t(std::count_if(def.layers.begin(), def.layers.end(),
                                         [](const LayerSpec& l) { return l.op == Op::DwConv; }));
    }

    // Definitions that instances used before and no instance or search list uses any more
    // go; those nothing used before (a bundle still being designed) stay.
    void dropUnused(Project& p) const {
        std::set<std::string> used(p.search.bundles.begin(), p.search.bundles.end());
        for (const NetworkEntry& e : p.network)
            if (e.isBundle)
                used.insert(e.bundle);
        std::set<std::string> usedBefore;
        for (const NetworkEntry& e : in_.network)
            if (e.isBundle)
                usedBefore.insert(e.bundle);
        std::erase_if(p.bundles, [&](const BundleDef& b) {
            return usedBefore.count(b.name) && !used.count(b.name);
        });
    }

    const Project& in_;
    FuseVariant variant_;
    std::set<std::string> names_;
    std::vector<BundleDef> derived_;
};

// Precision overrides name layers; the rewritten layers (and single layers after a split
// repeat) have new names. The node count does not change, so names map by position.
PrecisionSpec renamedOverrides(const PrecisionSpec& precision, const Graph& before,
                               const Graph& after) {
    PrecisionSpec out = precision;
    out.layers.clear();
    out.layerPos.clear();
    for (const auto& [name, layer] : precision.layers) {
        const int idx = before.findNode(name);
        const std::string renamed = idx >= 0 ? after.nodes[std::size_t(idx)].name : name;
        out.layers[renamed] = layer;
        if (auto it = precision.layerPos.find(name); it != precision.layerPos.end())
            out.layerPos[renamed] = it->second;
    }
    return out;
}

} // namespace

Result<FuseTransformResult> fuseTransform(const Project& project,
                                          const FuseTransformOptions& options) {
    Result<Graph> graph = buildGraph(project);
    if (!graph.ok())
        return graph.error();
    Result<std::set<int>> chosen = chooseLayers(*graph, options);
    if (!chosen.ok())
        return chosen.error();

    const std::vector<Origin> origins = originsOf(project, *graph);
    std::vector<std::vector<std::set<int>>> perInstance(project.network.size());
    for (std::size_t e = 0; e < project.network.size(); ++e)
        perInstance[e].resize(
            std::size_t(project.network[e].isBundle ? project.network[e].repeat : 1));
    FuseTransformResult result;
    for (int node : *chosen) {
        const Origin& o = origins[std::size_t(node)];
        perInstance[std::size_t(o.entry)][std::size_t(o.instance)].insert(o.layer);
        result.rewritten.push_back(graph->nodes[std::size_t(node)].name);
    }

    // The overrides still carry the original names: resolve the shapes without them first.
    Project out = Rewriter(project, options.variant).rewrite(perInstance);
    const PrecisionSpec precision = out.precision;
    out.precision.layers.clear();
    out.precision.layerPos.clear();
    Result<Graph> after = buildGraph(out);
    if (!after.ok()) {
        Diagnostic d = after.error();
        d.message = "fuse " + variantName(options.variant) + " does not fit: " + d.message;
        return d;
    }
    out.precision = renamedOverrides(precision, *graph, *after);
    result.project = std::move(out);
    return result;
}

} // namespace codesign

namespace codesign {
namespace {

bool isDepthwiseSpec(const LayerSpec& l) {
    return l.op == Op::DwConv && l.kernelH != 1 && l.kernelH == l.kernelW;
}

// The instance names ("B3", ...) of every entry of `bundle`.
std::vector<std::string> instancesOf(const Project& p, const std::string& bundle) {
    std::vector<std::string> names;
    int instance = 0;
    for (const NetworkEntry& e : p.network) {
        if (!e.isBundle)
            continue;
        for (int r = 0; r < e.repeat; ++r, ++instance)
            if (e.bundle == bundle)
                names.push_back("B" + std::to_string(instance + 1));
    }
    return names;
}

// An unused definition rewritten where it stands, under the name the transform would give.
FuseBundleResult rewriteDefinition(Project p, std::size_t index, FuseVariant variant) {
    BundleDef& def = p.bundles[index];
    for (LayerSpec& l : def.layers)
        if (isDepthwiseSpec(l)) {
            l.op = Op::Fuse;
            l.variant = variant;
            l.channels = 0;
            l.groups = 1;
        }
    const std::string base = def.name + "_fuse_" + (variant == FuseVariant::Full ? "full" : "half");
    std::string name = base;
    for (int k = 2; p.findBundle(name); ++k)
        name = base + "_" + std::to_string(k);
    def.name = name;
    return {std::move(p), name};
}

} // namespace

Result<FuseBundleResult> fuseBundle(const Project& project, const std::string& bundle,
                                    FuseVariant variant) {
    const auto def = std::find_if(project.bundles.begin(), project.bundles.end(),
                                  [&](const BundleDef& b) { return b.name == bundle; });
    if (def == project.bundles.end())
        return makeError("no bundle is named '" + bundle + "'");
    if (std::none_of(def->layers.begin(), def->layers.end(), isDepthwiseSpec))
        return makeError("bundle '" + bundle +
                         "' has no depthwise K x K layer (dwconv) to rewrite into FuSe");
    const std::vector<std::string> instances = instancesOf(project, bundle);
    if (instances.empty())
        return rewriteDefinition(project, std::size_t(def - project.bundles.begin()), variant);
    FuseTransformOptions o;
    o.variant = variant;
    o.layers = instances;
    Result<FuseTransformResult> r = fuseTransform(project, o);
    if (!r.ok())
        return r.error();
    // The first instance's entry names the definition its instances now use.
    FuseBundleResult out{std::move(r->project), {}};
    int instance = 0;
    for (const NetworkEntry& e : out.project.network) {
        if (!e.isBundle)
            continue;
        if ("B" + std::to_string(instance + 1) == instances.front()) {
            out.newBundle = e.bundle;
            break;
        }
        instance += e.repeat;
    }
    return out;
}

} // namespace codesign
