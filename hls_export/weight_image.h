#pragma once

// The weight image the accelerator reads (hls/weights/ddr_image.bin): every layer's weights
// in the order its unit consumes them, as raw values of the storage format.
#include "core/reference/reference.h"
#include "export_plan.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign::hls {

// Raw values (storage format `plan.wgt`) of the whole image, one per element slot.
std::vector<std::int64_t> weightElements(const Graph& graph, const HlsPlan& plan,
                                         const std::vector<reference::QuantizedLayer>& weights);

// Elements of `containerBits` (8/16/32/64) as little-endian bytes: a DDR word of the
// accelerator holds consecutive elements from bit 0 up, so this is the DDR image.
std::string packElements(const std::vector<std::int64_t>& elements, int containerBits);

// A value of format `from` in the storage format `to` (more fractional bits: a shift).
std::int64_t widenRaw(std::int64_t raw, const FixedType& from, const FixedType& to);

} // namespace codesign::hls
