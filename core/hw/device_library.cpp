#include "device_library.h"

#include "../embedded_files.h"
#include "../util/yaml_fields.h"
#include "device_yaml.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace codesign {

DeviceLibrary DeviceLibrary::builtin() {
    DeviceLibrary lib;
    for (std::size_t i = 0; i < embedded::embeddedFileCount(); ++i) {
        const std::string_view name = embedded::embeddedFileName(i);
        if (name.substr(0, 18) != "resources/devices/")
            continue;
        Result<Device> d = parseDeviceText(embedded::embeddedFile(name), std::string(name));
        if (d.ok())
            lib.add(std::move(d).value());
        else
            lib.errors_.push_back(d.error());
    }
    return lib;
}

const DeviceLibrary& DeviceLibrary::standard() {
    static const DeviceLibrary lib = [] {
        DeviceLibrary l = builtin();
        const char* path = std::getenv("CODESIGN_DEVICE_PATH");
        if (!path)
            return l;
        std::string_view rest(path);
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const std::string dir(rest.substr(0, colon));
            rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
            std::error_code ec;
            if (dir.empty() || !std::filesystem::is_directory(dir, ec))
                continue;
            std::vector<std::filesystem::path> files;
            for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
                if (entry.path().extension() == ".yaml")
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
            for (const auto& file : files) {
                Result<Device> d = loadDeviceFile(file.string());
                if (!d.ok()) {
                    l.errors_.push_back(d.error());
                    continue;
                }
                Status added = l.add(std::move(d).value());
                if (!added.ok())
                    l.errors_.push_back(added.error());
            }
        }
        return l;
    }();
    return lib;
}

Status DeviceLibrary::add(Device device) {
    // A user file may replace a built-in device of the same name.
    auto same = std::find_if(devices_.begin(), devices_.end(),
                             [&](const Device& d) { return d.name == device.name; });
    if (same != devices_.end())
        *same = std::move(device);
    else
        devices_.push_back(std::move(device));
    return okStatus();
}

Result<Device> DeviceLibrary::find(std::string_view name) const {
    for (const Device& d : devices_) {
        if (d.name == name)
            return d;
        for (const std::string& alias : d.aliases)
            if (alias == name)
                return d;
    }
    std::string message = "unknown device '" + std::string(name) + "'";
    std::string best;
    std::size_t bestDistance = 4;
    std::string known;
    for (const Device& d : devices_) {
        known += (known.empty() ? "" : ", ") + d.name;
        const std::size_t dist = editDistance(name, d.name);
        if (dist < bestDistance) {
            bestDistance = dist;
            best = d.name;
        }
    }
    if (!best.empty())
        message += "; did you mean '" + best + "'?";
    message += " (known: " + known + ")";
    return makeError(message);
}

} // namespace codesign
