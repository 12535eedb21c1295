#include "power_report.h"

#include "report_text.h"

#include <array>

namespace codesign {
namespace {

// Vivado appends remarks to some values ("2.304 (Junction temp exceeded!)").
bool leadingNumber(std::string_view cell, double& out) {
    const std::size_t space = cell.find(' ');
    return parseReportNumber(cell.substr(0, space), out);
}

// The line after the section heading "1.1 On-Chip Components" (the table of contents has
// the same words, without the dashes under them).
std::size_t componentsSection(const std::vector<std::string_view>& lines) {
    for (std::size_t i = 0; i + 1 < lines.size(); ++i)
        if (lines[i].find("On-Chip Components") != std::string_view::npos &&
            lines[i + 1].substr(0, 3) == "---")
            return i + 2;
    return lines.size();
}

} // namespace

const PowerComponent* PowerReport::component(std::string_view name) const {
    for (const PowerComponent& c : components)
        if (c.name == name)
            return &c;
    return nullptr;
}

bool looksLikePowerReport(std::string_view text) {
    const std::string_view head = text.substr(0, 4096);
    return head.find("report_power") != std::string_view::npos ||
           head.find("Total On-Chip Power") != std::string_view::npos;
}

Result<PowerReport> parsePowerReport(std::string_view text, const std::string& file) {
    const std::vector<std::string_view> lines = splitLines(text);
    PowerReport r;
    r.file = file;
    const HeaderField part = reportHeaderField(lines, "Device");
    r.part = part.value;
    r.partLine = part.line;
    struct Want {
        std::string_view row;
        double* value;
        int* line;
    };
    const std::array<Want, 3> wants{{{"Total On-Chip Power (W)", &r.totalW, &r.totalLine},
                                     {"Dynamic (W)", &r.dynamicW, &r.dynamicLine},
                                     {"Device Static (W)", &r.deviceStaticW, &r.staticLine}}};
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::vector<std::string_view> cells = tableCells(lines[i]);
        if (cells.size() != 2)
            continue;
        for (const Want& w : wants) {
            if (cells[0] != w.row || *w.line != 0)
                continue;
            if (!leadingNumber(cells[1], *w.value) || *w.value < 0)
                return reportError(file, int(i + 1),
                                   "'" + std::string(cells[1]) + "' is not a power in W");
            *w.line = int(i + 1);
        }
    }
    for (const Want& w : wants)
        if (*w.line == 0)
            return reportError(file, 0,
                               "no '" + std::string(w.row) + "' row: not report_power output");
    const std::size_t start = componentsSection(lines);
    if (start >= lines.size())
        return reportError(file, 0, "no '1.1 On-Chip Components' section");
    for (std::size_t i = start; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        if (!line.empty() && line.front() != '|' && line.front() != '+')
            break; // the section's table has ended
        const std::vector<std::string_view> cells = tableCells(line);
        if (cells.size() < 2 || cells[0] == "On-Chip")
            continue;
        PowerComponent c;
        c.name = std::string(cells[0]);
        c.line = int(i + 1);
        if (!leadingNumber(cells[1], c.watts) || c.watts < 0)
            return reportError(file, c.line,
                               "'" + std::string(cells[1]) + "' is not a power in W (" + c.name +
                                   ")");
        const bool indented = firstCellIndent(line) > 1;
        if (indented && r.components.empty())
            return reportError(file, c.line, "an indented row before any component");
        if (indented)
            r.components.back().parts.push_back(std::move(c));
        else
            r.components.push_back(std::move(c));
    }
    return r;
}

} // namespace codesign
