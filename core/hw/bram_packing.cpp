#include "bram_packing.h"

#include "../util/int_math.h"

#include <algorithm>
#include <array>
#include <bit>

namespace codesign {
namespace {

struct AspectRatio {
    std::int64_t width;
    std::int64_t depth;
};

// RAMB18 port aspect ratios (UG473 for 7-series, UG573 for UltraScale); the 9/18/36 widths
// include the parity bits, which HLS uses as data.
constexpr std::array<AspectRatio, 6> kRatios{
    {{1, 16384}, {2, 8192}, {4, 4096}, {9, 2048}, {18, 1024}, {36, 512}}};

bool inLutram(const BramRule& rule, std::int64_t width, std::int64_t depth) {
    return width * depth <= rule.lutramMaxBits;
}

} // namespace

std::int64_t bram18PerBank(const BramRule& rule, std::int64_t width, std::int64_t depth) {
    if (width <= 0 || depth <= 0 || inLutram(rule, width, depth))
        return 0;
    if (rule.pow2Depth)
        depth = static_cast<std::int64_t>(std::bit_ceil(static_cast<std::uint64_t>(depth)));
    const std::int64_t wanted = std::min<std::int64_t>(width, 36);
    AspectRatio ratio = kRatios.back();
    for (const AspectRatio& r : kRatios)
        if (r.width >= wanted) {
            ratio = r;
            break;
        }
    // Every depth of the table is a power of two: a shift instead of a division.
    const int shift = std::countr_zero(static_cast<std::uint64_t>(ratio.depth));
    return ceilDiv(width, ratio.width) * ((depth + ratio.depth - 1) >> shift);
}

MemoryCost memoryCost(const BramRule& rule, const MemoryShape& shape) {
    MemoryCost c;
    if (shape.width <= 0 || shape.depth <= 0)
        return c;
    if (inLutram(rule, shape.width, shape.depth))
        c.lutramBits = shape.banks * shape.width * shape.depth;
    else
        c.bram18 = shape.banks * bram18PerBank(rule, shape.width, shape.depth);
    return c;
}

std::int64_t bram18For(const BramRule& rule, const MemoryShape& shape) {
    return shape.banks * bram18PerBank(rule, shape.width, shape.depth);
}

std::int64_t lutramBits(const BramRule& rule, const MemoryShape& shape) {
    if (shape.width <= 0 || shape.depth <= 0 || !inLutram(rule, shape.width, shape.depth))
        return 0;
    return shape.banks * shape.width * shape.depth;
}

} // namespace codesign
