#include "project.h"

#include "accelerator_formats.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace codesign {

int InputSpec::scaledHeight() const {
    return static_cast<int>(std::lround(height * resize));
}
int InputSpec::scaledWidth() const {
    return static_cast<int>(std::lround(width * resize));
}

const char* fuseChoiceName(FuseChoice choice) {
    switch (choice) {
    case FuseChoice::None:
        return "none";
    case FuseChoice::Half:
        return "half";
    case FuseChoice::Full:
        return "full";
    }
    return "?";
}

bool takesInstanceChannels(const LayerSpec& l) {
    return l.channels <= 0 && l.expand <= 0 &&
           (l.op == Op::Conv || l.op == Op::PwConv || l.op == Op::Fc);
}

bool bundleTakesChannels(const BundleDef& b) {
    return std::any_of(b.layers.begin(), b.layers.end(), takesInstanceChannels);
}

const BundleDef* Project::findBundle(const std::string& bundleName) const {
    for (const BundleDef& b : bundles)
        if (b.name == bundleName)
            return &b;
    return nullptr;
}

std::string projectWeightsPath(const Project& p, const std::string& projectPath) {
    if (p.weights.empty())
        return {};
    const std::filesystem::path file(p.weights);
    if (file.is_absolute())
        return file.string();
    const std::string& base = projectPath.empty() ? p.sourceFile : projectPath;
    return (std::filesystem::path(base).parent_path() / file).lexically_normal().string();
}

std::vector<Diagnostic> projectNotices(const Project& p) {
    std::vector<Diagnostic> notices;
    const AcceleratorSpec& a = p.accelerator;
    if (a.autoSize) {
        const std::vector<std::string> ignored =
            acceleratorFormats()[a.family.index()].designFields(a);
        if (!ignored.empty()) {
            std::string list;
            for (const std::string& f : ignored)
                list += (list.empty() ? "" : ", ") + f;
            Diagnostic d = makeError("auto: true sizes the accelerator itself, so " + list +
                                         (ignored.size() == 1 ? " is" : " are") +
                                         " ignored (set auto: false to use " +
                                         (ignored.size() == 1 ? "it" : "them") + ")",
                                     a.pos);
            d.file = p.sourceFile;
            notices.push_back(std::move(d));
        }
    }
    return notices;
}

} // namespace codesign
