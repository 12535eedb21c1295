#pragma once

// Device overlays: a file that names a device of the library (`overlay: pynq-z1`) and gives
// some of its keys new values, such as the coefficients `codesign calibrate` fits
// (devices/NAME.calibrated.yaml). Its keys are merged over the device's own description,
// mapping by mapping, and the result is read like any device file, so an overlay is checked
// with the same ranges and spelling rules (docs/estimator.md, "Calibration").
#include "../util/result.h"
#include "device.h"

#include <string>
#include <string_view>
#include <yaml-cpp/yaml.h>

namespace codesign {

struct DeviceOverlay {
    std::string file;
    std::string device; // the `overlay:` value
    YAML::Node keys;    // the rest of the file
};

// Whether a parsed device file is an overlay (it has an `overlay:` key).
bool isDeviceOverlay(const YAML::Node& root);

// Reads an overlay; errors carry the file and position.
Result<DeviceOverlay> parseDeviceOverlay(const YAML::Node& root, const std::string& fileName);

// `base` (a device description) with the overlay's keys merged over it, read as a device.
// Errors name the overlay file. The merged description is returned in `merged` for a
// further overlay.
Result<Device> applyDeviceOverlay(const YAML::Node& base, const DeviceOverlay& overlay,
                                  YAML::Node* merged = nullptr);

} // namespace codesign
