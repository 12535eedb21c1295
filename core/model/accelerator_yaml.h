#pragma once

// The `accelerator:` section of a project file (docs/project-format.md): the keys every
// family shares, then the family's own, chosen by `arch:`. Each family's keys are read and
// written by one format (accelerator_formats.h); the readers throw YamlError.
#include "accelerator_spec.h"

#include <yaml-cpp/yaml.h>

namespace codesign {

AcceleratorSpec readAccelerator(const YAML::Node& node);
void writeAccelerator(YAML::Emitter& out, const AcceleratorSpec& spec);

} // namespace codesign
