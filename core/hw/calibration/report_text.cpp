#include "report_text.h"

#include <charconv>

namespace codesign {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    return lines;
}

std::vector<std::string_view> tableCells(std::string_view line) {
    std::vector<std::string_view> cells;
    line = trim(line);
    if (line.size() < 2 || line.front() != '|' || line.back() != '|')
        return cells;
    line = line.substr(1, line.size() - 2);
    while (true) {
        const std::size_t bar = line.find('|');
        cells.push_back(trim(line.substr(0, bar)));
        if (bar == std::string_view::npos)
            break;
        line.remove_prefix(bar + 1);
    }
    return cells;
}

int firstCellIndent(std::string_view line) {
    const std::size_t bar = line.find('|');
    if (bar == std::string_view::npos)
        return 0;
    int n = 0;
    for (std::size_t i = bar + 1; i < line.size() && line[i] == ' '; ++i)
        ++n;
    return n;
}

bool parseReportNumber(std::string_view cell, double& out) {
    cell = trim(cell);
    if (!cell.empty() && cell.front() == '<') { // "<0.001": below the resolution
        double bound = 0;
        if (!parseReportNumber(cell.substr(1), bound))
            return false;
        out = 0;
        return true;
    }
    std::string digits;
    for (char c : cell)
        if (c != ',') // thousands separators of some report versions
            digits += c;
    if (digits.empty())
        return false;
    const char* end = digits.data() + digits.size();
    auto [ptr, ec] = std::from_chars(digits.data(), end, out);
    return ec == std::errc() && ptr == end;
}

HeaderField reportHeaderField(const std::vector<std::string_view>& lines, std::string_view key) {
    for (std::size_t i = 0; i < lines.size() && i < 40; ++i) {
        std::string_view l = trim(lines[i]);
        if (l.empty() || l.front() != '|')
            continue;
        l = trim(l.substr(1));
        if (l.substr(0, key.size()) != key)
            continue;
        std::string_view rest = trim(l.substr(key.size()));
        if (rest.empty() || rest.front() != ':')
            continue;
        return {std::string(trim(rest.substr(1))), int(i + 1)};
    }
    return {};
}

Diagnostic reportError(const std::string& file, int line, std::string message) {
    Diagnostic d = makeError(std::move(message), {line, line > 0 ? 1 : 0});
    d.file = file;
    return d;
}

} // namespace codesign
