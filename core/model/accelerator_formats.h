#pragma once

// One entry per accelerator family: how its keys of `accelerator:` read and write. The
// table is in the order of FamilySpec's alternatives.
#include "../util/yaml_fields.h"
#include "accelerator_spec.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace codesign {

struct AcceleratorFormat {
    std::string_view arch; // the `arch:` value
    FamilySpec (*make)();  // the family's defaults
    // Whether the section names a design of its own (then `auto:` defaults to false).
    bool (*namesDesign)(const YamlFields& f);
    // Reads the family's keys into spec.family (already made by `make`).
    void (*read)(YamlFields& f, AcceleratorSpec& spec);
    // A fixed design (auto: false) must say what it is: fails at `node` when it does not.
    void (*checkFixed)(const YAML::Node& node, const AcceleratorSpec& spec);
    void (*write)(YAML::Emitter& out, const AcceleratorSpec& spec);
    // The design's fields as written ("pw_in: 64", "tile: [8, 8]"): what auto sizing
    // ignores, for the note the CLI prints.
    std::vector<std::string> (*designFields)(const AcceleratorSpec& spec);
};

std::span<const AcceleratorFormat> acceleratorFormats();
const AcceleratorFormat* findAcceleratorFormat(std::string_view arch);

// The families' formats (one file each).
AcceleratorFormat tiledAcceleratorFormat();
AcceleratorFormat streamingAcceleratorFormat();

} // namespace codesign
