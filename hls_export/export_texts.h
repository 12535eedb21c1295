#pragma once

// The texts of an export that come from the estimate and the plan: the {{KEY}} values of
// the templates (README, scripts, driver), the weight image's table of contents and the
// estimate as JSON.
#include "core/estimate/design_estimate.h"
#include "core/model/project.h"
#include "core/reference/weight_set.h"
#include "export_plan.h"

#include <map>
#include <string>

namespace codesign::hls {

struct ExportTexts {
    const Project& project;
    const DesignEstimate& estimate;
    const HlsPlan& plan;
    const reference::WeightSet& weights;
    const std::string& weightsOrigin;
};

std::map<std::string, std::string> templateValues(const ExportTexts& t);
std::string weightsHeader(const ExportTexts& t);
std::string estimateJson(const ExportTexts& t);

} // namespace codesign::hls
