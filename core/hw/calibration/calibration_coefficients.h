#pragma once

// The coefficients `codesign calibrate` fits, declared in one table (calibration_
// coefficients.cpp): each with its device-file key, the feature of a design it multiplies,
// its unit, and the model whose measurements identify it. A model that gains a term adds a
// row here and a key to the device files; the fit finds the term's feature by evaluating the
// model itself (calibration_fit.h), so nothing else changes.
#include "../device.h"

#include <span>
#include <string_view>

namespace codesign {

// The estimator's models the measurements constrain, one least-squares problem each.
enum class CalibrationModel {
    Lut,    // LUT count of a design (measured: report_utilization, else csynth.xml)
    Ff,     // FF count
    Power,  // board and on-chip power (the CSV's power_w, report_power)
    Timing, // frames per second (the CSV's fps)
};

struct CalibrationCoefficient {
    std::string_view name;    // for people: "LUT per AXI master"
    std::string_view key;     // device-file key: "logic.lut_per_axi_master"
    std::string_view feature; // what it multiplies in its model, in words
    std::string_view unit;    // the key's unit
    CalibrationModel model;
    double (*get)(const Device&);
    void (*set)(Device&, double);
    // The model is linear in 1 / value (an efficiency divides a time): the fit solves for
    // the reciprocal.
    bool reciprocal = false;
    double min = 0; // the device file's range of the key (device_yaml.cpp)
    double max = 0;
    // The smallest step that moves the model: a latency in ns acts in whole cycles.
    double minStep = 0;
    // Not empty: the fit keeps the library's value, for this reason (a term the designs
    // of one device cannot pin down against the others, docs/estimator.md).
    std::string_view kept = {};
};

std::span<const CalibrationCoefficient> calibrationCoefficients();
const CalibrationCoefficient* findCalibrationCoefficient(std::string_view key);

std::string_view modelName(CalibrationModel model); // "LUT", "FF", "power", "timing"

} // namespace codesign
