#pragma once

#include "graph.h"

#include <span>
#include <string>

namespace codesign {

// Fills a node's defaults from its spec (kernel, stride, padding...) before shapes exist.
void applyOpDefaults(const LayerSpec& spec, int channels, Node& node);

// Infers node.out, node.macs and node.params from the input shapes. Returns an empty
// string on success, else the reason the layer cannot take these inputs.
std::string inferShape(Node& node, std::span<const Shape> inputs, int requestedChannels);

} // namespace codesign
