#include "effective_formats.h"

#include <algorithm>

namespace codesign {
namespace {

// `formats[i]` belongs to node `nodes[i]`; `fallback` when there is none (as the tiled
// model does).
SharedFormat shared(const std::vector<FixedType>& formats, const std::vector<const Node*>& nodes,
                    FixedType requested, FixedType fallback) {
    SharedFormat s;
    s.requested = requested;
    if (formats.empty()) {
        s.format = fallback;
        return s;
    }
    int integer = formats.front().integer;
    int fraction = 0;
    for (const FixedType& t : formats) {
        integer = std::max(integer, t.integer);
        fraction = std::max(fraction, t.width - t.integer);
    }
    s.format = {integer + fraction, integer};
    const int requestedFraction = requested.width - requested.integer;
    for (std::size_t i = 0; i < formats.size(); ++i) {
        const FixedType& t = formats[i];
        const bool setsInteger = t.integer == integer && integer > requested.integer;
        const bool setsFraction = t.width - t.integer == fraction && fraction > requestedFraction;
        if (setsInteger || setsFraction)
            s.widenedBy.push_back(nodes[i]->name);
    }
    return s;
}

} // namespace

EffectiveFormats effectiveFormats(const Graph& graph, const PrecisionSpec& precision) {
    std::vector<FixedType> acts, wgts;
    std::vector<const Node*> actNodes, wgtNodes;
    for (const Node& n : graph.nodes) {
        acts.push_back(n.activations);
        actNodes.push_back(&n);
        if (n.params > 0) {
            wgts.push_back(n.weights);
            wgtNodes.push_back(&n);
        }
    }
    return {shared(wgts, wgtNodes, precision.weights, {8, 2}),
            shared(acts, actNodes, precision.activations, {8, 4})};
}

} // namespace codesign
