#include "labeled_image.h"

#include <algorithm>

namespace codesign::train {

double boxIou(const Box& a, const Box& b) {
    const double areaA = std::max(0.0, a.width()) * std::max(0.0, a.height());
    const double areaB = std::max(0.0, b.width()) * std::max(0.0, b.height());
    const double iw = std::max(0.0, std::min(a.x2, b.x2) - std::max(a.x1, b.x1));
    const double ih = std::max(0.0, std::min(a.y2, b.y2) - std::max(a.y1, b.y1));
    const double inter = iw * ih;
    const double uni = areaA + areaB - inter;
    return uni > 0 ? inter / uni : 0.0;
}

} // namespace codesign::train
