#pragma once

#include "../hw/device.h"
#include "../hw/resources.h"
#include "../util/json_writer.h"

namespace codesign {

// The `device` object of `codesign estimate --json` and `codesign compare --json`
// (docs/cli.md): the device's name, part and resources.
void writeDeviceJson(JsonWriter& w, const Device& device);

// The `resources` object of the same reports: what a design uses.
void writeResourcesJson(JsonWriter& w, const Resources& used);

} // namespace codesign
