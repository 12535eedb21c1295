#include "tiled_backend.h"

#include "export_plan.h"
#include "export_texts.h"
#include "hls_source_writer.h"
#include "template_files.h"
#include "testbench_data.h"
#include "weight_image.h"

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

class PlannedTiled : public PlannedExport {
public:
    explicit PlannedTiled(HlsPlan plan) : plan_(std::move(plan)) {}
    Result<ExportFiles> files(const BackendInput& in) const override;

private:
    HlsPlan plan_;
};

Result<ExportFiles> PlannedTiled::files(const BackendInput& in) const {
    const Graph& graph = in.design.graph;
    const std::string& name = in.project.name;
    const ExportTexts texts{in.project, in.design, plan_, in.weights, in.weightsOrigin};
    ExportFiles files;
    files.emplace_back("hls/cs_config.h", configHeader(graph, plan_, name));
    files.emplace_back("hls/network.h", networkHeader(graph, plan_, name));
    files.emplace_back("hls/network.cpp", networkSource(graph, plan_, name));
    const std::vector<reference::QuantizedLayer> quantized =
        reference::quantizeWeights(graph, in.weights);
    files.emplace_back("hls/weights/ddr_image.bin",
                       packElements(weightElements(graph, plan_, quantized), plan_.wgtContainer));
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
    for (auto& [path, bytes] : testbenchData(graph, in.input, in.outputs))
        files.emplace_back("hls/" + path, std::move(bytes));
    return files;
}

} // namespace

Result<std::unique_ptr<PlannedExport>> TiledBackend::plan(const DesignEstimate& design) const {
    Result<HlsPlan> plan = planAccelerator(
        design.graph, std::get<TiledDetail>(design.estimate.detail).config, design.device);
    if (!plan.ok())
        return plan.error();
    return std::unique_ptr<PlannedExport>(std::make_unique<PlannedTiled>(std::move(plan).value()));
}

} // namespace codesign::hls
