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

inline constexpr int kMinBits = 1;
inline constexpr int kMaxBits = 64;

// Accepts "8", "fixed<8,3>", "ap_fixed<8,3>". A plain width takes defaultInteger(width).
Result<FixedType> parseFixedType(std::string_view text, int (*defaultInteger)(int width));
std::string formatFixedType(const FixedType& t);

// Default integer bits when only a width is given (documented in docs/project-format.md).
int defaultWeightIntegerBits(int width);
int defaultActivationIntegerBits(int width);

} // namespace codesign
