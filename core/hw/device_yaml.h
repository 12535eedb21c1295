#pragma once

#include "../util/result.h"
#include "device.h"

#include <string>
#include <string_view>
#include <yaml-cpp/yaml.h>

namespace codesign {

// Reads a device description (resources/devices/*.yaml, or an inline `device:` mapping).
// Throws YamlError; use parseDeviceText / loadDeviceFile for a Result.
Device readDevice(const YAML::Node& node);
Result<Device> parseDeviceText(std::string_view text, const std::string& fileName);
Result<Device> loadDeviceFile(const std::string& path);

// Writes the same fields back, for inline devices in saved projects.
void writeDevice(YAML::Emitter& out, const Device& device);

} // namespace codesign
