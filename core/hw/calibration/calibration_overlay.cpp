#include "calibration_overlay.h"

#include "../../util/yaml_fields.h"

#include <cstdio>

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

} // namespace

std::string calibrationOverlayText(const CalibrationResult& result,
                                   const std::vector<CalibrationDesign>& designs) {
    std::string names;
    for (const CalibrationDesign& d : designs)
        names += (names.empty() ? "" : ", ") + d.name;
    std::string body;
    std::string section;
    for (const CoefficientResult& c : result.coefficients) {
        if (!c.fitted)
            continue;
        const std::string_view key = c.coefficient->key;
        const std::size_t dot = key.find('.');
        const std::string head(key.substr(0, dot));
        if (head != section) {
            body += head + ":\n";
            section = head;
        }
        const std::string line =
            "  " + std::string(key.substr(dot + 1)) + ": " + yamlNumber(c.after);
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
