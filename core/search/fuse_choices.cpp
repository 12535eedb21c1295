#include "fuse_choices.h"

#include "../model/graph.h"
#include "../model/transforms/fuse_transform.h"

#include <algorithm>

namespace codesign {
namespace {

// The bundle instance names ("B3", "B4", ...) of network entry `entry`.
std::vector<std::string> instanceNames(const Project& p, int entry) {
    int first = 0;
    for (int e = 0; e < entry; ++e)
        if (p.network[std::size_t(e)].isBundle)
            first += p.network[std::size_t(e)].repeat;
    std::vector<std::string> names;
    for (int r = 0; r < p.network[std::size_t(entry)].repeat; ++r)
        names.push_back("B" + std::to_string(first + r + 1));
    return names;
}

bool rewritable(const Project& p, int entry) {
    const NetworkEntry& e = p.network[std::size_t(entry)];
    const BundleDef* def = e.isBundle ? p.findBundle(e.bundle) : nullptr;
    return def && bundleHasDepthwise(*def);
}

std::vector<Shape> groupOutputs(const Graph& g) {
    std::vector<Shape> out;
    for (const ExecGroup& eg : g.groups)
        out.push_back(g.nodes[std::size_t(eg.last)].out);
    return out;
}

// Whether `choice` on `entry` builds and keeps every group's output shape.
bool fits(const Project& p, int entry, FuseChoice choice) {
    const Result<Graph> before = buildGraph(p);
    const Result<Project> after = applyFuseChoices(p, {{entry, choice}});
    if (!before.ok() || !after.ok())
        return false;
    const Result<Graph> g = buildGraph(*after);
    return g.ok() && groupOutputs(*g) == groupOutputs(*before);
}

} // namespace

bool bundleHasDepthwise(const BundleDef& bundle) {
    return std::any_of(bundle.layers.begin(), bundle.layers.end(), [](const LayerSpec& l) {
        // A kernel of 0 is the op's default (3 x 3).
        return l.op == Op::DwConv && l.kernelH != 1 && l.kernelH == l.kernelW;
    });
}

std::vector<FuseChoice> fittingFuseChoices(const Project& project, int entry,
                                           const std::vector<FuseChoice>& wanted,
                                           const std::vector<std::string>& bundles) {
    std::vector<Project> variants;
    if (bundles.empty()) {
        variants.push_back(project);
    } else {
        for (const std::string& b : bundles) { // as the bundle coordinate switches them
            Project v = project;
            for (NetworkEntry& e : v.network)
                if (e.isBundle)
                    e.bundle = b;
            variants.push_back(std::move(v));
        }
    }
    std::erase_if(variants, [&](const Project& v) { return !rewritable(v, entry); });
    std::vector<FuseChoice> fitting;
    if (variants.empty())
        return fitting;
    for (FuseChoice c : wanted)
        if (c == FuseChoice::None ||
            std::all_of(variants.begin(), variants.end(),
                        [&](const Project& v) { return fits(v, entry, c); }))
            fitting.push_back(c);
    return fitting;
}

Result<Project> applyFuseChoices(Project project,
                                 const std::vector<std::pair<int, FuseChoice>>& choices) {
    for (FuseChoice variant : {FuseChoice::Half, FuseChoice::Full}) {
        FuseTransformOptions o;
        o.variant = variant == FuseChoice::Full ? FuseVariant::Full : FuseVariant::Half;
        for (const auto& [entry, choice] : choices)
            if (choice == variant && rewritable(project, entry))
                for (std::string& name : instanceNames(project, entry))
                    o.layers.push_back(std::move(name));
        if (o.layers.empty())
            continue;
        Result<FuseTransformResult> r = fuseTransform(project, o);
        if (!r.ok())
            return r.error();
        project = std::move(r->project);
    }
    return project;
}

} // namespace codesign
