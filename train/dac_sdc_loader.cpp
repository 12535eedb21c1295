#include "dataset_loaders.h"
#include "voc_xml.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

namespace codesign::train {
namespace {

namespace fs = std::filesystem;

// Boxes may touch the border; a pixel of slack absorbs 1-based VOC coordinates.
constexpr double kBorderSlack = 1.0;

Diagnostic fileError(const fs::path& path, int line, std::string message) {
    Diagnostic d = makeError(std::move(message), {line, line > 0 ? 1 : 0});
    d.file = path.string();
    return d;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isJpegName(const fs::path& p) {
    const std::string ext = lower(p.extension().string());
    return ext == ".jpg" || ext == ".jpeg";
}

// The image an annotation describes: same stem beside it, else its <filename>.
std::optional<fs::path> findImage(const fs::path& xmlPath, const std::string& declared) {
    std::error_code ec;
    for (const char* ext : {".jpg", ".jpeg", ".JPG", ".JPEG"}) {
        fs::path candidate = xmlPath;
        candidate.replace_extension(ext);
        if (fs::is_regular_file(candidate, ec))
            return candidate;
    }
    if (!declared.empty()) {
        fs::path candidate = xmlPath.parent_path() / declared;
        if (!candidate.has_extension())
            candidate += ".jpg";
        if (fs::is_regular_file(candidate, ec))
            return candidate;
    }
    return std::nullopt;
}

// One annotation file -> one labelled image, or why not.
Result<LabeledImage> readAnnotation(const fs::path& xmlPath) {
    std::ifstream in(xmlPath, std::ios::binary);
    if (!in)
        return fileError(xmlPath, 0, "cannot read the annotation");
    std::ostringstream text;
    text << in.rdbuf();
    Result<VocAnnotation> parsed = parseVocXml(text.str(), xmlPath.string());
    if (!parsed.ok())
        return parsed.error();
    const VocAnnotation& a = *parsed;
    if (a.objects.size() != 1)
        return fileError(xmlPath, a.objects.empty() ? 1 : a.objects[1].line,
                         "the annotation has " + std::to_string(a.objects.size()) +
                             " objects; single-object detection needs exactly one");
    const VocObject& o = a.objects.front();
    if (a.width > 0 && a.height > 0 &&
        (o.box.x1 < -kBorderSlack || o.box.y1 < -kBorderSlack ||
         o.box.x2 > a.width + kBorderSlack || o.box.y2 > a.height + kBorderSlack))
        return fileError(xmlPath, o.line,
                         "the box lies outside the " + std::to_string(a.width) + "x" +
                             std::to_string(a.height) + " image");
    std::optional<fs::path> image = findImage(xmlPath, a.filename);
    if (!image) {
        fs::path expected = xmlPath;
        expected.replace_extension(".jpg");
        return fileError(xmlPath, 0,
                         "no image for this annotation (looked for " +
                             expected.filename().string() +
                             (a.filename.empty() ? "" : " and '" + a.filename + "'") + ")");
    }
    LabeledImage item;
    item.imagePath = image->string();
    item.box = o.box;
    item.declaredWidth = a.width;
    item.declaredHeight = a.height;
    item.label = !o.name.empty() ? o.name : xmlPath.parent_path().filename().string();
    item.origin = xmlPath.string() + ":" + std::to_string(o.line);
    return item;
}

} // namespace

Result<ImageList> loadDacSdc(const std::string& folder, BadFilePolicy policy) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return fileError(folder, 0, "no such data folder");
    std::vector<fs::path> annotations;
    std::size_t images = 0;
    for (fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec))
            continue;
        if (lower(it->path().extension().string()) == ".xml")
            annotations.push_back(it->path());
        else if (isJpegName(it->path()))
            ++images;
    }
    if (ec)
        return fileError(folder, 0, "cannot list the data folder: " + ec.message());
    if (annotations.empty())
        return fileError(folder, 0,
                         "no annotations found (" + std::to_string(images) +
                             " JPEG images; the DAC-SDC layout has an XML file beside each)");
    std::sort(annotations.begin(), annotations.end()); // the same order on every machine
    ImageList list;
    for (const fs::path& xml : annotations) {
        Result<LabeledImage> item = readAnnotation(xml);
        if (item.ok()) {
            list.items.push_back(std::move(item).value());
            continue;
        }
        if (policy == BadFilePolicy::Fail)
            return item.error();
        list.skipped.push_back(item.error());
    }
    if (list.items.empty())
        return fileError(
            folder, 0,
            "none of the " + std::to_string(annotations.size()) +
                " annotations is usable (first problem: " + list.skipped.front().format() + ")");
    return list;
}

Result<ImageList> loadImageList(const std::string& path, BadFilePolicy policy) {
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return loadDacSdc(path, policy);
    if (fs::is_regular_file(path, ec))
        return loadBoxCsv(path, policy);
    return fileError(path, 0, "no such data folder or CSV file");
}

} // namespace codesign::train
