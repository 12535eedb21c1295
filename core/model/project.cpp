#include "project.h"

#include <algorithm>
#include <cmath>

namespace codesign {

int InputSpec::scaledHeight() const {
    return static_cast<int>(std::lround(height * resize));
}
int InputSpec::scaledWidth() const {
    return static_cast<int>(std::lround(width * resize));
}

bool takesInstanceChannels(const LayerSpec& l) {
    return l.channels <= 0 && (l.op == Op::Conv || l.op == Op::PwConv || l.op == Op::Fc);
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

namespace {

std::string pair(int a, int b) {
    return "[" + std::to_string(a) + ", " + std::to_string(b) + "]";
}

} // namespace

std::vector<Diagnostic> projectNotices(const Project& p) {
    std::vector<Diagnostic> notices;
    const AcceleratorSpec& a = p.accelerator;
    if (a.autoSize) {
        std::vector<std::string> ignored;
        if (a.pwIn > 0)
            ignored.push_back("pw_in: " + std::to_string(a.pwIn));
        if (a.pwOut > 0)
            ignored.push_back("pw_out: " + std::to_string(a.pwOut));
        if (a.dwParallel > 0)
            ignored.push_back("dw_parallel: " + std::to_string(a.dwParallel));
        if (a.tileRows > 0)
            ignored.push_back("tile: " + pair(a.tileRows, a.tileCols));
        if (a.tileGridRows > 0)
            ignored.push_back("tile_grid: " + pair(a.tileGridRows, a.tileGridCols));
        if (!a.groupTiles.empty())
            ignored.push_back("group_tiles");
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
