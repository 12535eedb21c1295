#pragma once

// A small XML reader for the vendor reports the calibration reads (Vitis HLS csynth.xml):
// elements, attributes, character data, comments, processing instructions, CDATA and the
// predefined and numeric entities, each element with its line and column. No DTDs or
// namespaces (the reports use neither). The core has no XML library; this is all it needs.
#include "../../util/result.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codesign {

struct XmlElement {
    std::string name;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string text; // the character data directly inside, entities resolved
    std::vector<XmlElement> children;
    SourcePos pos;

    // The first child of that name, or nullptr.
    const XmlElement* child(std::string_view childName) const;
};

// The document's root element; errors carry `fileName` and the line and column.
Result<XmlElement> parseXml(std::string_view text, const std::string& fileName);

} // namespace codesign
