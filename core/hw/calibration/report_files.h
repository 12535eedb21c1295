#pragma once

// Finds the reports `codesign calibrate` is given and the design each describes. A design
// is a design folder: a folder with an estimate.json, as `codesign export` writes it. A
// report belongs to the nearest design folder above it; the CSV of measurements names
// design folders by their folder name (docs/cli.md, "calibrate").
#include "../../util/result.h"
#include "csynth_report.h"
#include "fps_csv.h"
#include "power_report.h"
#include "utilization_report.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace codesign {

struct DesignReports {
    std::string name;             // the folder's name
    std::filesystem::path folder; // holds estimate.json
    std::optional<HlsReport> hls; // csynth.xml
    std::optional<UtilizationReport> utilization;
    std::optional<PowerReport> power;
    std::optional<MeasuredRow> measured;
    std::string measuredFile; // the CSV the row is in
};

// Reads every argument: a report file, a CSV, or a folder searched for them (csynth.xml,
// *.rpt / *.txt holding report_utilization or report_power text, *.csv with a design,fps
// header; Vivado's own run folders are skipped) and for design folders. A file named
// explicitly wins over one of the same kind found in a folder; two of a kind for one design
// are an error naming both.
Result<std::vector<DesignReports>> findDesignReports(const std::vector<std::string>& arguments);

} // namespace codesign
