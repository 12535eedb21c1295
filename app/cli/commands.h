#pragma once

#include <string>
#include <vector>

namespace codesign::cli {

int runEstimate(const std::vector<std::string>& args);
int runDevices(const std::vector<std::string>& args);
int runExport(const std::vector<std::string>& args);
int runImport(const std::vector<std::string>& args);
int runExplore(const std::vector<std::string>& args);
int runBundles(const std::vector<std::string>& args);
int runTransform(const std::vector<std::string>& args);
int runCompare(const std::vector<std::string>& args);
int runCalibrate(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args); // in the training plugin (cmd_train.cpp)

} // namespace codesign::cli
