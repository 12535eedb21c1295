#pragma once

// Pascal-VOC style annotations, as DAC-SDC ships them: <annotation> with <filename>,
// <size><width><height>, and <object><name><bndbox><xmin>...</bndbox></object>.
#include "core/util/result.h"
#include "labeled_image.h"

#include <string>
#include <string_view>
#include <vector>

namespace codesign::train {

struct VocObject {
    std::string name;
    Box box;      // pixels
    int line = 0; // where its <bndbox> starts
};

struct VocAnnotation {
    std::string filename; // may be empty or lack the extension (DAC-SDC writes "0001")
    int width = 0;        // 0 when <size> is absent
    int height = 0;
    std::vector<VocObject> objects;
};

// Errors carry `path` and the line and column: malformed XML, a missing coordinate, a
// coordinate that is not a number, a box with no area.
Result<VocAnnotation> parseVocXml(std::string_view text, const std::string& path);

} // namespace codesign::train
