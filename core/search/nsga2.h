#pragma once

#include "strategy.h"

#include <memory>

namespace codesign {

// NSGA-II (Deb et al. 2002), the multi-objective baseline (docs/search.md, "Strategies"):
// a population ranked by non-dominated sorting under constrained domination and crowding
// distance; parents by binary tournament; uniform crossover and per-coordinate mutation on
// the integer coordinates; the next population the best of parents and children.
std::unique_ptr<SearchStrategy> makeNsga2(const DesignSpace& space, const StrategyOptions& options);

} // namespace codesign
