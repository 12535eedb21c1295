#pragma once

#include <cstddef>
#include <string_view>

// Text files compiled into the core (resources/devices/*.yaml, examples/*.yaml); generated
// by cmake/EmbedFilesScript.cmake. Paths are relative to resources/ or the project root.
namespace codesign::embedded {

std::string_view embeddedFile(std::string_view path); // empty when absent
std::size_t embeddedFileCount();
std::string_view embeddedFileName(std::size_t index);

} // namespace codesign::embedded
