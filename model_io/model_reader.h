#pragma once

// The reader seam (DESIGN.md section 2): a model file of another tool in, a project with
// its weights out. The CLI's `codesign import` and the studio's File > Import share it;
// ONNX is the first reader (model_io/onnx/onnx_reader.h).
#include "core/model/graph.h"
#include "core/model/project.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace codesign::modelio {

struct ImportOptions {
    std::string deviceName = "pynq-z1";
    std::optional<Shape> input;          // overrides the model's input (C must agree)
    std::string projectName;             // default: the model file's stem
    std::string weightsFile;             // as the project names it; default: "<stem>.weights.bin"
    std::function<bool()> stopRequested; // the GUI's cancel, asked between steps
    // The GUI's progress: a share of the work done (0..100) and the step it starts.
    std::function<void(int percent, std::string_view step)> progress;
};

// Reports a step to `options.progress` (when set); true when the caller asked to stop.
bool importStep(const ImportOptions& options, int percent, std::string_view step);

// Nodes of the source model that have no form in the project, grouped by op type and
// reason: "Conv (dilation 2): 3 nodes: a, b, c".
struct UnsupportedNodes {
    std::string opType;
    std::string reason;
    std::vector<std::string> nodes; // the source's node names (or "#index" when unnamed)
};

// What the import did, in numbers a user can check against the source.
struct ImportReport {
    int sourceNodes = 0;
    int layers = 0;
    int bundleInstances = 0; // counting repeats
    int bundles = 0;
    int singleLayers = 0;
    int foldedBatchNorms = 0;       // into the conv or fc before them
    int keptBatchNorms = 0;         // as bn layers (nothing to fold into)
    int foldedPads = 0;             // into the conv after them
    std::int64_t macs = 0;          // the project's (conv, dwconv, pwconv, fc)
    std::int64_t params = 0;        // the project's
    std::vector<std::string> notes; // what a user should know (dropped outputs, ...)
};

struct ImportedModel {
    Project project;
    reference::WeightSet weights; // named like the project's graph nodes
    ImportReport report;
};

struct ImportResult {
    std::optional<ImportedModel> model;
    Diagnostic error;                          // when there is no model
    std::vector<UnsupportedNodes> unsupported; // every node that could not be mapped
    bool ok() const { return model.has_value(); }
};

// "N nodes cannot be imported:" and one line per op type and reason, every node named.
std::string describeUnsupported(const std::vector<UnsupportedNodes>& list);

class ModelReader {
public:
    virtual ~ModelReader() = default;
    virtual std::string_view name() const = 0;                        // "ONNX"
    virtual std::span<const std::string_view> extensions() const = 0; // ".onnx"
    virtual ImportResult read(const std::string& path, const ImportOptions& options) const = 0;
    // The model's input as it declares it, without mapping the model: an open dimension
    // is -1. Nothing when the file does not read or the reader cannot tell (the studio's
    // import dialog prefills its input size with it).
    virtual std::optional<Shape> declaredInput(const std::string& path) const;
};

// The registered readers, and the one for a file's extension (null when none).
std::span<const ModelReader* const> modelReaders();
const ModelReader* findModelReader(const std::string& path);
// "ONNX models (*.onnx)" lines for a file dialog.
std::string readerFileFilter();

// Reads `modelPath` with its reader; a file no reader takes is an error.
ImportResult importModel(const std::string& modelPath, const ImportOptions& options);

// Writes the weights beside the project, then the project, each atomically: a failure
// leaves no project (and removes the weights it wrote).
Status writeImportedProject(const ImportedModel& model, const std::string& projectPath);

// The declared input of `modelPath` through its reader (ModelReader::declaredInput).
std::optional<Shape> declaredInput(const std::string& modelPath);

// "3x224x224" (C x H x W, each 1 to 1,000,000) as an input shape; nothing when malformed.
// `codesign import --input` and the studio's import dialog read it the same way.
std::optional<Shape> parseInputShape(std::string_view text);

// The default name of the weights file of a project: "<stem>.weights.bin".
std::string defaultWeightsFile(const std::string& projectPath);

} // namespace codesign::modelio
