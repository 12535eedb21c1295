#pragma once

#include "../util/result.h"

#include <string>
#include <string_view>

namespace codesign {

// A signed fixed-point format in the style of ap_fixed<W,I>: W bits in all, I of them
// integer bits (sign included), W - I fractional bits.
struct FixedType {
    int width = 8;
    int integer = 4;

    friend bool operator==(const FixedType&, const FixedType&) = default;
};

// How a value is brought to a fixed-point format (the ap_fixed Q and O modes).
enum class Rounding {
    Round,      // AP_RND: to nearest, ties towards +infinity
    Truncate,   // AP_TRN: towards -infinity (drop the bits)
    Convergent, // AP_RND_CONV: to nearest, ties to even
};
enum class Overflow {
    Saturate, // AP_SAT: clip to the largest / smallest value
    Wrap,     // AP_WRAP: keep the low bits (two's complement wrap-around)
};

struct QuantMode {
    Rounding rounding = Rounding::Round;
    Overflow overflow = Overflow::Saturate;
    friend bool operator==(const QuantMode&, const QuantMode&) = default;
};

const char* roundingName(Rounding r); // "round", "truncate", "convergent"
const char* overflowName(Overflow o); // "saturate", "wrap"

inline constexpr int kMinBits = 1;
inline constexpr int kMaxBits = 64;

// Accepts "8", "fixed<8,3>", "ap_fixed<8,3>". A plain width takes defaultInteger(width).
Result<FixedType> parseFixedType(std::string_view text, int (*defaultInteger)(int width));
std::string formatFixedType(const FixedType& t);

// Default integer bits when only a width is given (documented in docs/project-format.md).
int defaultWeightIntegerBits(int width);
int defaultActivationIntegerBits(int width);

} // namespace codesign
