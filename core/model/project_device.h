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

// The clock a run uses (docs/cli.md, "Devices and clocks"). A project's clock_mhz is
// chosen for the project's device, so it holds only there: `clockOverrideMhz` (the CLI's
// --clock, 0 when not given) wins; then the project's clock on its own device; on another
// device (the CLI's --device) that device's default clock. `mhz` is what goes into
// AcceleratorSpec::clockMhz (0: the device's default); `note`, when not empty, says in one
// line why the project's clock was set aside.
struct ClockChoice {
    double mhz = 0;
    std::string note;
};
ClockChoice chooseClock(const Project& project, const Device& device, bool projectsDevice,
                        double clockOverrideMhz = 0);

// Whether `device` is the project's own (named by name or alias, or described inline).
bool isProjectsDevice(const Project& project, const Device& device, const DeviceLibrary& library);

} // namespace codesign
