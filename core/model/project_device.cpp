#include "project_device.h"

#include <charconv>

namespace codesign {

Result<Device> resolveDevice(const Project& project, const DeviceLibrary& library,
                             const std::string& overrideName) {
    if (!overrideName.empty()) {
        Result<Device> d = library.find(overrideName);
        if (!d.ok())
            d.error().message = "--device: " + d.error().message;
        return d;
    }
    if (project.device.inlineDevice)
        return *project.device.inlineDevice;
    Result<Device> d = library.find(project.device.name);
    if (!d.ok()) {
        d.error().file = project.sourceFile;
        d.error().pos = project.device.pos;
    }
    return d;
}

namespace {

// 100, 187.5: the shortest text that reads back to the same number.
std::string mhzText(double mhz) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, mhz);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(mhz);
}

} // namespace

ClockChoice chooseClock(const Project& project, const Device& device, bool projectsDevice,
                        double clockOverrideMhz) {
    if (clockOverrideMhz > 0)
        return {clockOverrideMhz, {}};
    const double own = project.accelerator.clockMhz;
    if (projectsDevice || own <= 0)
        return {own, {}};
    if (own == device.defaultClockMhz)
        return {0, {}};
    const std::string from =
        project.device.inlineDevice ? project.device.inlineDevice->name : project.device.name;
    return {0, "on " + device.name + " at its default clock, " + mhzText(device.defaultClockMhz) +
                   " MHz: the project's clock_mhz " + mhzText(own) + " is for " + from +
                   " (--clock MHZ sets another)"};
}

bool isProjectsDevice(const Project& project, const Device& device, const DeviceLibrary& library) {
    if (project.device.inlineDevice)
        return project.device.inlineDevice->name == device.name &&
               project.device.inlineDevice->part == device.part;
    Result<Device> own = library.find(project.device.name);
    return own.ok() && own->name == device.name;
}

} // namespace codesign
