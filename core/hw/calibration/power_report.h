#pragma once

// Vivado's `report_power` text (UG907 "Power Analysis", UG835): the summary ("Total On-Chip
// Power (W)", "Dynamic (W)", "Device Static (W)") and the per-resource breakdown of section
// "1.1 On-Chip Components" (Clocks, Slice Logic / CLB Logic, Signals, Block RAM, DSPs, I/O,
// PS7 / PS8, ...).
#include "../../util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace codesign {

struct PowerComponent {
    std::string name; // as the report writes it
    double watts = 0;
    int line = 0;
    std::vector<PowerComponent> parts; // the indented rows under it ("Register", ...)
};

struct PowerReport {
    std::string file;
    std::string part; // the header's "Device"; may be empty
    int partLine = 0;
    double totalW = 0;
    double dynamicW = 0;
    double deviceStaticW = 0;
    int totalLine = 0, dynamicLine = 0, staticLine = 0;
    std::vector<PowerComponent> components; // the top-level rows, not their sub-rows

    const PowerComponent* component(std::string_view name) const;
};

Result<PowerReport> parsePowerReport(std::string_view text, const std::string& fileName);

// Whether the text is report_power output.
bool looksLikePowerReport(std::string_view text);

} // namespace codesign
