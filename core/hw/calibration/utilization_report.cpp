#include "utilization_report.h"

#include "report_text.h"

#include <array>
#include <optional>
#include <vector>

namespace codesign {
namespace {

struct Lines {
    const std::vector<std::string_view>& lines;
    const std::string& file;
};

// A row's name without the '*' that marks estimates in a synthesized design's report.
std::string_view rowName(std::string_view cell) {
    while (!cell.empty() && cell.back() == '*')
        cell.remove_suffix(1);
    return cell;
}

// The "Used" column of the first summary row named one of `names`.
Result<std::optional<std::pair<double, int>>>
summaryValue(const Lines& in, std::initializer_list<std::string_view> names) {
    for (std::size_t i = 0; i < in.lines.size(); ++i) {
        const std::vector<std::string_view> cells = tableCells(in.lines[i]);
        if (cells.size() < 2)
            continue;
        const std::string_view name = rowName(cells[0]);
        bool match = false;
        for (std::string_view n : names)
            match = match || name == n;
        if (!match)
            continue;
        double v = 0;
        if (!parseReportNumber(cells[1], v) || v < 0)
            return reportError(in.file, int(i + 1),
                               "'" + std::string(cells[1]) + "' in the Used column of " +
                                   std::string(name) + " is not a count");
        return std::optional<std::pair<double, int>>(std::pair<double, int>{v, int(i + 1)});
    }
    return std::optional<std::pair<double, int>>{};
}

Result<UtilizationReport> readSummary(const Lines& in, UtilizationReport r) {
    struct Want {
        std::initializer_list<std::string_view> names;
        const char* what;
        double* value;
        int* line;
        double scale;
    };
    const std::array<Want, 4> wants{{
        {{"Slice LUTs", "CLB LUTs"}, "Slice LUTs / CLB LUTs", &r.lut, &r.lutLine, 1},
        {{"Slice Registers", "CLB Registers"},
         "Slice Registers / CLB Registers",
         &r.ff,
         &r.ffLine,
         1},
        {{"Block RAM Tile"}, "Block RAM Tile", &r.bram18, &r.bramLine, 2},
        {{"DSPs"}, "DSPs", &r.dsp, &r.dspLine, 1},
    }};
    for (const Want& w : wants) {
        Result<std::optional<std::pair<double, int>>> v = summaryValue(in, w.names);
        if (!v.ok())
            return v.error();
        if (!v->has_value())
            return reportError(in.file, 0,
                               std::string("no '") + w.what +
                                   "' row: not a report_utilization summary (or a part the "
                                   "calibration does not know)");
        *w.value = (*v)->first * w.scale;
        *w.line = (*v)->second;
    }
    return r;
}

// The column of `header` named one of `names`, or -1.
int columnOf(const std::vector<std::string_view>& header,
             std::initializer_list<std::string_view> names) {
    for (std::size_t c = 0; c < header.size(); ++c)
        for (std::string_view n : names)
            if (header[c] == n)
                return int(c);
    return -1;
}

Result<UtilizationReport> readHierarchy(const Lines& in, std::size_t headerLine,
                                        UtilizationReport r) {
    const std::vector<std::string_view> header = tableCells(in.lines[headerLine]);
    const int lut = columnOf(header, {"Total LUTs"});
    const int ff = columnOf(header, {"FFs"});
    const int b36 = columnOf(header, {"RAMB36"});
    const int b18 = columnOf(header, {"RAMB18"});
    const int dsp = columnOf(header, {"DSP48 Blocks", "DSP Blocks", "DSPs"});
    const int line = int(headerLine + 1);
    if (lut < 0 || ff < 0 || b36 < 0 || b18 < 0 || dsp < 0)
        return reportError(in.file, line,
                           "the hierarchy table lacks one of the columns Total LUTs, FFs, "
                           "RAMB36, RAMB18, DSP Blocks");
    for (std::size_t i = headerLine + 1; i < in.lines.size(); ++i) {
        const std::vector<std::string_view> cells = tableCells(in.lines[i]);
        if (cells.size() != header.size())
            continue; // the +---+ rule under the header
        const int row = int(i + 1);
        std::array<double, 5> v{};
        const std::array<int, 5> cols{lut, ff, b36, b18, dsp};
        for (std::size_t k = 0; k < cols.size(); ++k)
            if (!parseReportNumber(cells[std::size_t(cols[k])], v[k]) || v[k] < 0)
                return reportError(in.file, row,
                                   "'" + std::string(cells[std::size_t(cols[k])]) + "' in column " +
                                       std::string(header[std::size_t(cols[k])]) +
                                       " is not a count");
        r.lut = v[0];
        r.ff = v[1];
        r.bram18 = 2 * v[2] + v[3];
        r.dsp = v[4];
        r.lutLine = r.ffLine = r.bramLine = r.dspLine = row;
        return r;
    }
    return reportError(in.file, line, "the hierarchy table has no rows");
}

std::optional<std::size_t> hierarchyHeader(const std::vector<std::string_view>& lines) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::vector<std::string_view> cells = tableCells(lines[i]);
        if (cells.size() > 3 && cells[0] == "Instance" && cells[1] == "Module")
            return i;
    }
    return std::nullopt;
}

} // namespace

bool looksLikeUtilizationReport(std::string_view text) {
    const std::string_view head = text.substr(0, 4096);
    return head.find("report_utilization") != std::string_view::npos ||
           head.find("Utilization Design Information") != std::string_view::npos ||
           (head.find("| Instance") != std::string_view::npos &&
            head.find("Total LUTs") != std::string_view::npos);
}

Result<UtilizationReport> parseUtilizationReport(std::string_view text, const std::string& file) {
    const std::vector<std::string_view> lines = splitLines(text);
    UtilizationReport r;
    r.file = file;
    const HeaderField part = reportHeaderField(lines, "Device");
    r.part = part.value;
    r.partLine = part.line;
    const Lines in{lines, file};
    if (const std::optional<std::size_t> h = hierarchyHeader(lines)) {
        r.hierarchical = true;
        return readHierarchy(in, *h, r);
    }
    return readSummary(in, r);
}

} // namespace codesign
