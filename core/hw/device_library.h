#pragma once

#include "../util/result.h"
#include "device.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace codesign {

// The devices a project can name. The built-in ones are compiled in from
// resources/devices/*.yaml; more can be added from files (CODESIGN_DEVICE_PATH), and
// overlays (device_overlay.h) change a device's keys, such as its calibrated coefficients.
// Precedence, last wins: built-in devices; device files of CODESIGN_DEVICE_PATH; overlays of
// CODESIGN_DEVICE_PATH. Within a folder, files apply in name order.
class DeviceLibrary {
public:
    // The compiled-in devices plus the device files and overlays (*.yaml) in the directories
    // of CODESIGN_DEVICE_PATH (colon-separated). Loaded once; a bad user file is reported by
    // loadErrors().
    static const DeviceLibrary& standard();

    // Built-in devices only (tests use this for a fixed set).
    static DeviceLibrary builtin();

    Result<Device> find(std::string_view nameOrAlias) const;
    const std::vector<Device>& devices() const { return devices_; }
    const std::vector<Diagnostic>& loadErrors() const { return errors_; }

    // The device an overlay's text would give, without adding it (checks what a calibration
    // is about to write). Errors name `fileName`.
    Result<Device> withOverlay(std::string_view text, const std::string& fileName) const;

    // A device, with the description it was read from (overlays merge over it).
    Status add(Device device, YAML::Node description = {});

    // The *.yaml files of `dir`: device files (with `what` = Devices) or overlays. Errors go
    // to loadErrors(); a missing folder is no error.
    enum class FileKind { Devices, Overlays };
    void loadFolder(const std::filesystem::path& dir, FileKind what);

private:
    void loadFile(const std::filesystem::path& file, FileKind what);

    std::vector<Device> devices_;
    std::vector<YAML::Node> descriptions_; // parallel to devices_
    std::vector<Diagnostic> errors_;
};

} // namespace codesign
