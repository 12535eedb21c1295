#include "dataset_loaders.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>

namespace codesign::train {
namespace {

namespace fs = std::filesystem;

struct Field {
    std::string text;
    int column = 1; // 1-based, where the field starts
};

// Splits one CSV line; fields may be double-quoted ("" inside quotes is a quote).
std::optional<std::vector<Field>> splitLine(const std::string& line, int& badColumn) {
    std::vector<Field> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                fields.back().text += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                fields.back().text += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.push_back({{}, static_cast<int>(i) + 2});
        } else if (c != '\r') {
            fields.back().text += c;
        }
    }
    if (quoted) {
        badColumn = static_cast<int>(line.size());
        return std::nullopt;
    }
    for (Field& f : fields) { // surrounding blanks are not part of the value
        const auto first = f.text.find_first_not_of(" \t");
        const auto last = f.text.find_last_not_of(" \t");
        f.text =
            first == std::string::npos ? std::string() : f.text.substr(first, last - first + 1);
    }
    return fields;
}

bool toNumber(const std::string& s, double& out) {
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, out);
    return !s.empty() && ec == std::errc() && ptr == end && std::isfinite(out);
}

Diagnostic lineError(const std::string& csv, int line, int column, std::string message) {
    Diagnostic d = makeError(std::move(message), {line, column});
    d.file = csv;
    return d;
}

constexpr const char* kCornerNames[4] = {"x1", "y1", "x2", "y2"};

// One data line -> a labelled image, or the problem with its position.
Result<LabeledImage> parseRow(const std::vector<Field>& fields, const std::string& csv,
                              const fs::path& base, int line) {
    if (fields.size() != 5 && fields.size() != 6)
        return lineError(csv, line, 1,
                         "expected 5 or 6 fields (path,x1,y1,x2,y2[,label]), found " +
                             std::to_string(fields.size()));
    if (fields[0].text.empty())
        return lineError(csv, line, 1, "the image path is empty");
    double v[4] = {};
    for (int k = 0; k < 4; ++k) {
        const Field& f = fields[static_cast<std::size_t>(k) + 1];
        if (!toNumber(f.text, v[k]))
            return lineError(csv, line, f.column,
                             std::string(kCornerNames[k]) + " '" + f.text + "' is not a number");
    }
    if (v[2] <= v[0] || v[3] <= v[1])
        return lineError(csv, line, fields[1].column,
                         "the box has no area (x2 must exceed x1 and y2 y1)");
    if (v[0] < -1 || v[1] < -1)
        return lineError(csv, line, fields[1].column, "the box starts outside the image");
    fs::path image = fields[0].text;
    if (image.is_relative())
        image = base / image;
    std::error_code ec;
    if (!fs::is_regular_file(image, ec))
        return lineError(csv, line, fields[0].column, "image '" + image.string() + "' not found");
    LabeledImage item;
    item.imagePath = image.string();
    item.box = {v[0], v[1], v[2], v[3]};
    if (fields.size() == 6)
        item.label = fields[5].text;
    item.origin = csv + ":" + std::to_string(line);
    return item;
}

} // namespace

Result<ImageList> loadBoxCsv(const std::string& csvPath, BadFilePolicy policy) {
    std::ifstream in(csvPath);
    if (!in)
        return lineError(csvPath, 0, 0, "cannot read the CSV file");
    const fs::path base = fs::path(csvPath).parent_path();
    ImageList list;
    std::string text;
    int line = 0;
    bool firstData = true;
    while (std::getline(in, text)) {
        ++line;
        if (text.find_first_not_of(" \t\r") == std::string::npos || text.front() == '#')
            continue;
        int badColumn = 0;
        std::optional<std::vector<Field>> fields = splitLine(text, badColumn);
        Result<LabeledImage> item =
            fields ? parseRow(*fields, csvPath, base, line)
                   : Result<LabeledImage>(lineError(csvPath, line, badColumn, "unclosed quote"));
        // A first line whose corners are not numbers is the header.
        if (firstData && fields && fields->size() >= 5) {
            double unused = 0;
            firstData = false;
            if (!toNumber((*fields)[1].text, unused) && !toNumber((*fields)[3].text, unused))
                continue;
        }
        firstData = false;
        if (item.ok()) {
            list.items.push_back(std::move(item).value());
            continue;
        }
        if (policy == BadFilePolicy::Fail)
            return item.error();
        list.skipped.push_back(item.error());
    }
    if (list.items.empty())
        return lineError(
            csvPath, 0, 0,
            list.skipped.empty()
                ? "the CSV lists no images (expected lines path,x1,y1,x2,y2[,label])"
                : "none of its " + std::to_string(list.skipped.size()) +
                      " lines is usable (first problem: " + list.skipped.front().format() + ")");
    return list;
}

} // namespace codesign::train
