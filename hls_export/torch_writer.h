#pragma once

// model/model.py: the network as a PyTorch nn.Module, with a loader for model/weights.bin.
#include "core/model/graph.h"

#include <string>

namespace codesign::hls {

std::string torchModule(const Graph& graph, const std::string& project);

} // namespace codesign::hls
