#pragma once

// The ONNX reader (docs/import.md): a model file as PyTorch's torch.onnx.export writes it
// (opsets 11 to 17), to a project with its weights.
#include "model_io/model_reader.h"

namespace codesign::modelio {

class OnnxReader : public ModelReader {
public:
    std::string_view name() const override { return "ONNX"; }
    std::span<const std::string_view> extensions() const override;
    ImportResult read(const std::string& path, const ImportOptions& options) const override;
    std::optional<Shape> declaredInput(const std::string& path) const override;
};

// The same on the bytes of a model (the tests and the mutation run use it); `label` names
// the model in messages and in the project.
ImportResult readOnnxBytes(const std::string& bytes, const std::string& label,
                           const ImportOptions& options);

} // namespace codesign::modelio
