#pragma once

// The seed's fast training (docs/training.md, "Fast QoR"): a subset of the images, a few
// epochs and a reduced input resolution, so that a design trains in a fraction of the time.
// The QoR it gives ranks designs; it is not the deployed network's.
#include "core/model/graph.h"
#include "core/model/project.h"
#include "core/util/result.h"

namespace codesign::train {

// The recipe `--fast` and the studio's exploration view start from.
struct FastTraining {
    int epochs = 4;
    int qatEpochs = 1;
    int images = 256; // synthetic images, or an evenly spaced subset of a data set
    double resolution = 0.5;
};

// `factor` in (0, 1]: the input's resize times factor; 1 is the project's own network.
// An error says what no longer fits (a layer with nothing left to pool, say).
Result<Graph> graphAtResolution(const Project& project, double factor);

} // namespace codesign::train
