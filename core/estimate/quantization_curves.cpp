#include "quantization_curves.h"

#include "core/estimate/tiled_estimator.h"
#include "project_edits.h"

#include <optional>

namespace codesign {
namespace {

std::optional<Resources> usedWith(const Project& variant, const ProjectEstimate& current) {
    Result<Graph> graph = buildGraph(variant);
    if (!graph.ok())
        return std::nullopt;
    const TiledModel model = buildTiledModel(*graph, current.device);
    return estimateTiled(model, current.estimate.config, false).used;
}

} // namespace

QuantizationCurves quantizationCurves(const Project& project, const ProjectEstimate& current) {
    QuantizationCurves c;
    c.weightBits = project.precision.weights.width;
    c.formats = effectiveFormats(current.graph, project.precision);
    c.activationBits = c.formats.storage.activations.width;
    c.resize = project.input.resize;
    c.dsp = static_cast<double>(current.estimate.used.dsp);
    c.bram18 = static_cast<double>(current.estimate.used.bram18);
    c.config = current.estimate.config;
    for (int bits = kCurveMinWeightBits; bits <= kCurveMaxWeightBits; ++bits) {
        Project variant = project;
        edits::setWeightBits(variant, bits);
        if (auto used = usedWith(variant, current))
            c.dspByWeightBits.push_back({double(bits), double(used->dsp)});
    }
    for (int step = 10; step <= 20; ++step) { // resize 0.50, 0.55, ..., 1.00
        Project variant = project;
        variant.input.resize = step * 0.05;
        if (auto used = usedWith(variant, current))
            c.bramByResize.push_back({variant.input.resize, double(used->bram18)});
    }
    return c;
}

} // namespace codesign
