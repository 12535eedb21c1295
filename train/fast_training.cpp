#include "fast_training.h"

#include <cstdio>
#include <string>

namespace codesign::train {

Result<Graph> graphAtResolution(const Project& project, double factor) {
    if (!(factor > 0 && factor <= 1))
        return makeError("the training resolution must lie in (0, 1]");
    Project scaled = project;
    scaled.input.resize *= factor;
    Result<Graph> graph = buildGraph(scaled);
    if (!graph.ok() && factor < 1) {
        char what[64];
        std::snprintf(what, sizeof what, "at %.3g of the input resolution: ", factor);
        Diagnostic d = graph.error();
        d.message = what + d.message;
        return d;
    }
    return graph;
}

} // namespace codesign::train
