#pragma once

#include "core/model/fixed_type.h"
#include "core/model/graph.h"

#include <cstdint>
#include <vector>

namespace codesign::reference {

// A feature map in one fixed-point format: raw values in [channel][row][col] order.
struct FixedTensor {
    Shape shape;
    FixedType type;
    std::vector<std::int64_t> raw;

    std::int64_t at(int c, int y, int x) const {
        return raw[(std::size_t(c) * shape.h + y) * shape.w + x];
    }
    double real(std::size_t i) const;
};

} // namespace codesign::reference
