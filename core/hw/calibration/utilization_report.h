#pragma once

// Vivado's `report_utilization` text (UG906 "Report Utilization", UG835): either the summary
// tables (7-series: "Slice LUTs", "Slice Registers"; UltraScale+: "CLB LUTs", "CLB
// Registers"; both: "Block RAM Tile", "DSPs") or, with -hierarchical, the "Utilization by
// Hierarchy" table, whose first row is the whole design.
#include "../../util/result.h"

#include <string>
#include <string_view>

namespace codesign {

struct UtilizationReport {
    std::string file;
    std::string part; // the header's "Device" (e.g. "7z020clg400-1"); may be empty
    int partLine = 0;
    bool hierarchical = false;
    double lut = 0;
    double ff = 0;
    double bram18 = 0; // Block RAM Tile counts RAMB36 halves: 2 x tiles
    double dsp = 0;
    int lutLine = 0, ffLine = 0, bramLine = 0, dspLine = 0;
};

Result<UtilizationReport> parseUtilizationReport(std::string_view text,
                                                 const std::string& fileName);

// Whether the text is report_utilization output (by its header or its tables).
bool looksLikeUtilizationReport(std::string_view text);

} // namespace codesign
