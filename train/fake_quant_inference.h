#pragma once

// The fake-quantized forward pass of quantization-aware training, run on one input with
// given weights, for comparison with core/reference (docs/training.md).
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"

#include <span>
#include <vector>

namespace codesign::train {

// Element i holds node i's output values (channel-major, as reals of its activation
// format), computed in float32 by the same code that trains.
Result<std::vector<std::vector<double>>> runFakeQuant(const Graph& graph,
                                                      const reference::WeightSet& weights,
                                                      std::span<const double> input);

} // namespace codesign::train
