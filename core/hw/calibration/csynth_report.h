#pragma once

// Vitis HLS's synthesis report in XML, <solution>/syn/report/csynth.xml (UG1399, "Output of
// C Synthesis"): the top function's estimated resources and latency.
#include "../../util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace codesign {

struct HlsReport {
    std::string file;
    std::string part; // UserAssignments/Part, as the tool writes it
    SourcePos partPos;
    std::string top;          // UserAssignments/TopModelName
    double targetClockNs = 0; // UserAssignments/TargetClockPeriod
    SourcePos targetClockPos;
    double estimatedClockNs = 0; // PerformanceEstimates/SummaryOfTimingAnalysis (0: absent)
    // SummaryOfOverallLatency, in cycles; absent when the tool could not bound it ("undef",
    // "?"), as for loops whose trip counts are known only at run time.
    std::optional<std::int64_t> bestLatency;
    std::optional<std::int64_t> worstLatency;
    // AreaEstimates/Resources: the HLS estimate of the IP alone.
    std::int64_t lut = 0;
    std::int64_t ff = 0;
    std::int64_t dsp = 0;
    std::int64_t bram18 = 0;
    SourcePos resourcesPos;
};

// Errors name the file and the element (line and column).
Result<HlsReport> parseCsynthReport(std::string_view text, const std::string& fileName);

// Whether the text looks like a csynth.xml (its root is <profile>).
bool looksLikeCsynthReport(std::string_view text);

} // namespace codesign
