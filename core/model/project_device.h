#pragma once

#include "../hw/device_library.h"
#include "../util/result.h"
#include "project.h"

#include <string>

namespace codesign {

// The device a project runs on: its inline description, or its name looked up in the
// library; `overrideName` (the CLI's --device) wins over both. Errors point at `device:`.
Result<Device> resolveDevice(const Project& project, const DeviceLibrary& library,
                             const std::string& overrideName = {});

} // namespace codesign
