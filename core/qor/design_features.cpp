#include "design_features.h"

#include <algorithm>
#include <cmath>

namespace codesign {

std::array<std::string_view, DesignFeatures::kCount> DesignFeatures::names() {
    return {"depth",          "log2_macs",   "log2_params",     "log2_mean_width",
            "log2_max_width", "weight_bits", "activation_bits", "log2_input_pixels"};
}

DesignFeatures designFeatures(const Graph& g) {
    int depth = 0;
    double logWidthSum = 0;
    int maxWidth = 1;
    int weightBits = 0;
    int activationBits = 64;
    for (const Node& n : g.nodes) {
        if (!opHasWeights(n.op))
            continue;
        ++depth;
        logWidthSum += std::log2(std::max(1, n.out.c));
        maxWidth = std::max(maxWidth, n.out.c);
        // The narrowest formats bound what the network can represent.
        weightBits = weightBits == 0 ? n.weights.width : std::min(weightBits, n.weights.width);
        activationBits = std::min(activationBits, n.activations.width);
    }
    DesignFeatures f;
    f.values = {double(depth),
                std::log2(1.0 + double(g.totalMacs)),
                std::log2(1.0 + double(g.totalParams)),
                depth > 0 ? logWidthSum / depth : 0.0,
                std::log2(double(maxWidth)),
                double(weightBits),
                double(depth > 0 ? activationBits : 0),
                std::log2(double(std::max(1, g.input.h * g.input.w)))};
    return f;
}

} // namespace codesign
