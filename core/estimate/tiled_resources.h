#pragma once

#include "estimate.h"
#include "tiled_model.h"

#include <vector>

namespace codesign {

struct TiledResources {
    Resources total;
    std::int64_t dspPw = 0;
    std::int64_t dspDw = 0;
    std::int64_t bramInput = 0;
    std::int64_t bramLines = 0;
    std::int64_t bramTensors = 0;
    std::int64_t bramPsum = 0;
    std::vector<std::int64_t> nodeBram; // output buffer per node (detailed only)
};

// DSP, BRAM18, LUT and FF of a configuration (docs/estimator.md, "Resources").
TiledResources tiledResources(const TiledModel& model, const TiledConfig& config,
                              bool perNode = false);

} // namespace codesign
