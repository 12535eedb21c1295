#include "low_rank_cycles.h"

#include "core/estimate/design_estimate.h"

#include <algorithm>

namespace codesign::transform {

namespace {

std::map<int, std::int64_t> cyclesByNode(const Estimate& e) {
    std::map<int, std::int64_t> cycles;
    for (const LayerEstimate& l : e.layers)
        cycles[l.node] += l.cycles;
    return cycles;
}

// Where node `i` of the original is in the rewritten graph: every decomposed node before it
// added one layer.
int afterIndex(const std::vector<int>& decomposed, int i) {
    return i + int(std::lower_bound(decomposed.begin(), decomposed.end(), i) - decomposed.begin());
}

} // namespace

AcceleratorSpec specForRewritten(AcceleratorSpec spec, const Graph& before, const Graph& after,
                                 const std::vector<int>& decomposed) {
    StreamingSpec* s = std::get_if<StreamingSpec>(&spec.family);
    if (!s)
        return spec;
    std::map<std::string, std::vector<std::string>> names; // original -> rewritten
    for (std::size_t i = 0; i < before.nodes.size(); ++i) {
        const int j = afterIndex(decomposed, int(i));
        std::vector<std::string>& to = names[before.nodes[i].name];
        to.push_back(after.nodes[std::size_t(j)].name);
        if (std::binary_search(decomposed.begin(), decomposed.end(), int(i)))
            to.push_back(after.nodes[std::size_t(j) + 1].name);
    }
    std::vector<StreamingFolding> folding;
    for (const StreamingFolding& f : s->folding) {
        auto it = names.find(f.layer);
        if (it == names.end())
            continue;
        const Node& from = before.nodes[std::size_t(before.findNode(f.layer))];
        for (const std::string& name : it->second) {
            const Node& to = after.nodes[std::size_t(after.findNode(name))];
            StreamingFolding g = f;
            g.layer = name;
            // A factor with another window or grouping takes the defaults there.
            if (to.kernelH != from.kernelH || to.kernelW != from.kernelW)
                g.fine = 0;
            if (to.groups != from.groups)
                g.coarseGroup = 0;
            folding.push_back(g);
        }
    }
    s->folding = std::move(folding);
    for (StreamingPartitionSpec& p : s->partitions) {
        std::vector<std::string> layers;
        for (const std::string& l : p.layers) {
            auto it = names.find(l);
            if (it != names.end())
                layers.insert(layers.end(), it->second.begin(), it->second.end());
        }
        p.layers = std::move(layers);
        p.layerPos.assign(p.layers.size(), p.pos);
    }
    return spec;
}

std::pair<int, int> streamingCoarse(const DesignEstimate& original, const std::string& name) {
    const StreamingDetail* d = std::get_if<StreamingDetail>(&original.estimate.detail);
    const StreamingFolding* f = d ? d->fixed.findFolding(name) : nullptr;
    if (!f)
        return {1, 1};
    return {std::max(1, f->coarseIn), std::max(1, f->coarseOut)};
}

Result<FactorCycles> factorCycles(const DesignEstimate& original, const Graph& before,
                                  const Project& rewritten, const std::vector<int>& decomposed) {
    const Architecture& arch = *original.architecture;
    // The design as a fixed accelerator. What it gives per group by name (a tiled group's
    // own tile) is left out: the groups' names move when layers split, and both networks
    // must run on the same hardware.
    const AcceleratorSpec fixed =
        arch.fixedSpec(original.estimate.detail, Graph{}, rewritten.accelerator);
    Result<Graph> after = buildGraph(rewritten);
    if (!after.ok())
        return after.error();
    Result<Estimate> b = estimateDesign(before, original.device, fixed);
    if (!b.ok())
        return b.error();
    Result<Estimate> a = estimateDesign(*after, original.device,
                                        specForRewritten(fixed, before, *after, decomposed));
    if (!a.ok())
        return a.error();
    const std::map<int, std::int64_t> cb = cyclesByNode(*b), ca = cyclesByNode(*a);
    const auto at = [](const std::map<int, std::int64_t>& m, int i) {
        auto it = m.find(i);
        return it == m.end() ? std::int64_t(0) : it->second;
    };
    FactorCycles out;
    for (int i : decomposed) {
        const int j = afterIndex(decomposed, i);
        out.before[i] = at(cb, i);
        out.after[i] = at(ca, j) + at(ca, j + 1);
    }
    return out;
}

} // namespace codesign::transform
