#pragma once

// The transforms behind `codesign transform` (cmd_transform.cpp picks one by its flag).
#include <string>
#include <vector>

namespace codesign::cli {

int runLowRankTransform(const std::vector<std::string>& args); // --low-rank
int runFuseTransform(const std::vector<std::string>& args);    // --fuse half|full

} // namespace codesign::cli
