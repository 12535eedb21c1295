#pragma once

#include "../estimate/estimate.h"
#include "../hw/device.h"
#include "../model/project.h"
#include "../qor/qor_evaluator.h"
#include "../util/result.h"
#include "../util/run_control.h"

#include <functional>
#include <string>
#include <vector>

namespace codesign {

// Steps 1 and 2 of the seed's flow (docs/search.md, "Bundles"): build candidate bundles
// from a layer pool, estimate each one's QoS on the device through a prototype network,
// get the prototypes' QoR, group bundles of similar QoS and keep the best of each group.
struct BundlePoolOptions {
    int maxLength = 2;          // compute layers per bundle (dwconv3, pwconv, conv3, fuse)
    int prototypeRepeats = 3;   // instances of the bundle in its prototype network
    int prototypeChannels = 32; // channels of the first instance, doubled at each next one
    int groups = 3;             // QoS groups (by prototype latency)
    int topK = 2;               // bundles kept per group
};

struct BundleCandidate {
    BundleDef bundle; // named after its layers, e.g. "dwconv3-pwconv-bn-relu-pool"
    double fps = 0;   // its prototype's, accelerator sized automatically
    double latencyMs = 0;
    double powerW = 0;
    Resources used;
    bool feasible = false; // the prototype fits the device
    QorValue qor;
    int group = -1; // QoS group, 0 = fastest
    bool selected = false;
};

// Every bundle of the pool up to maxLength compute layers: each compute layer followed by
// an optional bn and the bundle's activation (relu or relu6), an optional 2x2 max-pool at
// the end; bundles without a layer that sets the channel count (pwconv, conv) are left out.
std::vector<BundleDef> enumerateBundles(const BundlePoolOptions& options);

// The prototype of a bundle: the base project's input, precision and device, `repeats`
// instances with channels c, 2c, 4c..., down-sampling between them, and the base
// network's tail (the single layers after its last bundle instance, e.g. the box head):
// the tail's path from the last instance's output, with its layers' names and precision
// overrides (docs/search.md, "Bundles").
Project prototypeProject(const Project& base, const BundleDef& bundle,
                         const BundlePoolOptions& options);

using BundleProgress = std::function<void(int done, int total)>;

Result<std::vector<BundleCandidate>> exploreBundles(const Project& base, const Device& device,
                                                    QorEvaluator& qor,
                                                    const BundlePoolOptions& options,
                                                    RunControl& control,
                                                    const BundleProgress& progress = {});

} // namespace codesign
