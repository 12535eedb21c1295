#pragma once

#include "estimate.h"
#include "tiled_model.h"

namespace codesign {

struct AutoSizeOptions {
    double clockMhz = 100;
    int batch = 1;
    bool doubleBuffer = true;
    double resourceCap = 0.9; // every resource stays at or under cap x the device's
};

struct AutoSizeResult {
    TiledConfig config;
    bool found = false; // false: nothing fits; config is the smallest design
    int evaluated = 0;  // configurations timed
};

// The top-down step (seed 000/001): for a network, device and precision, the parallel
// factors and tile that give the highest FPS within the resource caps.
// docs/estimator.md, "Auto sizing", lists the candidates it tries.
AutoSizeResult autoSizeTiled(const TiledModel& model, const AutoSizeOptions& options);

} // namespace codesign
