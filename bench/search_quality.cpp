// The strategies against the exhaustive search of the DAC-SDC benchmark space
// (docs/search.md, "Benchmark"); not a test. Prints, per strategy, evaluations-to-99 % of the
// optimum at the target; then the fronts: the median hypervolume at a fixed budget, against
// the exhaustive front's, all with the exhaustive run's reference point.
//
//   ./build/bench/search_quality [seeds=20] [budget-fraction=0.05] [front-seeds=10]
//                                [front-budget=3000]
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"
#include "core/qor/benchmark_qor.h"
#include "core/search/search_engine.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace codesign;

namespace {

struct Trace {
    double best = -1e9;
    int evaluationsTo99 = -1; // first evaluation at which the best reached 99 % of the optimum
};

class Tracker : public SearchObserver {
public:
    explicit Tracker(double target) : target_(target) {}
    void pointEvaluated(const EvaluatedPoint& p) override {
        trace.best = std::max(trace.best, p.objective);
        if (trace.evaluationsTo99 < 0 && trace.best >= target_)
            trace.evaluationsTo99 = p.id + 1;
    }
    Trace trace;

private:
    double target_;
};

struct Contender {
    const char* label;
    StrategyKind kind;
    bool front;
};

double frontHypervolume(const SearchOutcome& o, const Objectives& reference) {
    std::vector<Objectives> front;
    for (const auto& e : o.archive.front())
        front.push_back(e.objectives);
    return hypervolume3d(front, reference);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

int main(int argc, char** argv) {
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 20;
    const double fraction = argc > 2 ? std::atof(argv[2]) : 0.05;
    const int frontSeeds = argc > 3 ? std::atoi(argv[3]) : 10;
    const int frontBudget = argc > 4 ? std::atoi(argv[4]) : 3000;
    const std::string path = std::string(CODESIGN_SOURCE_DIR) + "/examples/dac-sdc-explore.yaml";
    Result<Project> project = loadProjectFile(path);
    Result<DesignSpace> space = DesignSpace::fromProject(*project);
    const Device device = *DeviceLibrary::builtin().find("pynq-z1");
    const SearchConstraints c{project->search.targetFps, project->search.resourceCap,
                              project->search.powerBudgetW};
    CandidateEvaluator candidates(*space, device, c);
    BenchmarkQorEvaluator qor;

    const auto t0 = std::chrono::steady_clock::now();
    SearchSettings all;
    all.strategy = StrategyKind::Exhaustive;
    all.budget = static_cast<int>(space->size());
    RunControl control;
    Result<SearchOutcome> exhaustive = runSearch(*space, candidates, qor, all, control);
    const double optimum = exhaustive->points[exhaustive->bestId].objective;
    const double exhaustiveSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const auto feasible = std::count_if(exhaustive->points.begin(), exhaustive->points.end(),
                                        [](const EvaluatedPoint& p) { return p.feasible; });
    std::printf("space: %llu designs, %ld feasible; exhaustive best objective %.4f (design %d) "
                "in %.1f s\n",
                static_cast<unsigned long long>(space->size()), static_cast<long>(feasible),
                optimum, exhaustive->bestId, exhaustiveSeconds);

    const int budget = static_cast<int>(fraction * space->size());
    std::printf("budget per run: %d evaluations (%.1f %% of the space), %d seeds\n\n", budget,
                100 * fraction, seeds);
    std::printf("%-8s %14s %14s %18s %20s\n", "strategy", "median best", "median / opt",
                "runs reaching 99%", "median evals to 99%");
    for (StrategyKind kind : {StrategyKind::Scd, StrategyKind::Anneal, StrategyKind::Random}) {
        if (seeds < 1)
            break;
        std::vector<double> bests, evals;
        int reached = 0;
        for (int seed = 1; seed <= seeds; ++seed) {
            SearchSettings s;
            s.strategy = kind;
            s.budget = budget;
            s.strategyOptions.seed = static_cast<std::uint64_t>(seed);
            Tracker tracker(0.99 * optimum);
            RunControl rc;
            runSearch(*space, candidates, qor, s, rc, &tracker);
            bests.push_back(tracker.trace.best);
            if (tracker.trace.evaluationsTo99 > 0) {
                ++reached;
                evals.push_back(tracker.trace.evaluationsTo99);
            } else {
                evals.push_back(budget + 1.0); // not reached within the budget
            }
        }
        const double medEvals = median(evals);
        char evalsText[32];
        if (medEvals > budget)
            std::snprintf(evalsText, sizeof evalsText, "> %d", budget);
        else
            std::snprintf(evalsText, sizeof evalsText, "%.0f", medEvals);
        std::printf("%-8s %14.4f %14.4f %15d/%d %20s\n", strategyName(kind), median(bests),
                    median(bests) / optimum, reached, seeds, evalsText);
    }
    if (frontSeeds < 1)
        return 0;

    const Objectives reference = exhaustive->reference;
    const double exhaustiveHv = frontHypervolume(*exhaustive, reference);
    std::printf("\nfronts: budget %d, %d seeds; exhaustive front %zu designs, hypervolume %.1f "
                "(reference QoR %.0f, FPS %.0f, %.3f W)\n",
                frontBudget, frontSeeds, exhaustive->archive.size(), exhaustiveHv, reference.qor,
                reference.fps, reference.powerW);
    std::printf("%-10s %12s %10s %10s %10s %14s %12s\n", "strategy", "median HV", "/ exh.",
                "min HV", "max HV", "median best", "best >= 99%");
    const Contender contenders[] = {{"scd-front", StrategyKind::Scd, true},
                                    {"nsga2", StrategyKind::Nsga2, false},
                                    {"random", StrategyKind::Random, false},
                                    {"anneal", StrategyKind::Anneal, false},
                                    {"scd", StrategyKind::Scd, false}};
    for (const Contender& contender : contenders) {
        std::vector<double> volumes, bests;
        int reached = 0;
        for (int seed = 1; seed <= frontSeeds; ++seed) {
            SearchSettings s;
            s.strategy = contender.kind;
            s.budget = frontBudget;
            s.strategyOptions.seed = static_cast<std::uint64_t>(seed);
            s.strategyOptions.front = contender.front;
            RunControl rc;
            Result<SearchOutcome> o = runSearch(*space, candidates, qor, s, rc);
            volumes.push_back(frontHypervolume(*o, reference));
            const double best = o->points[o->bestId].objective;
            bests.push_back(best);
            reached += best >= 0.99 * optimum ? 1 : 0;
        }
        std::printf(
            "%-10s %12.1f %10.3f %10.1f %10.1f %14.4f %9d/%d\n", contender.label, median(volumes),
            median(volumes) / exhaustiveHv, *std::min_element(volumes.begin(), volumes.end()),
            *std::max_element(volumes.begin(), volumes.end()), median(bests), reached, frontSeeds);
    }
    return 0;
}
