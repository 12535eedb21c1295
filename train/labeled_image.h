#pragma once

// What the data-set loaders produce: image files with one object box each, and the
// problems they found (by file and line) when asked to skip bad entries.
#include "core/util/diagnostic.h"

#include <string>
#include <vector>

namespace codesign::train {

// A box as corner coordinates. Loaders give pixels of the original image; the prepared
// samples hold fractions of the image size (0..1), which resizing does not change.
struct Box {
    double x1 = 0;
    double y1 = 0;
    double x2 = 0;
    double y2 = 0;

    double width() const { return x2 - x1; }
    double height() const { return y2 - y1; }
    friend bool operator==(const Box&, const Box&) = default;
};

// Intersection over union; 0 when either box is empty.
double boxIou(const Box& a, const Box& b);

struct LabeledImage {
    std::string imagePath;
    Box box;               // pixels of the image file
    int declaredWidth = 0; // image size the annotation states; 0 when it does not
    int declaredHeight = 0;
    std::string label;  // object class; empty when the source has none
    std::string origin; // "annotation.xml:12" or "list.csv:7", for messages
};

// Bad or missing files: stop at the first, or report and leave them out.
enum class BadFilePolicy { Fail, Skip };

struct ImageList {
    std::vector<LabeledImage> items;
    std::vector<Diagnostic> skipped; // with BadFilePolicy::Skip: what was left out and why
};

} // namespace codesign::train
