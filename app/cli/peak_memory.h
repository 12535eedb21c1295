#pragma once

// The largest resident set the process has had so far, in MiB (Linux: getrusage counts KiB).
#include <sys/resource.h>

namespace codesign::cli {

inline double peakMemoryMb() {
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

} // namespace codesign::cli
