#include "exporter.h"

#include "accelerator_backend.h"
#include "core/model/project_yaml.h"
#include "core/reference/reference.h"
#include "export_folder.h"
#include "hls_source_writer.h"
#include "onnx_writer.h"
#include "torch_writer.h"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace codesign::hls {
namespace {

Diagnostic withFile(Diagnostic d, const Project& p) {
    if (d.file.empty() && d.pos.known())
        d.file = p.sourceFile;
    return d;
}

class Writer {
public:
    Writer(ExportFolder& folder, const ExportOptions& options)
        : folder_(folder), options_(options) {}

    Status put(const std::string& path, std::string_view bytes, bool executable = false) {
        if (options_.stopRequested && options_.stopRequested())
            return makeError("the export was cancelled; nothing was written to " + options_.outDir);
        if (Status s = folder_.write(path, bytes, executable); !s.ok())
            return s;
        if (!paused_) {
            paused_ = true;
            if (const char* ms = std::getenv("CODESIGN_TEST_EXPORT_PAUSE_MS"))
                std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(ms)));
        }
        return okStatus();
    }

private:
    ExportFolder& folder_;
    const ExportOptions& options_;
    bool paused_ = false;
};

void report(const ExportOptions& o, int percent, std::string_view step) {
    if (o.progress)
        o.progress(percent, step);
}

} // namespace

Result<ExportSummary> exportProject(const Project& project, const ExportOptions& options) {
    // A family without a backend: say so before estimating (auto sizing may take a while).
    const std::string_view arch = project.accelerator.arch();
    const AcceleratorBackend* backend = findAcceleratorBackend(arch);
    if (!backend)
        return withFile(makeError(exportUnavailableReason(arch), project.accelerator.pos), project);
    report(options, 0, "estimate");
    DesignRequest request;
    request.deviceName = options.deviceName;
    Result<DesignEstimate> pe = estimateDesign(project, DeviceLibrary::standard(), request);
    if (!pe.ok())
        return pe.error();
    const Graph& graph = pe->graph;
    Result<std::unique_ptr<PlannedExport>> planned = backend->plan(*pe);
    if (!planned.ok())
        return withFile(planned.error(), project);

    report(options, 10, "reference");
    const reference::WeightSet seeded = reference::seededWeights(graph, options.seed);
    const reference::WeightSet& weights = options.weights ? *options.weights : seeded;
    if (Status s = reference::checkWeightsFit(weights, graph); !s.ok())
        return withFile(s.error(), project);
    const reference::FixedTensor input =
        reference::quantizeInput(graph, reference::seededInput(graph.input, options.seed));
    Result<std::vector<reference::FixedTensor>> outputs =
        reference::runReference(graph, weights, input);
    if (!outputs.ok())
        return withFile(outputs.error(), project);
    Result<std::string> onnx = onnxModel(graph, weights, project.name);
    if (!onnx.ok())
        return withFile(onnx.error(), project);

    report(options, 30, "write");
    Result<std::unique_ptr<ExportFolder>> folder =
        ExportFolder::begin(options.outDir, options.force);
    if (!folder.ok())
        return folder.error();
    Writer w(**folder, options);
    ExportSummary summary;
    summary.weightsOrigin =
        options.weights ? weights.origin : "seeded (seed " + std::to_string(options.seed) + ")";
    Result<ExportFiles> accelerator =
        (*planned)->files({project, *pe, weights, summary.weightsOrigin, input, *outputs});
    if (!accelerator.ok())
        return withFile(accelerator.error(), project);
    ExportFiles files = std::move(accelerator).value();
    files.emplace_back("model/" + identifier(project.name.empty() ? "network" : project.name) +
                           ".yaml",
                       projectToYaml(project));
    files.emplace_back("model/model.onnx", std::move(onnx).value());
    files.emplace_back("model/model.py", torchModule(graph, project.name));
    files.emplace_back("model/weights.bin", reference::serializeWeightSet(weights));

    for (std::size_t i = 0; i < files.size(); ++i) {
        if (Status s = w.put(files[i].first, files[i].second); !s.ok())
            return s.error();
        report(options, 30 + static_cast<int>(65 * (i + 1) / files.size()), files[i].first);
    }
    report(options, 95, "commit");
    if (Status s = (*folder)->commit(); !s.ok())
        return s.error();
    summary.outDir = options.outDir;
    summary.files = (*folder)->files();
    summary.layers = static_cast<int>(graph.nodes.size());
    summary.estimate = std::move(pe).value();
    report(options, 100, "done");
    return summary;
}

} // namespace codesign::hls
