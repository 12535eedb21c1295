#pragma once

#include "core/model/project.h"
#include "core/util/result.h"

#include <string>

namespace codesign::cli {

// Loads a project file and prints its notices (projectNotices: what it says that has no
// effect) on stderr, one line each: "codesign: note: FILE:LINE:COL: message".
Result<Project> loadProjectWithNotes(const std::string& path);

} // namespace codesign::cli
