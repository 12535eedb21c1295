#include "search_engine.h"

#include <chrono>
#include <map>

namespace codesign {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

// Stops a strategy that keeps proposing designs already evaluated (a converged SCD or
// annealing in a small space).
constexpr int kMaxProposalsWithoutNews = 20000;

} // namespace

Result<SearchOutcome> runSearch(const DesignSpace& space, const CandidateEvaluator& candidates,
                                QorEvaluator& qor, const SearchSettings& settings,
                                RunControl& control, SearchObserver* observer) {
    if (settings.budget < 1)
        return makeError("the budget must be at least 1 evaluation");
    if (settings.strategy == StrategyKind::Exhaustive && space.size() > settings.exhaustiveLimit)
        return makeError("the design space has " + std::to_string(space.size()) +
                         " points; exhaustive search is limited to " +
                         std::to_string(settings.exhaustiveLimit) +
                         " (narrow the search: section, or use scd, anneal or random)");

    const auto start = Clock::now();
    SearchOutcome out;
    StrategyOptions strategyOptions = settings.strategyOptions;
    strategyOptions.budget = settings.budget;
    strategyOptions.targetFps = candidates.constraints().targetFps;
    std::unique_ptr<SearchStrategy> strategy =
        makeStrategy(settings.strategy, space, strategyOptions);
    std::map<DesignPoint, int> seen;
    const std::size_t batchSize = static_cast<std::size_t>(
        settings.batch > 0 ? settings.batch : std::max(1, qor.preferredBatch()));
    const SearchConstraints& limits = candidates.constraints();
    bool referenceSet = false;
    int proposalsWithoutNews = 0;
    auto lastReport = start - std::chrono::hours(1);
    // The hypervolume is recomputed for a report only when the front changed since the
    // last one: observers (the GUI) get frequent reports and fronts reach thousands.
    bool frontChanged = false;
    double reportedHypervolume = 0;
    auto currentHypervolume = [&] {
        if (frontChanged && referenceSet) {
            std::vector<Objectives> front;
            front.reserve(out.archive.size());
            for (const auto& e : out.archive.front())
                front.push_back(e.objectives);
            reportedHypervolume = hypervolume3d(front, out.reference);
        }
        frontChanged = false;
        return reportedHypervolume;
    };

    auto report = [&] {
        if (!observer)
            return;
        lastReport = Clock::now();
        SearchProgress p;
        p.evaluations = static_cast<int>(out.points.size());
        p.budget = settings.budget;
        p.bestId = out.bestId;
        if (out.bestId >= 0) {
            p.bestObjective = out.points[out.bestId].objective;
            p.haveFeasible = out.points[out.bestId].feasible;
        }
        p.frontSize = static_cast<int>(out.archive.size());
        p.hypervolume = out.hypervolume;
        p.elapsedSeconds = seconds(start);
        observer->progressed(p);
    };

    out.stopReason = "budget spent";
    while (static_cast<int>(out.points.size()) < settings.budget) {
        if (!control.waitWhilePaused() || control.stopRequested()) {
            out.cancelled = true;
            out.stopReason = "cancelled";
            break;
        }
        const std::size_t room =
            std::min(batchSize, static_cast<std::size_t>(settings.budget) - out.points.size());
        std::vector<DesignPoint> proposal = strategy->propose(room);
        if (proposal.empty()) {
            out.stopReason = "space exhausted";
            break;
        }
        // New designs: size and estimate now, score QoR in one batch.
        std::vector<int> ids(proposal.size(), -1);
        std::vector<CandidateQos> fresh;
        std::vector<std::size_t> freshSlot;
        for (std::size_t k = 0; k < proposal.size(); ++k) {
            if (auto it = seen.find(proposal[k]); it != seen.end()) {
                ids[k] = it->second;
                continue;
            }
            // The same point twice in one proposal is evaluated once.
            bool duplicate = false;
            for (std::size_t j = 0; j < k; ++j)
                if (proposal[j] == proposal[k])
                    duplicate = true;
            if (duplicate)
                continue;
            fresh.push_back(candidates.qos(proposal[k]));
            freshSlot.push_back(k);
        }
        std::vector<QorQuery> queries;
        std::vector<std::size_t> queryOf(fresh.size(), SIZE_MAX);
        for (std::size_t f = 0; f < fresh.size(); ++f)
            if (fresh[f].valid) {
                queryOf[f] = queries.size();
                queries.push_back({fresh[f].designHash, &fresh[f].project, &fresh[f].graph});
            }
        std::vector<QorValue> values;
        if (!queries.empty())
            values = qor.evaluate(queries, control);
        if (control.stopRequested()) {
            // Results of a cancelled batch are incomplete: keep none of them.
            out.cancelled = true;
            out.stopReason = "cancelled";
            break;
        }
        for (std::size_t f = 0; f < fresh.size(); ++f) {
            EvaluatedPoint p;
            p.id = static_cast<int>(out.points.size());
            p.point = proposal[freshSlot[f]];
            p.valid = fresh[f].valid;
            if (!p.valid) {
                p.violations.push_back(fresh[f].invalidReason);
            } else {
                const Estimate& e = fresh[f].estimate;
                p.designHash = fresh[f].designHash;
                p.qor = values[queryOf[f]];
                p.fps = e.fps;
                p.latencyMs = e.latencyMs;
                p.powerW = e.powerW;
                p.energyPerImageMj = e.energyPerImageMj;
                p.used = e.used;
                p.design = e.detail;
            }
            candidates.score(p);
            if (p.valid && !referenceSet) {
                out.reference = {0, 0,
                                 limits.powerBudgetW > 0 ? limits.powerBudgetW : 2 * p.powerW};
                referenceSet = true;
            }
            if (p.feasible && out.archive.insert(p.id, p.objectives()))
                frontChanged = true;
            if (out.bestId < 0 || p.objective > out.points[out.bestId].objective)
                out.bestId = p.id;
            seen[p.point] = p.id;
            ids[freshSlot[f]] = p.id;
            out.points.push_back(std::move(p));
            if (observer)
                observer->pointEvaluated(out.points.back());
        }
        for (std::size_t k = 0; k < proposal.size(); ++k)
            if (ids[k] < 0)
                ids[k] = seen.at(proposal[k]);
        std::vector<const EvaluatedPoint*> results;
        for (int id : ids)
            results.push_back(&out.points[id]);
        strategy->observe(results);
        if (fresh.empty()) {
            if (++proposalsWithoutNews > kMaxProposalsWithoutNews) {
                out.stopReason = "no new design to evaluate (the strategy converged)";
                break;
            }
        } else {
            proposalsWithoutNews = 0;
        }
        if (observer && seconds(lastReport) >= settings.progressIntervalSeconds) {
            out.hypervolume = currentHypervolume();
            report();
        }
    }
    out.hypervolume = currentHypervolume();
    out.seconds = seconds(start);
    report();
    return out;
}

} // namespace codesign
