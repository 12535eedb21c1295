#pragma once

#include "result.h"

#include <filesystem>
#include <string_view>

namespace codesign {

// Every file the program writes goes through here: the bytes go to a temporary file beside
// the target, are flushed to disk, and replace the target by rename(2), so a reader (or the
// next start after a crash) never sees half a file.
Status writeFileAtomic(const std::filesystem::path& path, std::string_view bytes,
                       bool executable = false);

} // namespace codesign
