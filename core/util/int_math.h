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

// std::llround(x) for |x| < 2^63 (half away from zero), inline: the estimator rounds a few
// terms per group, and the library call costs more than the rest of each term. Exact:
// x - trunc(x) has no rounding error.
inline std::int64_t roundHalfAway(double x) {
    const auto t = static_cast<std::int64_t>(x); // toward zero
    const double frac = x - static_cast<double>(t);
    return t + (frac >= 0.5 ? 1 : 0) - (frac <= -0.5 ? 1 : 0);
}

} // namespace codesign
