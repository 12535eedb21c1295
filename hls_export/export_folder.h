#pragma once

// The export's output folder: one transaction (core/util/staged_folder.h).
#include "core/util/staged_folder.h"

namespace codesign::hls {
using ExportFolder = codesign::StagedFolder;
} // namespace codesign::hls
