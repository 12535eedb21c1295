#include "device_library.h"

#include "../embedded_files.h"
#include "../util/yaml_fields.h"
#include "../util/yaml_syntax.h"
#include "device_overlay.h"
#include "device_yaml.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace codesign {
namespace {

std::vector<std::filesystem::path> devicePathFolders() {
    std::vector<std::filesystem::path> dirs;
    const char* path = std::getenv("CODESIGN_DEVICE_PATH");
    std::string_view rest(path ? path : "");
    while (!rest.empty()) {
        const auto colon = rest.find(':');
        const std::string dir(rest.substr(0, colon));
        rest = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
        if (!dir.empty())
            dirs.emplace_back(dir);
    }
    return dirs;
}

Diagnostic fileError(std::string message, const std::string& file) {
    Diagnostic d = makeError(std::move(message));
    d.file = file;
    return d;
}

// The parsed YAML of a device file, or why it has none.
Result<YAML::Node> parseYamlFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fileError("cannot open device file", file.string());
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return YAML::Load(text.str());
    } catch (const YAML::Exception& e) {
        Diagnostic d =
            explainYamlSyntaxError(text.str(), e.msg, {e.mark.line + 1, e.mark.column + 1});
        d.file = file.string();
        return d;
    }
}

} // namespace

DeviceLibrary DeviceLibrary::builtin() {
    DeviceLibrary lib;
    for (std::size_t i = 0; i < embedded::embeddedFileCount(); ++i) {
        const std::string_view name = embedded::embeddedFileName(i);
        if (name.substr(0, 18) != "resources/devices/")
            continue;
        const std::string_view text = embedded::embeddedFile(name);
        Result<Device> d = parseDeviceText(text, std::string(name));
        if (d.ok())
            lib.add(std::move(d).value(), YAML::Load(std::string(text)));
        else
            lib.errors_.push_back(d.error());
    }
    return lib;
}

const DeviceLibrary& DeviceLibrary::standard() {
    static const DeviceLibrary lib = [] {
        DeviceLibrary l = builtin();
        const std::vector<std::filesystem::path> dirs = devicePathFolders();
        for (const auto& dir : dirs)
            l.loadFolder(dir, FileKind::Devices);
        for (const auto& dir : dirs)
            l.loadFolder(dir, FileKind::Overlays);
        return l;
    }();
    return lib;
}

void DeviceLibrary::loadFolder(const std::filesystem::path& dir, FileKind what) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".yaml")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& file : files)
        loadFile(file, what);
}

void DeviceLibrary::loadFile(const std::filesystem::path& file, FileKind what) {
    Result<YAML::Node> root = parseYamlFile(file);
    if (!root.ok()) {
        if (what == FileKind::Devices) // reported once, on the first pass
            errors_.push_back(root.error());
        return;
    }
    const bool overlay = isDeviceOverlay(*root);
    if (overlay != (what == FileKind::Overlays))
        return;
    if (!overlay) {
        Result<Device> d = loadDeviceFile(file.string());
        if (!d.ok()) {
            errors_.push_back(d.error());
            return;
        }
        if (Status added = add(std::move(d).value(), *root); !added.ok())
            errors_.push_back(added.error());
        return;
    }
    Result<DeviceOverlay> o = parseDeviceOverlay(*root, file.string());
    if (!o.ok()) {
        errors_.push_back(o.error());
        return;
    }
    auto it = std::find_if(devices_.begin(), devices_.end(),
                           [&](const Device& d) { return d.name == o->device; });
    if (it == devices_.end()) {
        errors_.push_back(
            fileError("overlay for an unknown device '" + o->device + "'", file.string()));
        return;
    }
    const std::size_t i = std::size_t(it - devices_.begin());
    YAML::Node merged;
    Result<Device> d = applyDeviceOverlay(descriptions_[i], *o, &merged);
    if (!d.ok()) {
        errors_.push_back(d.error());
        return;
    }
    d->overlayFiles = it->overlayFiles;
    d->overlayFiles.push_back(file.string());
    devices_[i] = std::move(d).value();
    descriptions_[i] = merged;
}

Result<Device> DeviceLibrary::withOverlay(std::string_view text,
                                          const std::string& fileName) const {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        return fileError("not YAML: " + e.msg, fileName);
    }
    Result<DeviceOverlay> o = parseDeviceOverlay(root, fileName);
    if (!o.ok())
        return o.error();
    for (std::size_t i = 0; i < devices_.size(); ++i)
        if (devices_[i].name == o->device)
            return applyDeviceOverlay(descriptions_[i], *o);
    return fileError("overlay for an unknown device '" + o->device + "'", fileName);
}

Status DeviceLibrary::add(Device device, YAML::Node description) {
    // A user file may replace a built-in device of the same name.
    auto same = std::find_if(devices_.begin(), devices_.end(),
                             [&](const Device& d) { return d.name == device.name; });
    if (same != devices_.end()) {
        const std::size_t i = std::size_t(same - devices_.begin());
        devices_[i] = std::move(device);
        descriptions_[i] = description;
    } else {
        devices_.push_back(std::move(device));
        descriptions_.push_back(description);
    }
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
