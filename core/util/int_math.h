#pragma once

// Integer arithmetic the estimator, the reference and the export share.
#include <cstdint>

namespace codesign {

// a / b rounded up, for a >= 0 and b > 0.
inline std::int64_t ceilDiv(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// The bits needed to count to v: the smallest k with 2^k >= v (0 for v <= 1).
inline int ceilLog2(std::int64_t v) {
    int bits = 0;
    while ((std::int64_t(1) << bits) < v)
        ++bits;
    return bits;
}

} // namespace codesign
