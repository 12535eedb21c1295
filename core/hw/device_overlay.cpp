#include "device_overlay.h"

#include "../util/yaml_fields.h"
#include "device_yaml.h"

namespace codesign {
namespace {

// Copies the keys of `over` into `into`: mappings merge, anything else replaces. A key the
// device does not have is inserted as the overlay's own node, so that an error about it
// (a misspelt key) points into the overlay.
void mergeInto(YAML::Node into, const YAML::Node& over) {
    for (const auto& kv : over) {
        const std::string key = kv.first.as<std::string>();
        if (!into[key].IsDefined()) {
            into.remove(key);
            into.force_insert(kv.first, kv.second);
            continue;
        }
        YAML::Node existing = into[key];
        if (existing.IsMap() && kv.second.IsMap())
            mergeInto(existing, kv.second);
        else
            into[key] = kv.second;
    }
}

} // namespace

bool isDeviceOverlay(const YAML::Node& root) {
    return root.IsMap() && root["overlay"].IsDefined();
}

Result<DeviceOverlay> parseDeviceOverlay(const YAML::Node& root, const std::string& fileName) {
    try {
        rejectDuplicateKeys(root, "the device overlay");
        DeviceOverlay o;
        o.file = fileName;
        o.device = scalarString(root["overlay"], "the overlay's device name");
        o.keys = YAML::Node(YAML::NodeType::Map);
        for (const auto& kv : root) {
            const std::string key = kv.first.as<std::string>();
            if (key == "overlay")
                continue;
            if (key == "name" || key == "aliases")
                failAt(kv.first, "an overlay cannot change the device's " + key +
                                     " (it applies to the device named by overlay:)");
            o.keys[key] = kv.second;
        }
        return o;
    } catch (const YamlError& e) {
        Diagnostic d = e.diagnostic;
        d.file = fileName;
        return d;
    }
}

Result<Device> applyDeviceOverlay(const YAML::Node& base, const DeviceOverlay& overlay,
                                  YAML::Node* merged) {
    YAML::Node description = YAML::Clone(base);
    mergeInto(description, overlay.keys);
    try {
        Device d = readDevice(description);
        if (merged)
            *merged = description;
        return d;
    } catch (const YamlError& e) {
        Diagnostic d = e.diagnostic;
        d.file = overlay.file;
        return d;
    }
}

} // namespace codesign
