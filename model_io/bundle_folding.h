#pragma once

// Finds the repeated blocks of an imported network that become bundle instances
// (docs/import.md, "Bundles"): a conv with its activations (and pooling), a depthwise conv
// with the pointwise after it, an inverted residual (expand, depthwise, project, with or
// without its skip and squeeze-excite), a residual block, a fire module, a ShuffleNet unit.
#include "imported_network.h"

#include <string>
#include <vector>

namespace codesign::modelio {

// Layers [first, last] of the network's order, reading one tensor from outside (`entry`, a
// layer index or -1 for the network's input) and read from outside only at `last`.
struct Block {
    int first = 0;
    int last = 0;
    int entry = -1;
    std::string kind; // the bundle's name stem: "conv_relu", "inverted_residual", ...
};

// Consecutive blocks covering every layer in order. A block of one layer without a
// pattern is a single layer of the network, not a bundle instance.
std::vector<Block> findBlocks(const ImportedNetwork& net);

} // namespace codesign::modelio
