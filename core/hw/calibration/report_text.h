#pragma once

// What Vivado's text reports (report_utilization, report_power; UG835) have in common: a
// header of "| Key : value" lines and tables of "| cell | cell |" rows. The parsers of
// utilization_report.h and power_report.h read through these helpers.
#include "../../util/diagnostic.h"

#include <string>
#include <string_view>
#include <vector>

namespace codesign {

// The lines of a text (without their line ends); line k is lines[k - 1].
std::vector<std::string_view> splitLines(std::string_view text);

// The trimmed cells of a table row "| a | b |"; empty when the line is not a row.
std::vector<std::string_view> tableCells(std::string_view line);

// How far a row's first cell is indented (Vivado nests sub-rows by two spaces).
int firstCellIndent(std::string_view line);

// A number as the reports print it: "1234", "1.5", "0.219"; "<0.001" reads as 0 (below
// the report's resolution). False when the cell holds no number.
bool parseReportNumber(std::string_view cell, double& out);

// The value of a header line "| Key : value" (report_utilization, report_power), and its
// line number; empty when the header has no such key.
struct HeaderField {
    std::string value;
    int line = 0;
};
HeaderField reportHeaderField(const std::vector<std::string_view>& lines, std::string_view key);

// A Diagnostic at FILE:LINE:1 (the line as a whole).
Diagnostic reportError(const std::string& file, int line, std::string message);

} // namespace codesign
