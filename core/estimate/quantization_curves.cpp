#include "quantization_curves.h"

#include "../model/project_edits.h"

#include <optional>

namespace codesign {
namespace {

// The resources of `variant` on the current design, held fixed.
std::optional<Resources> usedWith(const Project& variant, const AcceleratorSpec& design,
                                  const DesignEstimate& current) {
    Result<Graph> graph = buildGraph(variant);
    if (!graph.ok())
        return std::nullopt;
    Result<Estimate> e =
        estimateDesign(*graph, current.device, design, {SizingEffort::Full, false, 0});
    if (!e.ok())
        return std::nullopt;
    return e->used;
}

} // namespace

QuantizationCurves quantizationCurves(const Project& project, const DesignEstimate& current) {
    QuantizationCurves c;
    c.weightBits = project.precision.weights.width;
    c.formats = effectiveFormats(current.graph);
    c.activationBits = c.formats.storage.activations.width;
    c.resize = project.input.resize;
    c.dsp = static_cast<double>(current.estimate.used.dsp);
    c.bram18 = static_cast<double>(current.estimate.used.bram18);
    c.design = current.estimate.detail;
    const AcceleratorSpec design = withFixedDesign(project, current.graph, c.design).accelerator;
    for (int bits = kCurveMinWeightBits; bits <= kCurveMaxWeightBits; ++bits) {
        Project variant = project;
        edits::setWeightBits(variant, bits);
        if (auto used = usedWith(variant, design, current))
            c.dspByWeightBits.push_back({double(bits), double(used->dsp)});
    }
    for (int step = 10; step <= 20; ++step) { // resize 0.50, 0.55, ..., 1.00
        Project variant = project;
        variant.input.resize = step * 0.05;
        if (auto used = usedWith(variant, design, current))
            c.bramByResize.push_back({variant.input.resize, double(used->bram18)});
    }
    return c;
}

} // namespace codesign
