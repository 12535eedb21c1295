#pragma once

// The embedded default data set: deterministic single-object detection images. Textured
// backgrounds (gratings and value noise in two colours), one object of a few shapes,
// sizes, aspect ratios and colours, its tight box, and the shape as a class label.
#include "core/util/result.h"
#include "image.h"
#include "labeled_image.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace codesign::train {

struct SyntheticSpec {
    int count = 1024;
    int width = 0; // 0: the network input's
    int height = 0;
    std::uint64_t seed = 1;
};

inline constexpr int kSyntheticShapes = 4;
std::string_view syntheticShapeName(int shape); // "rectangle", "ellipse", "triangle", "cross"

struct SyntheticSample {
    Image image; // RGB, width x height of the spec
    Box box;     // fractions of the image size
    int shape = 0;
};

// Sample `index` of the set: the same pixels for the same spec, seed and index everywhere.
SyntheticSample syntheticSample(const SyntheticSpec& spec, int index);

// Writes the set in the DAC-SDC layout (FOLDER/<shape>/<index>.jpg + .xml), each file
// atomically, so that it can be inspected and read back by loadDacSdc.
Status writeSyntheticDacSdc(const SyntheticSpec& spec, const std::string& folder);

} // namespace codesign::train
