#include "design_hash.h"

#include <cstdio>

namespace codesign {

std::string canonicalDesignText(const Graph& g) {
    std::string t = "in " + formatShape(g.input) + "\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        t += std::to_string(i) + " " + std::string(opName(n.op));
        t += " k" + std::to_string(n.kernelH) + "x" + std::to_string(n.kernelW);
        t += " s" + std::to_string(n.stride);
        t += " p" + std::to_string(n.padH) + "x" + std::to_string(n.padW);
        t += " g" + std::to_string(n.groups);
        t += " f" + std::to_string(n.factor);
        t += " a" + std::to_string(n.anchors);
        t += n.variant == FuseVariant::Full ? " full" : " half";
        t += n.bias ? " b" : " nb";
        t += " out " + formatShape(n.out);
        t += " w " + formatFixedType(n.weights);
        t += " x " + formatFixedType(n.activations);
        t += std::string(" q ") + roundingName(n.quant.rounding) + "/" +
             overflowName(n.quant.overflow);
        t += " from";
        for (int in : n.inputs)
            t += " " + std::to_string(in);
        t += "\n";
    }
    return t;
}

std::string designHash(const Graph& g) {
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : canonicalDesignText(g)) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

} // namespace codesign
