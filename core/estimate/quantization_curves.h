#pragma once

#include "design_estimate.h"
#include "tiled/storage_formats.h"

#include <vector>

namespace codesign {

// The seed's two quantization observations for the current design, computed with the
// estimator on the same accelerator (the current design held fixed, not re-sized): DSP
// slices against the weight width, and BRAM18 against the input resize factor.
struct QuantizationCurves {
    struct Point {
        double x = 0;
        double y = 0;
    };
    std::vector<Point> dspByWeightBits;
    std::vector<Point> bramByResize;
    int weightBits = 0;       // the project's now
    int activationBits = 0;   // the shared activation storage's (formats.activations)
    EffectiveFormats formats; // the formats in use, with the layers that widened them
    double resize = 1;
    double dsp = 0; // the current design's
    double bram18 = 0;
    EstimateDetail design; // the accelerator the curves hold fixed
};

inline constexpr int kCurveMinWeightBits = 4;
inline constexpr int kCurveMaxWeightBits = 18;

QuantizationCurves quantizationCurves(const Project& project, const DesignEstimate& current);

} // namespace codesign
