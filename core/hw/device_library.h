#pragma once

#include "../util/result.h"
#include "device.h"

#include <string>
#include <string_view>
#include <vector>

namespace codesign {

// The devices a project can name. The built-in ones are compiled in from
// resources/devices/*.yaml; more can be added from files (CODESIGN_DEVICE_PATH).
class DeviceLibrary {
public:
    // The compiled-in devices plus any *.yaml in the directories of CODESIGN_DEVICE_PATH
    // (colon-separated). Loaded once; a bad user file is reported by loadErrors().
    static const DeviceLibrary& standard();

    // Built-in devices only (tests use this for a fixed set).
    static DeviceLibrary builtin();

    Result<Device> find(std::string_view nameOrAlias) const;
    const std::vector<Device>& devices() const { return devices_; }
    const std::vector<Diagnostic>& loadErrors() const { return errors_; }

    Status add(Device device);

private:
    std::vector<Device> devices_;
    std::vector<Diagnostic> errors_;
};

} // namespace codesign
