#include "weight_image.h"

namespace codesign::hls {

std::int64_t widenRaw(std::int64_t raw, const FixedType& from, const FixedType& to) {
    return raw * (std::int64_t(1) << ((to.width - to.integer) - (from.width - from.integer)));
}

std::vector<std::int64_t> weightElements(const Graph& graph, const HlsPlan& plan,
                                         const std::vector<reference::QuantizedLayer>& weights) {
    const int per = plan.perWord(plan.wgtContainer);
    std::vector<std::int64_t> e(static_cast<std::size_t>(plan.weightWords * per), 0);
    const int tn = plan.config.pwIn;
    const int tm = plan.config.pwOut;
    const int pd = plan.config.dwParallel;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        const PlanNode& p = plan.nodes[i];
        const reference::QuantizedLayer& q = weights[i];
        if (p.weightOffset < 0)
            continue;
        auto put = [&](std::int64_t at, std::int64_t raw) {
            e[static_cast<std::size_t>(at)] = widenRaw(raw, n.weights, plan.wgt);
        };
        if (n.op == Op::Bn) {
            for (int c = 0; c < n.in.c; ++c) {
                put(p.weightOffset + c, q.weights[c]);
                put(p.biasOffset + c, q.bias[c]);
            }
            continue;
        }
        if (p.unit == Unit::Pw) {
            // Blocks of Tm x Tn in the unit's loop order: group, output block, input block, tap.
            const bool fc = n.op == Op::Fc;
            const int groups = fc ? 1 : n.groups;
            const std::int64_t ipg = fc ? n.in.elements() : n.in.c / groups;
            const int opg = n.out.c / groups;
            const int taps = fc ? 1 : n.kernelH * n.kernelW;
            std::int64_t block = 0;
            for (int g = 0; g < groups; ++g)
                for (int cob = 0; cob < opg; cob += tm)
                    for (std::int64_t cib = 0; cib < ipg; cib += tn)
                        for (int t = 0; t < taps; ++t, ++block) {
                            const std::int64_t base = p.weightOffset + block * plan.pwBlockElems;
                            for (int m = 0; m < tm && cob + m < opg; ++m)
                                for (int k = 0; k < tn && cib + k < ipg; ++k) {
                                    const std::int64_t oc = std::int64_t(g) * opg + cob + m;
                                    put(base + m * tn + k,
                                        q.weights[(oc * ipg + cib + k) * taps + t]);
                                }
                        }
        } else { // DW unit: blocks of dw_parallel channels x lanes taps
            const int taps = n.op == Op::Fuse ? n.kernelH : n.kernelH * n.kernelW;
            for (int oc = 0; oc < n.out.c; ++oc)
                for (int t = 0; t < taps; ++t)
                    put(p.weightOffset + std::int64_t(oc / pd) * plan.dwBlockElems +
                            (oc % pd) * plan.dwLanes + t,
                        q.weights[std::size_t(oc) * taps + t]);
        }
        if (p.biasOffset >= 0)
            for (int oc = 0; oc < n.out.c; ++oc)
                put(p.biasOffset + oc, q.bias[oc]);
    }
    return e;
}

std::string packElements(const std::vector<std::int64_t>& elements, int containerBits) {
    const int bytes = containerBits / 8;
    std::string out;
    out.reserve(elements.size() * bytes);
    for (std::int64_t v : elements) {
        const auto u = static_cast<std::uint64_t>(v);
        for (int b = 0; b < bytes; ++b)
            out.push_back(static_cast<char>((u >> (8 * b)) & 0xff));
    }
    return out;
}

} // namespace codesign::hls
