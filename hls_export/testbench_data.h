#pragma once

// The golden vectors of the testbench (hls/tb_data): the input and every layer's output
// from the fixed-point reference, as raw values of each layer's format.
#include "core/reference/reference.h"

#include <string>
#include <utility>
#include <vector>

namespace codesign::hls {

// (relative path, bytes) pairs: tb_data/input.bin, tb_data/layer_NNN.bin, tb_data/layers.txt.
std::vector<std::pair<std::string, std::string>>
testbenchData(const Graph& graph, const reference::FixedTensor& input,
              const std::vector<reference::FixedTensor>& outputs);

} // namespace codesign::hls
