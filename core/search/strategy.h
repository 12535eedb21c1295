#pragma once

#include "design_space.h"
#include "evaluated_point.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codesign {

enum class StrategyKind { Scd, Random, Anneal, Exhaustive, Nsga2 };

std::optional<StrategyKind> strategyFromName(const std::string& name);
const char* strategyName(StrategyKind kind);

struct StrategyOptions {
    std::uint64_t seed = 1;
    // SCD: steps without improvement before a random restart; annealing: steps proposing
    // only designs already seen before it reheats at a random point (0: 4 x dimensions).
    int patience = 0;
    // Annealing (fpgaConvNet): accept a worse design with probability
    // exp((cost - new_cost) / (k T)), cost = -objective; T <- cooling x T after each step.
    double initialTemperature = 0.05;
    double cooling = 0.995;
    double boltzmann = 1.0;
    // SCD: trace the front over a ladder of FPS targets instead of the best design at the
    // run's target (docs/search.md, "Fronts").
    bool front = false;
    // NSGA-II: designs per generation (0: budget / 50, within 20..100), the probability
    // that a pair of parents cross over.
    int population = 0;
    double crossover = 0.9;
    // Set by the engine from the run: what the strategies may plan with.
    int budget = 0;
    double targetFps = 0;
};

// Steps without improvement (SCD) or without a new design (annealing) before a restart.
int walkPatience(const DesignSpace& space, const StrategyOptions& options);

// A search strategy proposes design points and learns from their scores. Deterministic for
// a given seed and sequence of observations.
class SearchStrategy {
public:
    virtual ~SearchStrategy() = default;
    // Up to `count` points to evaluate next; empty when it has nothing left to try.
    virtual std::vector<DesignPoint> propose(std::size_t count) = 0;
    // The results of the last proposal, in its order (already-evaluated points included).
    virtual void observe(const std::vector<const EvaluatedPoint*>& results) = 0;
};

std::unique_ptr<SearchStrategy> makeStrategy(StrategyKind kind, const DesignSpace& space,
                                             const StrategyOptions& options);

} // namespace codesign
