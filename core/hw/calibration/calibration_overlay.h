#pragma once

// The device overlay a calibration writes (devices/NAME.calibrated.yaml; device_overlay.h):
// `overlay: NAME` and the fitted coefficients under their device-file keys, each with its
// value before and its standard error as a comment.
#include "calibration_fit.h"

#include <string>
#include <vector>

namespace codesign {

// Empty when nothing was fitted.
std::string calibrationOverlayText(const CalibrationResult& result,
                                   const std::vector<CalibrationDesign>& designs);

} // namespace codesign
