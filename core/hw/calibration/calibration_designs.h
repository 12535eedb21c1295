#pragma once

// The designs a calibration measures: each design folder's project, the accelerator design
// it was exported with (checked against its estimate.json), and what its reports measured,
// as observations of the estimator's quantities.
#include "../../model/accelerator_spec.h"
#include "../../model/graph.h"
#include "../device_library.h"
#include "../resources.h"
#include "calibration_coefficients.h"
#include "report_files.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace codesign {

enum class Quantity {
    Lut,
    Ff,
    Dsp,
    Bram18,
    Fps,
    BoardPower,
    PlStatic,
    DspPower,
    BramPower,
    LogicPower, // LUT and FF terms together, when the report does not split them
    LutPower,   // the LUT term: Slice Logic's LUT rows and Signals
    FfPower,    // the FF term: Slice Logic's Register row and Clocks
};
inline constexpr int kQuantityCount = 12;

std::string_view quantityName(Quantity q); // "LUT", "board power", ...
std::string_view quantityKey(Quantity q);  // JSON key: "lut", "board_power_w", ...
// The model a quantity's measurements fit; none for DSP and BRAM18 (structural counts,
// reported but not fitted).
std::optional<CalibrationModel> modelOf(Quantity q);

struct Observation {
    Quantity quantity;
    double measured = 0;
    std::string source; // "FILE:LINE" of the figure
};

struct CalibrationDesign {
    std::string name;
    std::filesystem::path folder;
    std::string projectFile;
    Graph graph;
    AcceleratorSpec spec; // the exported design, fixed (no auto sizing)
    double clockMhz = 0;
    // What the power model is evaluated on: the measured resources (utilization report,
    // else csynth.xml) and FPS, where the reports have them.
    std::optional<Resources> measuredResources;
    std::optional<double> measuredFps;
    std::vector<Observation> observations;
};

// Loads and checks every design for `device` (the project's device must be it; the reports'
// part and clock must be the design's). `library` is where the projects' devices resolve.
Result<std::vector<CalibrationDesign>>
loadCalibrationDesigns(const std::vector<DesignReports>& reports, const Device& device,
                       const DeviceLibrary& library);

} // namespace codesign
