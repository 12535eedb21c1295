#pragma once

// Fits the coefficients of calibration_coefficients.h to the designs' measurements
// (docs/estimator.md, "Calibration"). Per model (LUT, FF, timing, power, in that order, each
// on the device the previous ones left), the estimator is linearised in the model's
// coefficients by evaluating it with each coefficient stepped (the model is linear in them,
// or piecewise linear for timing), and the coefficients solve a non-negative least-squares
// problem in relative error (nnls.h). Piecewise-linear models repeat the step from the new
// coefficients, halving it while the error grows, until it settles. A coefficient that the
// measurements cannot tell apart from the others (no measurement depends on it, or its
// feature is a combination of others' in every design) keeps its value and is named.
#include "../device.h"
#include "calibration_coefficients.h"
#include "calibration_designs.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace codesign {

struct CoefficientResult {
    const CalibrationCoefficient* coefficient = nullptr;
    double before = 0;
    double after = 0;
    bool fitted = false;            // identified by the measurements and solved for
    std::optional<double> stdError; // one standard error, in the key's unit
    std::string note;               // why it was not fitted, or what limited it
};

// Mean and largest absolute relative error (%) of one quantity over the designs.
struct QuantityError {
    Quantity quantity = Quantity::Lut;
    int count = 0;
    bool fitted = false; // some coefficient of its model was fitted
    double meanBefore = 0, maxBefore = 0;
    double meanAfter = 0, maxAfter = 0;
};

// One design's measured and estimated figures, before and after.
struct DesignFigures {
    std::string name;
    struct Figure {
        Quantity quantity;
        double measured, before, after;
        std::string source;
    };
    std::vector<Figure> figures;
};

struct CalibrationResult {
    Device before;
    Device after;
    std::vector<CoefficientResult> coefficients; // those whose model has measurements
    std::vector<QuantityError> errors;           // quantities with measurements
    std::vector<DesignFigures> designs;
    std::vector<std::string> notes;
};

Result<CalibrationResult> calibrate(const std::vector<CalibrationDesign>& designs,
                                    const Device& start);

// The estimator's figure of every quantity for one design on `device` (the power terms on
// the measured resources and FPS where the design has them; see docs/estimator.md).
using QuantityValues = std::array<double, kQuantityCount>;
Result<QuantityValues> predictQuantities(const CalibrationDesign& design, const Device& device);

} // namespace codesign
