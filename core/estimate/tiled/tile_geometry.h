#pragma once

#include "../../util/int_math.h"

#include <algorithm>
#include <cstdint>

namespace codesign {

// The tile a layer sees when the group's reference grid (refSize pixels) is cut into tiles
// of refTile pixels and the layer's own size is `size` (smaller after pooling, larger after
// upsampling).
inline int tileExtent(int refTile, int size, int refSize) {
    const std::int64_t scaled = ceilDiv(std::int64_t(refTile) * size, std::max(1, refSize));
    return static_cast<int>(std::clamp<std::int64_t>(scaled, 1, std::max(1, size)));
}

} // namespace codesign
