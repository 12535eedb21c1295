#pragma once

// The measurements made on the board, one CSV row per design:
//   design,fps,power_w        (header; power_w is optional, as is any cell of it)
//   dnn-a,29.7,2.40
// `design` names a design folder (docs/cli.md, "calibrate"); `fps` is frames per second of
// the accelerator, `power_w` the board's power while it runs. Lines starting with '#' and
// blank lines are skipped.
#include "../../util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codesign {

struct MeasuredRow {
    std::string design;
    double fps = 0;
    std::optional<double> powerW;
    int line = 0;
};

struct MeasuredTable {
    std::string file;
    std::vector<MeasuredRow> rows;
};

Result<MeasuredTable> parseMeasuredCsv(std::string_view text, const std::string& fileName);

// Whether the text's first line is a header naming `design` and `fps`.
bool looksLikeMeasuredCsv(std::string_view text);

} // namespace codesign
