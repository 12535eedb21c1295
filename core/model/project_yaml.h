#pragma once

#include "../util/result.h"
#include "project.h"

#include <string>
#include <string_view>

namespace codesign {

// Project files (docs/project-format.md). Errors carry FILE:LINE:COL.
Result<Project> parseProject(std::string_view text, const std::string& fileName);
Result<Project> loadProjectFile(const std::string& path);

// Canonical YAML for a project; parseProject(projectToYaml(p)) == p.
std::string projectToYaml(const Project& project);

// The project that opens when none is given (examples/dac19-dnn-a.yaml, compiled in).
Project defaultProject();
std::string_view defaultProjectText();

} // namespace codesign
