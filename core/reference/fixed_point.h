#pragma once

// The fixed-point arithmetic of the reference (docs/export.md, "Fixed-point arithmetic").
// A value of format fixed<W,I> is held as its raw two's complement integer r: the value is
// r * 2^-F with F = W - I fractional bits. Every function here is exact integer arithmetic;
// the only place a value changes is the quantization to a format, which follows the
// ap_fixed rules: first the rounding mode (Q), then the overflow mode (O).
#include "core/model/fixed_type.h"

#include <cstdint>

namespace codesign::reference {

inline int fracBits(const FixedType& t) {
    return t.width - t.integer;
}
std::int64_t maxRaw(const FixedType& t); //  2^(W-1) - 1
std::int64_t minRaw(const FixedType& t); // -2^(W-1)

// The raw value of `raw * 2^-fromFrac` in format `to`: rounded per mode.rounding when bits
// are dropped, then saturated or wrapped to W bits per mode.overflow.
std::int64_t quantizeRaw(std::int64_t raw, int fromFrac, const FixedType& to, QuantMode mode);

// The raw value of num / den (den > 0, exact rational) in format `to`, rounded and clipped
// the same way. Used where the reference divides (bbox_head's cell-relative decode).
std::int64_t quantizeRatio(std::int64_t num, std::int64_t den, const FixedType& to, QuantMode mode);

// A real number (a float input pixel or a float weight) in format `to`. Exact for every
// double: scaling by 2^F is exact, then the same rounding and overflow apply.
std::int64_t quantizeReal(double value, const FixedType& to, QuantMode mode);

double toReal(std::int64_t raw, const FixedType& t);

// Rounds the exact value q + r / 2^s (0 <= r < 2^s) to an integer per the mode.
// Exposed for the tests of the tie cases.
std::int64_t roundShiftRight(std::int64_t value, int shift, Rounding rounding);

} // namespace codesign::reference
