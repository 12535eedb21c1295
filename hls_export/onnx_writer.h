#pragma once

// model/model.onnx: the network with its float weights, checked with onnx::checker before
// it is written.
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"

#include <string>

namespace codesign::hls {

// The serialized ModelProto (opset 13), or why it could not be built or failed the checker.
Result<std::string> onnxModel(const Graph& graph, const reference::WeightSet& weights,
                              const std::string& project);

// onnx::checker on a serialized model (the tests call it on the written file too).
Status checkOnnx(const std::string& bytes);

} // namespace codesign::hls
