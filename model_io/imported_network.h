#pragma once

// A network as a reader lowers it, before it is a project: layers in an order where every
// input comes first, with their weights in the layouts of core/reference/weight_set.h.
// network_builder.h folds it into bundles and writes the project and its weight set.
#include "core/model/graph.h"
#include "core/model/project.h"

#include <string>
#include <vector>

namespace codesign::modelio {

struct ImportedLayer {
    LayerSpec spec;          // op and parameters; ids are the builder's
    std::vector<int> inputs; // earlier layers; -1 is the network's input
    Shape out;               // as the reader computed it (the builder checks the graph's)
    std::vector<float> weights;
    std::vector<float> bias;
    std::string source; // the source node it came from, for messages
};

struct ImportedNetwork {
    Shape input;
    std::vector<ImportedLayer> layers;
    std::vector<int> outputs; // the model's outputs, in its order
};

} // namespace codesign::modelio
