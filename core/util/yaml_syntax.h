#pragma once

#include "diagnostic.h"

#include <string>
#include <string_view>

namespace codesign {

// A YAML syntax error in the user's words. yaml-cpp reports where it gave up and a
// parser's reason ("end of map flow not found", "illegal block entry"); this looks at the
// text around that position and says what is wrong: a tab in the indentation, a bracket or
// a quote that is not closed (and where it opened), one bracket too many, a line indented
// to no level above it. `pos` is yaml-cpp's (1-based); the result keeps it, except that a
// tab is pointed at itself. Messages it does not know are kept, marked as YAML syntax.
Diagnostic explainYamlSyntaxError(std::string_view text, const std::string& parserMessage,
                                  SourcePos pos);

} // namespace codesign
