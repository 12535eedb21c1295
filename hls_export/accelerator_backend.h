#pragma once

// Export backends, one per accelerator family (DESIGN.md section 2): each writes the
// accelerator project of an estimated design. The model files (YAML, ONNX, PyTorch,
// weights) are the exporter's and the same for every family.
#include "core/estimate/design_estimate.h"
#include "core/model/project.h"
#include "core/reference/reference.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codesign::hls {

using ExportFiles = std::vector<std::pair<std::string, std::string>>; // path, bytes

// What a backend exports from: the design, its weights and a reference run on one input.
struct BackendInput {
    const Project& project;
    const DesignEstimate& design;
    const reference::WeightSet& weights;
    const std::string& weightsOrigin;
    const reference::FixedTensor& input;
    const std::vector<reference::FixedTensor>& outputs; // every layer's, in graph order
};

// A design a backend has planned: everything the files need is decided.
class PlannedExport {
public:
    virtual ~PlannedExport() = default;
    virtual Result<ExportFiles> files(const BackendInput& input) const = 0;
};

class AcceleratorBackend {
public:
    virtual ~AcceleratorBackend() = default;
    virtual std::string_view arch() const = 0;
    // Plans the export before the reference runs; a design it cannot export is an error
    // that names the layer.
    virtual Result<std::unique_ptr<PlannedExport>> plan(const DesignEstimate& design) const = 0;
};

const AcceleratorBackend* findAcceleratorBackend(std::string_view arch);

// Why designs of a family cannot be exported; empty when they can. The CLI fails with it
// and the GUI shows it on its disabled Export action.
std::string exportUnavailableReason(std::string_view arch);

} // namespace codesign::hls
