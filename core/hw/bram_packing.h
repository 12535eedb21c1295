#pragma once

#include "device.h"

#include <cstdint>

namespace codesign {

// One on-chip array as HLS builds it: `banks` independent memories (ARRAY_PARTITION),
// each `depth` words of `width` bits.
struct MemoryShape {
    std::int64_t width = 0;
    std::int64_t depth = 0;
    std::int64_t banks = 1;
};

// BRAM18 blocks for one bank (docs/estimator.md, "BRAM packing"): aspect ratios
// 1x16384, 2x8192, 4x4096, 9x2048, 18x1024, 36x512; the narrowest ratio at least
// min(width, 36) wide is used, blocks = ceil(width / w) * ceil(depth / d). 7-series
// pads depth to a power of two. Banks of at most rule.lutramMaxBits go to LUTRAM (0).
std::int64_t bram18PerBank(const BramRule& rule, std::int64_t width, std::int64_t depth);
std::int64_t bram18For(const BramRule& rule, const MemoryShape& shape);

// Bits placed in LUTRAM by the rule above (for the LUT model).
std::int64_t lutramBits(const BramRule& rule, const MemoryShape& shape);

// Both at once: BRAM18 blocks and LUTRAM bits of an array (the estimator's inner loop).
struct MemoryCost {
    std::int64_t bram18 = 0;
    std::int64_t lutramBits = 0;
};
MemoryCost memoryCost(const BramRule& rule, const MemoryShape& shape);

} // namespace codesign
