#include "device_options.h"

#include "core/hw/device_library.h"
#include "core/model/project_device.h"

#include <iostream>

namespace codesign::cli {

Result<Device> applyDeviceOptions(const Args& args, Project& project) {
    double clock = 0;
    if (args.has("clock") &&
        (!parseNumber(args.option("clock"), clock) || !(clock > 0) || clock > 2000))
        return makeError("--clock must be the accelerator's clock in MHz, above 0 and at most "
                         "2000");
    const DeviceLibrary& library = DeviceLibrary::standard();
    Result<Device> device = resolveDevice(project, library, args.option("device"));
    if (!device.ok())
        return device;
    const ClockChoice choice =
        chooseClock(project, *device, isProjectsDevice(project, *device, library), clock);
    project.accelerator.clockMhz = choice.mhz;
    if (!choice.note.empty())
        std::cerr << "codesign: note: " << choice.note << "\n";
    return device;
}

std::string deviceOptionsUsage(bool withDevice) {
    std::string s;
    if (withDevice)
        s += "  --device NAME     run on another device of the library, at its default clock\n";
    s += "  --clock MHZ       the accelerator's clock (default: the project's clock_mhz on\n"
         "                    its own device, else the device's default clock)\n";
    return s;
}

} // namespace codesign::cli
