#pragma once

// The FuSe coordinates of the search (`search: fuse: [none, half, full]`; docs/search.md):
// which forms each bundle instance's depthwise layers may take, and a point's choices
// applied through the FuSe transform (core/model/transforms/fuse_transform.h).
#include "../model/project.h"
#include "../util/result.h"

#include <string>
#include <utility>
#include <vector>

namespace codesign {

// Whether a bundle has a depthwise K x K layer (K >= 2) for the transform to rewrite.
bool bundleHasDepthwise(const BundleDef& bundle);

// The choices of `wanted` (in its order) that fit network entry `entry`: for each of
// `bundles` (the bundles a search.bundles coordinate may give every instance; empty: the
// entry's own) that has a depthwise layer, the rewritten network builds, and it leaves every
// group's output shape as it was (full doubles the depthwise output into the next 1 x 1), so
// that the network's joins and the other coordinates see what they saw.
std::vector<FuseChoice> fittingFuseChoices(const Project& project, int entry,
                                           const std::vector<FuseChoice>& wanted,
                                           const std::vector<std::string>& bundles);

// Rewrites the depthwise layers of every instance of each (entry, choice); None and entries
// whose bundle has no depthwise layer stay as they are. Fails with the transform's message.
Result<Project> applyFuseChoices(Project project,
                                 const std::vector<std::pair<int, FuseChoice>>& choices);

} // namespace codesign
