#pragma once

#include "../estimate.h"
#include "tiled_model.h"

namespace codesign {

enum class AutoSizeMode {
    Full,  // every candidate of docs/estimator.md section 5 (milliseconds)
    Quick, // maximal arrays and fewer tiles, for the search's inner loop (tens of microseconds)
};

struct AutoSizeOptions {
    AutoSizeMode mode = AutoSizeMode::Full;
    double clockMhz = 100;
    int batch = 1;
    bool doubleBuffer = true;
    double resourceCap = 0.9; // every resource stays at or under cap x the device's
};

struct AutoSizeResult {
    TiledConfig config;
    bool found = false; // false: nothing fits; config is the smallest design
    int evaluated = 0;  // configurations timed
    Estimate estimate;  // when found: config's estimate, totals only (the sizing made it)
};

// The top-down step (seed 000/001): for a network, device and precision, the parallel
// factors and tile that give the highest FPS within the resource caps.
// docs/estimator.md, "Auto sizing", lists the candidates it tries.
AutoSizeResult autoSizeTiled(const TiledModel& model, const AutoSizeOptions& options);

} // namespace codesign
