#pragma once

#include "cli_args.h"
#include "core/hw/device.h"
#include "core/model/project.h"
#include "core/util/result.h"

#include <string>

namespace codesign::cli {

// --device NAME and --clock MHZ (docs/cli.md, "Devices and clocks"): the device a command
// runs on, with the project's clock set for it (chooseClock); prints one line on stderr
// when the project's own clock is set aside.
Result<Device> applyDeviceOptions(const Args& args, Project& project);

// The usage lines of the two options.
std::string deviceOptionsUsage(bool withDevice = true);

} // namespace codesign::cli
