#pragma once

#include "../qor/qor_evaluator.h"
#include "../util/result.h"
#include "../util/run_control.h"
#include "candidate_evaluator.h"
#include "pareto.h"
#include "strategy.h"

#include <vector>

namespace codesign {

struct SearchSettings {
    StrategyKind strategy = StrategyKind::Scd;
    int budget = 1000; // designs evaluated (a design seen again costs nothing)
    StrategyOptions strategyOptions;
    int batch = 0; // designs per QoR batch; 0: the evaluator's preferred batch
    std::uint64_t exhaustiveLimit = 5'000'000;
    double progressIntervalSeconds = 0.05;
};

struct SearchProgress {
    int evaluations = 0;
    int budget = 0;
    bool haveFeasible = false;
    double bestObjective = 0;
    int bestId = -1;
    int frontSize = 0;
    double hypervolume = 0;
    double elapsedSeconds = 0;
};

// Receives the search's results as they come, on the search's thread.
class SearchObserver {
public:
    virtual ~SearchObserver() = default;
    virtual void pointEvaluated(const EvaluatedPoint&) {}
    virtual void progressed(const SearchProgress&) {}
};

struct SearchOutcome {
    std::vector<EvaluatedPoint> points; // every design evaluated, by id
    ParetoArchive archive;              // the feasible non-dominated ones
    Objectives reference;               // hypervolume reference point
    double hypervolume = 0;
    int bestId = -1; // highest objective; -1 when nothing was evaluated
    bool cancelled = false;
    std::string stopReason; // "budget spent", "cancelled", "space exhausted", ...
    double seconds = 0;
};

// Runs one search (docs/search.md): the strategy proposes, the candidate evaluator sizes and
// estimates, the QoR evaluator scores, the archive keeps the front. Runs on the calling
// thread; another thread may stop or pause it through `control`. Deterministic for a
// fixed seed, strategy and QoR evaluator.
Result<SearchOutcome> runSearch(const DesignSpace& space, const CandidateEvaluator& candidates,
                                QorEvaluator& qor, const SearchSettings& settings,
                                RunControl& control, SearchObserver* observer = nullptr);

} // namespace codesign
