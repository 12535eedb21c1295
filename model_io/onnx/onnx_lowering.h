#pragma once

// ONNX nodes to imported layers (docs/import.md, "How each op maps"): constants and the
// shape arithmetic of PyTorch's exports are folded, batch norms and per-channel affine
// constants folded into the conv or fc before them, Pad into the conv after it, the
// Reshape-Transpose-Reshape of a channel shuffle recognised. Every node that cannot be
// mapped is listed, not only the first.
#include "model_io/imported_network.h"
#include "model_io/model_reader.h"

#include <vector>

namespace onnx {
class ModelProto;
}

namespace codesign::modelio {

struct Lowered {
    ImportedNetwork network;
    std::vector<UnsupportedNodes> unsupported;
    int sourceNodes = 0;
    int foldedBatchNorms = 0;
    int keptBatchNorms = 0;
    int foldedPads = 0;
    std::vector<std::string> notes;
};

// A structural problem of the file (a node reading a tensor nobody produced, a weight of
// the wrong size, no input) is an error; ops and attributes without a project form are
// collected in Lowered::unsupported.
Result<Lowered> lowerOnnx(const onnx::ModelProto& model, const ImportOptions& options);

} // namespace codesign::modelio
