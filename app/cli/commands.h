#pragma once

#include <string>
#include <vector>

namespace codesign::cli {

int runEstimate(const std::vector<std::string>& args);
int runDevices(const std::vector<std::string>& args);
int runExport(const std::vector<std::string>& args);
int runExplore(const std::vector<std::string>& args);
int runBundles(const std::vector<std::string>& args);

} // namespace codesign::cli
