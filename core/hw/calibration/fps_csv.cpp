#include "fps_csv.h"

#include "../../util/yaml_fields.h"
#include "report_text.h"

#include <charconv>
#include <cmath>
#include <set>

namespace codesign {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> splitCells(std::string_view line) {
    std::vector<std::string_view> cells;
    while (true) {
        const std::size_t comma = line.find(',');
        cells.push_back(trim(line.substr(0, comma)));
        if (comma == std::string_view::npos)
            return cells;
        line.remove_prefix(comma + 1);
    }
}

bool skipped(std::string_view line) {
    line = trim(line);
    return line.empty() || line.front() == '#';
}

bool positiveNumber(std::string_view cell, double& out) {
    const char* end = cell.data() + cell.size();
    auto [ptr, ec] = std::from_chars(cell.data(), end, out);
    return !cell.empty() && ec == std::errc() && ptr == end && std::isfinite(out) && out > 0;
}

struct Columns {
    int design = -1, fps = -1, power = -1;
    std::size_t count = 0;
};

Result<Columns> readHeader(std::string_view line, int lineNo, const std::string& file) {
    Columns c;
    const std::vector<std::string_view> cells = splitCells(line);
    c.count = cells.size();
    for (std::size_t i = 0; i < cells.size(); ++i) {
        int* slot = cells[i] == "design"    ? &c.design
                    : cells[i] == "fps"     ? &c.fps
                    : cells[i] == "power_w" ? &c.power
                                            : nullptr;
        if (!slot) {
            std::string message = "unknown column '" + std::string(cells[i]) + "'";
            const std::string close = closestMatch(cells[i], {"design", "fps", "power_w"});
            message += close.empty() ? " (the columns are design, fps and power_w)"
                                     : "; did you mean '" + close + "'?";
            return reportError(file, lineNo, message);
        }
        if (*slot >= 0)
            return reportError(file, lineNo, "column '" + std::string(cells[i]) + "' twice");
        *slot = int(i);
    }
    if (c.design < 0 || c.fps < 0)
        return reportError(file, lineNo, "the header must name the columns design and fps");
    return c;
}

} // namespace

bool looksLikeMeasuredCsv(std::string_view text) {
    for (std::string_view line : splitLines(text)) {
        if (skipped(line))
            continue;
        bool design = false, fps = false;
        for (std::string_view cell : splitCells(line)) {
            design = design || cell == "design";
            fps = fps || cell == "fps";
        }
        return design && fps;
    }
    return false;
}

Result<MeasuredTable> parseMeasuredCsv(std::string_view text, const std::string& file) {
    MeasuredTable t;
    t.file = file;
    const std::vector<std::string_view> lines = splitLines(text);
    std::optional<Columns> cols;
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const int lineNo = int(i + 1);
        if (skipped(lines[i]))
            continue;
        if (lines[i].find('"') != std::string_view::npos)
            return reportError(file, lineNo, "quoted cells are not supported");
        if (!cols) {
            Result<Columns> c = readHeader(lines[i], lineNo, file);
            if (!c.ok())
                return c.error();
            cols = *c;
            continue;
        }
        const std::vector<std::string_view> cells = splitCells(lines[i]);
        if (cells.size() != cols->count)
            return reportError(file, lineNo,
                               std::to_string(cells.size()) + " cells, the header has " +
                                   std::to_string(cols->count));
        MeasuredRow row;
        row.line = lineNo;
        row.design = std::string(cells[std::size_t(cols->design)]);
        if (row.design.empty())
            return reportError(file, lineNo, "the design cell is empty");
        if (!seen.insert(row.design).second)
            return reportError(file, lineNo, "design '" + row.design + "' is measured twice");
        const std::string_view fps = cells[std::size_t(cols->fps)];
        if (!positiveNumber(fps, row.fps))
            return reportError(file, lineNo,
                               "fps '" + std::string(fps) + "' is not a positive number");
        if (cols->power >= 0 && !cells[std::size_t(cols->power)].empty()) {
            double w = 0;
            const std::string_view power = cells[std::size_t(cols->power)];
            if (!positiveNumber(power, w))
                return reportError(file, lineNo,
                                   "power_w '" + std::string(power) + "' is not a positive number");
            row.powerW = w;
        }
        t.rows.push_back(std::move(row));
    }
    if (!cols)
        return reportError(file, 0, "empty: expected a header design,fps[,power_w]");
    return t;
}

} // namespace codesign
