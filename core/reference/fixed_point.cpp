#include "fixed_point.h"

#include <cmath>
#include <limits>

namespace codesign::reference {
namespace {

__extension__ using Int128 = __int128;

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

// Two's complement wrap of v to `width` bits (1..128), sign-extended back.
std::int64_t wrapTo(Int128 v, int width) {
    if (width >= 64)
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(v));
    const auto bits = static_cast<std::uint64_t>(v) & ((std::uint64_t(1) << width) - 1);
    const std::uint64_t sign = std::uint64_t(1) << (width - 1);
    return static_cast<std::int64_t>(bits ^ sign) - static_cast<std::int64_t>(sign);
}

std::int64_t overflowTo(Int128 v, const FixedType& to, Overflow overflow) {
    if (overflow == Overflow::Wrap)
        return wrapTo(v, to.width);
    const Int128 hi = maxRaw(to);
    const Int128 lo = minRaw(to);
    return static_cast<std::int64_t>(v > hi ? hi : v < lo ? lo : v);
}

// floor(num / den) + rounding of the remainder, for den > 0.
Int128 roundRatio(Int128 num, Int128 den, Rounding rounding) {
    Int128 q = num / den;
    Int128 r = num % den;
    if (r < 0) { // C++ division truncates towards zero: make it a floor
        q -= 1;
        r += den;
    }
    switch (rounding) {
    case Rounding::Truncate:
        return q;
    case Rounding::Round:
        return 2 * r >= den ? q + 1 : q;
    case Rounding::Convergent:
        if (2 * r > den)
            return q + 1;
        if (2 * r == den)
            return (q & 1) != 0 ? q + 1 : q;
        return q;
    }
    return q;
}

} // namespace

std::int64_t maxRaw(const FixedType& t) {
    return t.width >= 64 ? kInt64Max : (std::int64_t(1) << (t.width - 1)) - 1;
}

std::int64_t minRaw(const FixedType& t) {
    return t.width >= 64 ? kInt64Min : -(std::int64_t(1) << (t.width - 1));
}

std::int64_t roundShiftRight(std::int64_t value, int shift, Rounding rounding) {
    if (shift <= 0)
        return value;
    if (shift >= 64) // |value| < 2^63 <= 2^(shift-1): the result is -1 or 0
        return rounding == Rounding::Truncate && value < 0 ? -1 : 0;
    const std::int64_t q = value >> shift; // arithmetic: a floor (C++20)
    const std::uint64_t r = static_cast<std::uint64_t>(value) & ((std::uint64_t(1) << shift) - 1);
    const std::uint64_t half = std::uint64_t(1) << (shift - 1);
    switch (rounding) {
    case Rounding::Truncate:
        return q;
    case Rounding::Round:
        return r >= half ? q + 1 : q;
    case Rounding::Convergent:
        if (r > half)
            return q + 1;
        if (r == half)
            return (q & 1) != 0 ? q + 1 : q;
        return q;
    }
    return q;
}

std::int64_t quantizeRaw(std::int64_t raw, int fromFrac, const FixedType& to, QuantMode mode) {
    const int shift = fromFrac - fracBits(to);
    if (shift >= 0)
        return overflowTo(roundShiftRight(raw, shift, mode.rounding), to, mode.overflow);
    // More fractional bits in the target: exact, unless the value leaves the range.
    const int up = -shift;
    if (up >= 64 || (raw != 0 && (raw > (kInt64Max >> up) || raw < (kInt64Min >> up)))) {
        if (mode.overflow == Overflow::Wrap) // the low bits of raw * 2^up
            return up >= 64 ? 0 : wrapTo(static_cast<Int128>(raw) << up, to.width);
        return raw > 0 ? maxRaw(to) : minRaw(to);
    }
    return overflowTo(static_cast<Int128>(raw) * (Int128(1) << up), to, mode.overflow);
}

std::int64_t quantizeRatio(std::int64_t num, std::int64_t den, const FixedType& to,
                           QuantMode mode) {
    // The caller keeps F <= 63 (checkReferenceLimits), so num * 2^F fits in 128 bits.
    const Int128 scaled = Int128(num) << fracBits(to);
    return overflowTo(roundRatio(scaled, den, mode.rounding), to, mode.overflow);
}

std::int64_t quantizeReal(double value, const FixedType& to, QuantMode mode) {
    if (std::isnan(value))
        return 0;
    const double scaled = std::ldexp(value, fracBits(to)); // exact
    const double fl = std::floor(scaled);
    const double rest = scaled - fl; // exact: 0 <= rest < 1
    double rounded = fl;
    switch (mode.rounding) {
    case Rounding::Truncate:
        break;
    case Rounding::Round:
        rounded = rest >= 0.5 ? fl + 1 : fl;
        break;
    case Rounding::Convergent:
        if (rest > 0.5)
            rounded = fl + 1;
        else if (rest == 0.5)
            rounded = std::fmod(fl, 2.0) != 0 ? fl + 1 : fl;
        break;
    }
    // Beyond +-2^126 every format has overflowed; clamp before converting.
    constexpr double kLimit = 0x1p126;
    if (rounded >= kLimit || rounded <= -kLimit) {
        if (mode.overflow == Overflow::Saturate)
            return rounded > 0 ? maxRaw(to) : minRaw(to);
        // Wrap: a multiple of 2^64 leaves the low 64 bits; take them from the double.
        const double low = std::fmod(rounded, 0x1p64);
        const Int128 v = static_cast<Int128>(low);
        return wrapTo(v, to.width);
    }
    return overflowTo(static_cast<Int128>(rounded), to, mode.overflow);
}

double toReal(std::int64_t raw, const FixedType& t) {
    return std::ldexp(static_cast<double>(raw), -fracBits(t));
}

} // namespace codesign::reference
