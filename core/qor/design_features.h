#pragma once

#include "../model/graph.h"

#include <array>
#include <string_view>

namespace codesign {

// What the surrogate regresses QoR on: a few numbers that describe a network's capacity
// and precision (docs/search.md, "Surrogate").
struct DesignFeatures {
    static constexpr std::size_t kCount = 8;
    std::array<double, kCount> values{};

    static std::array<std::string_view, kCount> names();
};

DesignFeatures designFeatures(const Graph& graph);

} // namespace codesign
