// SCD, annealing and random search against the exhaustive optimum of the DAC-SDC benchmark
// space (docs/search.md, "Benchmark"). Prints evaluations-to-99 % per strategy; not a test.
//
//   ./build/bench/search_quality [seeds=20] [budget-fraction=0.05]
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

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

} // namespace

int main(int argc, char** argv) {
    const int seeds = argc > 1 ? std::atoi(argv[1]) : 20;
    const double fraction = argc > 2 ? std::atof(argv[2]) : 0.05;
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
    return 0;
}
