#include "project.h"

#include <cmath>

namespace codesign {

int InputSpec::scaledHeight() const {
    return static_cast<int>(std::lround(height * resize));
}
int InputSpec::scaledWidth() const {
    return static_cast<int>(std::lround(width * resize));
}

const BundleDef* Project::findBundle(const std::string& bundleName) const {
    for (const BundleDef& b : bundles)
        if (b.name == bundleName)
            return &b;
    return nullptr;
}

} // namespace codesign
