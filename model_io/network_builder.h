#pragma once

// An imported network as a project: bundles for its repeated blocks (bundle_folding.h),
// instances with repeat counts, single layers with ids where the network branches, and
// the weight set named like the project's graph nodes.
#include "imported_network.h"
#include "model_reader.h"

#include <string>

namespace codesign::modelio {

struct BuildSettings {
    std::string name; // the project's
    std::string description;
    std::string deviceName;
    std::string weightsFile; // as the project names it
    std::string origin;      // the weight set's origin ("imported from model.onnx")
};

Result<ImportedModel> buildImportedProject(ImportedNetwork net, const BuildSettings& settings,
                                           ImportReport report);

} // namespace codesign::modelio
