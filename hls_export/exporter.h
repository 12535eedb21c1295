#pragma once

// One-click export (issue 5, docs/export.md): the accelerator project (HLS C++ with its
// testbench and golden vectors, Vitis HLS and Vivado scripts, PYNQ driver) and the model
// (YAML, ONNX, PyTorch, weights) of a project, written atomically into one folder.
#include "core/estimate/design_estimate.h"
#include "core/model/project.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace codesign::hls {

struct ExportOptions {
    std::string outDir;
    bool force = false;                            // replace a non-empty outDir
    std::uint64_t seed = 1;                        // of the initial weights and the testbench input
    std::string deviceName;                        // overrides the project's device when set
    const reference::WeightSet* weights = nullptr; // trained weights; seeded when null
    // Progress in percent with a short step name; a stop request ends the export with an
    // error and leaves outDir untouched.
    std::function<void(int, std::string_view)> progress;
    std::function<bool()> stopRequested;
};

struct ExportSummary {
    std::string outDir;
    std::vector<std::string> files; // relative to outDir
    DesignEstimate estimate;        // the design the export describes
    std::string weightsOrigin;      // "seeded (seed N)" or "trained"
    int layers = 0;
};

// Every error a user can cause (bad project, unsupported layer or precision, a non-empty
// folder) comes back as a Diagnostic; nothing is left at outDir unless it succeeds.
// A test hook: CODESIGN_TEST_EXPORT_PAUSE_MS=N sleeps N ms after the first file is written
// to the temporary folder (so a test can kill the export midway).
Result<ExportSummary> exportProject(const Project& project, const ExportOptions& options);

} // namespace codesign::hls
