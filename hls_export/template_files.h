#pragma once

// The files under resources/templates, compiled in (cmake/EmbedFiles.cmake), and the
// {{NAME}} substitution the export applies to them.
#include "core/util/result.h"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace codesign::hls::templates {

std::string_view embeddedFile(std::string_view path); // empty when absent
std::size_t embeddedFileCount();
std::string_view embeddedFileName(std::size_t index);

} // namespace codesign::hls::templates

namespace codesign::hls {

// The template at `path` (relative to resources/templates) with every {{KEY}} replaced.
// A key without a value is an error (a template and the exporter out of step).
Result<std::string> fillTemplate(std::string_view path,
                                 const std::map<std::string, std::string>& values);

} // namespace codesign::hls
