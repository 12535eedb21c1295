#pragma once

#include "strategy.h"

#include <memory>

namespace codesign {

// SCD's front mode (docs/search.md, "Fronts"): a short SCD walk that maximises FPS finds the
// top of the reachable FPS range; then SCD maximises QoR at a ladder of FPS targets, the
// run's target first, each next one in the widest gap of the front found so far, each rung
// warm-started from the best design known at its target. One budget, one archive.
std::unique_ptr<SearchStrategy> makeScdFront(const DesignSpace& space,
                                             const StrategyOptions& options);

} // namespace codesign
