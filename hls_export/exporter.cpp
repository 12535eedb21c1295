#include "exporter.h"

#include "core/model/project_yaml.h"
#include "core/reference/reference.h"
#include "core/report/estimate_report.h"
#include "export_folder.h"
#include "export_plan.h"
#include "export_texts.h"
#include "hls_source_writer.h"
#include "onnx_writer.h"
#include "template_files.h"
#include "testbench_data.h"
#include "torch_writer.h"
#include "weight_image.h"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace codesign::hls {
namespace {

// The bundled templates copied as they are.
constexpr const char* kStaticFiles[] = {"hls/cs_units.h", "hls/cs_host.h", "hls/testbench.cpp",
                                        "hls/ap_lite/ap_fixed.h", "hls/ap_lite/ap_int.h"};
// Templates with {{KEY}} values.
constexpr const char* kFilledFiles[] = {"run_hls.tcl",
                                        "Makefile",
                                        "vivado/block_design.tcl",
                                        "vivado/build_bitstream.tcl",
                                        "driver/codesign_driver.py",
                                        "README.md"};

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
    report(options, 0, "estimate");
    Result<ProjectEstimate> pe =
        estimateProject(project, DeviceLibrary::standard(), options.deviceName);
    if (!pe.ok())
        return pe.error();
    const Graph& graph = pe->graph;
    Result<HlsPlan> plan = planAccelerator(graph, pe->estimate.config, pe->device);
    if (!plan.ok())
        return withFile(plan.error(), project);

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
    const ExportTexts texts{project, *pe, *plan, weights, summary.weightsOrigin};

    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back("hls/cs_config.h", configHeader(graph, *plan, project.name));
    files.emplace_back("hls/network.h", networkHeader(graph, *plan, project.name));
    files.emplace_back("hls/network.cpp", networkSource(graph, *plan, project.name));
    const std::vector<reference::QuantizedLayer> quantized =
        reference::quantizeWeights(graph, weights);
    files.emplace_back("hls/weights/ddr_image.bin",
                       packElements(weightElements(graph, *plan, quantized), plan->wgtContainer));
    files.emplace_back("hls/weights/weights.h", weightsHeader(texts));
    for (const char* path : kStaticFiles)
        files.emplace_back(path, std::string(templates::embeddedFile(path)));
    for (const char* path : kFilledFiles) {
        Result<std::string> text = fillTemplate(path, templateValues(texts));
        if (!text.ok())
            return text.error();
        files.emplace_back(path, std::move(text).value());
    }
    files.emplace_back("estimate.json", estimateJson(texts));
    files.emplace_back("model/" + identifier(project.name.empty() ? "network" : project.name) +
                           ".yaml",
                       projectToYaml(project));
    files.emplace_back("model/model.onnx", std::move(onnx).value());
    files.emplace_back("model/model.py", torchModule(graph, project.name));
    files.emplace_back("model/weights.bin", reference::serializeWeightSet(weights));
    for (auto& [path, bytes] : testbenchData(graph, input, *outputs))
        files.emplace_back("hls/" + path, std::move(bytes));

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
