#include "project_device.h"

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

} // namespace codesign
