#include "calibration_overlay.h"

#include "../../util/yaml_fields.h"

#include <cstdio>
#include <string_view>
#include <vector>

namespace codesign {
namespace {

std::string comment(const CoefficientResult& c) {
    std::string s = "was " + yamlNumber(c.before);
    if (c.stdError && c.after != 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, ", +- %.1f %%", 100 * *c.stdError / std::abs(c.after));
        s += buf;
    }
    if (!c.note.empty())
        s += "; " + c.note;
    return s;
}

// "memory.ddr_efficiency.mixed_random" -> memory, ddr_efficiency, mixed_random.
std::vector<std::string> keyPath(std::string_view key) {
    std::vector<std::string> parts;
    for (std::size_t from = 0;;) {
        const std::size_t dot = key.find('.', from);
        parts.emplace_back(key.substr(from, dot - from));
        if (dot == std::string_view::npos)
            return parts;
        from = dot + 1;
    }
}

} // namespace

std::string calibrationOverlayText(const CalibrationResult& result,
                                   const std::vector<CalibrationDesign>& designs) {
    std::string names;
    for (const CalibrationDesign& d : designs)
        names += (names.empty() ? "" : ", ") + d.name;
    std::string body;
    std::vector<std::string> open; // the sections written last, outermost first
    for (const CoefficientResult& c : result.coefficients) {
        if (!c.fitted)
            continue;
        const std::vector<std::string> path = keyPath(c.coefficient->key);
        std::size_t depth = 0; // sections shared with the key before
        while (depth + 1 < path.size() && depth < open.size() && open[depth] == path[depth])
            ++depth;
        open.resize(depth);
        for (; depth + 1 < path.size(); ++depth) {
            body += std::string(2 * depth, ' ') + path[depth] + ":\n";
            open.push_back(path[depth]);
        }
        const std::string line =
            std::string(2 * depth, ' ') + path.back() + ": " + yamlNumber(c.after);
        body += line + std::string(line.size() < 36 ? 36 - line.size() : 1, ' ') + "# " +
                comment(c) + "\n";
    }
    if (body.empty())
        return {};
    return "# Written by codesign calibrate from " + std::to_string(designs.size()) +
           " design(s): " + names +
           ".\n# Loaded over the library's device of the same name (docs/estimator.md, "
           "\"Calibration\").\noverlay: " +
           result.before.name + "\n" + body;
}

} // namespace codesign
