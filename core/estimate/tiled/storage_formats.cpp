#include "storage_formats.h"

#include <algorithm>

namespace codesign {
namespace {

bool fitsIn(const FixedType& t, const FixedType& container) {
    return t.integer <= container.integer &&
           t.width - t.integer <= container.width - container.integer;
}

std::string describeOne(const char* what, const FixedType& storage, const FixedType& project,
                        const std::vector<std::string>& forcedBy) {
    std::string s = std::string(what) + " " + formatFixedType(storage);
    if (forcedBy.empty())
        return s;
    s += " for every layer (the project's " + formatFixedType(project) + ", widened by ";
    for (std::size_t i = 0; i < forcedBy.size(); ++i)
        s += (i ? ", " : "") + forcedBy[i];
    return s + ": the accelerator stores all " + what + " in one format)";
}

} // namespace

FixedType unionFormat(std::span<const FixedType> types) {
    int integer = types.front().integer;
    int frac = 0;
    for (const FixedType& t : types) {
        integer = std::max(integer, t.integer);
        frac = std::max(frac, t.width - t.integer);
    }
    return {integer + frac, integer};
}

StorageFormats storageFormats(const Graph& graph) {
    std::vector<FixedType> acts, wgts;
    for (const Node& n : graph.nodes) {
        acts.push_back(n.activations);
        if (n.params > 0)
            wgts.push_back(n.weights);
    }
    if (wgts.empty())
        wgts.push_back({8, 2});
    if (acts.empty())
        acts.push_back({8, 4});
    return {unionFormat(acts), unionFormat(wgts)};
}

EffectiveFormats effectiveFormats(const Graph& graph) {
    EffectiveFormats f;
    f.storage = storageFormats(graph);
    f.projectActivations = graph.defaultActivations;
    f.projectWeights = graph.defaultWeights;
    for (const Node& n : graph.nodes) {
        if (!fitsIn(n.activations, f.projectActivations))
            f.activationsForcedBy.push_back(n.name);
        if (n.params > 0 && !fitsIn(n.weights, f.projectWeights))
            f.weightsForcedBy.push_back(n.name);
    }
    return f;
}

std::string describeFormats(const EffectiveFormats& f) {
    return describeOne("activations", f.storage.activations, f.projectActivations,
                       f.activationsForcedBy) +
           ", " + describeOne("weights", f.storage.weights, f.projectWeights, f.weightsForcedBy);
}

} // namespace codesign
