#include "onnx_reader.h"

#include "model_io/network_builder.h"
#include "onnx_lowering.h"

#include <filesystem>
#include <fstream>
#include <onnx/onnx_pb.h>
#include <set>
#include <sstream>

namespace codesign::modelio {
namespace {

constexpr std::string_view kExtensions[] = {".onnx"};

ImportResult failure(const std::string& label, std::string message) {
    ImportResult r;
    r.error = makeError(std::move(message));
    r.error.file = label;
    return r;
}

} // namespace

std::span<const std::string_view> OnnxReader::extensions() const {
    return kExtensions;
}

ImportResult OnnxReader::read(const std::string& path, const ImportOptions& options) const {
    if (importStep(options, 0, "Reading the file"))
        return failure(path, "import cancelled");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return failure(path, "cannot open the model file");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return readOnnxBytes(bytes.str(), path, options);
}

std::optional<Shape> OnnxReader::declaredInput(const std::string& path) const {
    std::ifstream in(path, std::ios::binary);
    onnx::ModelProto model;
    if (!in || !model.ParseFromIstream(&in) || !model.has_graph())
        return std::nullopt;
    std::set<std::string> initializers;
    for (const onnx::TensorProto& t : model.graph().initializer())
        initializers.insert(t.name());
    for (const onnx::ValueInfoProto& v : model.graph().input()) {
        if (initializers.count(v.name()))
            continue; // an initializer listed as an input (IR version 3)
        const auto& dims = v.type().tensor_type().shape().dim();
        if (dims.size() != 4)
            return std::nullopt;
        auto dim = [&](int i) {
            const auto& d = dims[i];
            return d.has_dim_value() && d.dim_value() > 0 && d.dim_value() <= 1'000'000
                       ? int(d.dim_value())
                       : -1;
        };
        return Shape{dim(1), dim(2), dim(3)};
    }
    return std::nullopt;
}

ImportResult readOnnxBytes(const std::string& bytes, const std::string& label,
                           const ImportOptions& options) {
    if (importStep(options, 15, "Parsing the ONNX model"))
        return failure(label, "import cancelled");
    onnx::ModelProto model;
    if (bytes.empty() || !model.ParseFromString(bytes))
        return failure(label, "not an ONNX model (the file does not parse as a ModelProto)");
    if (!model.has_graph())
        return failure(label, "the ONNX model has no graph");
    if (importStep(options, 45, "Mapping the nodes to layers"))
        return failure(label, "import cancelled");
    Result<Lowered> lowered = lowerOnnx(model, options);
    if (!lowered.ok())
        return failure(label, lowered.error().message);
    if (!lowered->unsupported.empty()) {
        ImportResult r = failure(label, describeUnsupported(lowered->unsupported));
        r.unsupported = std::move(lowered->unsupported);
        return r;
    }
    if (importStep(options, 70, "Folding repeated blocks into bundles"))
        return failure(label, "import cancelled");
    const std::string stem = std::filesystem::path(label).stem().string();
    BuildSettings settings;
    settings.name = options.projectName.empty() ? stem : options.projectName;
    settings.deviceName = options.deviceName;
    settings.weightsFile = options.weightsFile;
    settings.origin = "imported from " + std::filesystem::path(label).filename().string();
    std::int64_t opset = 0;
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx")
            opset = o.version();
    settings.description =
        "Imported from " + std::filesystem::path(label).filename().string() + " (ONNX opset " +
        std::to_string(opset) +
        (model.producer_name().empty() ? std::string() : ", by " + model.producer_name()) + ")";
    ImportReport report;
    report.sourceNodes = lowered->sourceNodes;
    report.foldedBatchNorms = lowered->foldedBatchNorms;
    report.keptBatchNorms = lowered->keptBatchNorms;
    report.foldedPads = lowered->foldedPads;
    report.notes = std::move(lowered->notes);
    Result<ImportedModel> built =
        buildImportedProject(std::move(lowered->network), settings, std::move(report));
    if (!built.ok())
        return failure(label, built.error().message);
    ImportResult r;
    r.model = std::move(built).value();
    return r;
}

} // namespace codesign::modelio
