#pragma once

// The FuSe transform (seed 003, FuSeConv; docs/transforms.md): each chosen depthwise K x K
// layer becomes a `fuse` layer of the same kernel, stride, padding and bias. Half: 1 x K on
// half the channels and K x 1 on the other half, concatenated (C channels); full: both on
// every channel, concatenated (2C), so the next layer that sets its own width (the 1 x 1)
// takes twice the inputs. Bundles stay bundles: the instances that change use a new bundle
// definition (`<bundle>_fuse_half`), a `repeat:` splits where the choice changes, and the
// precision overrides follow the renamed layers.
#include "../../util/result.h"
#include "../project.h"

#include <string>
#include <vector>

namespace codesign {

struct FuseTransformOptions {
    FuseVariant variant = FuseVariant::Half;
    // Layer names (B3.dwconv, L5.dwconv) or group names (B3: its depthwise layers). Empty
    // with first = 0: every depthwise K x K layer.
    std::vector<std::string> layers;
    int first = 0; // the first N depthwise K x K layers in network order
};

struct FuseTransformResult {
    Project project;
    std::vector<std::string> rewritten; // the layers' names in the original project
};

// Errors (a message naming the layer or the option): both `layers` and `first`, an unknown
// name, a named layer that is not a depthwise K x K (K >= 2), `first` beyond the network's
// depthwise layers, no depthwise layer at all, or a result whose shapes do not resolve (fuse
// full doubling the channels into a layer that cannot take them).
Result<FuseTransformResult> fuseTransform(const Project& project,
                                          const FuseTransformOptions& options);

// The studio's "FuSe half / full" on a bundle definition: every instance of `bundle` in the
// network is rewritten (its instances then use `<bundle>_fuse_half`, and the definition goes
// when nothing uses it any more); a bundle no instance uses yet is rewritten in place under
// the new name. `newBundle` names the definition that holds the result. Errors: an unknown
// bundle, a bundle without a depthwise K x K layer, and the transform's own.
struct FuseBundleResult {
    Project project;
    std::string newBundle;
};
Result<FuseBundleResult> fuseBundle(const Project& project, const std::string& bundle,
                                    FuseVariant variant);

} // namespace codesign
