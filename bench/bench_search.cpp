// Search engine throughput with the surrogate, and cancel latency (docs/performance.md).
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"
#include "core/qor/benchmark_qor.h"
#include "core/qor/design_hash.h"
#include "core/qor/surrogate.h"
#include "core/search/search_engine.h"

#include <benchmark/benchmark.h>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

namespace {

using namespace codesign;

struct Setup {
    Project project;
    DesignSpace space;
    Device device;
    SurrogateModel surrogate;
};

// The DAC-SDC benchmark space, with a surrogate fitted to 200 random designs scored by the
// benchmark QoR function (as if they had been measured).
const Setup& setup() {
    static const Setup s = [] {
        const std::string path =
            std::string(CODESIGN_SOURCE_DIR) + "/examples/dac-sdc-explore.yaml";
        Result<Project> p = loadProjectFile(path);
        if (!p.ok()) {
            std::cerr << p.error().format() << "\n";
            std::exit(2);
        }
        Result<DesignSpace> space = DesignSpace::fromProject(*p);
        Setup out{*p, std::move(space).value(), *DeviceLibrary::builtin().find("pynq-z1"), {}};
        std::mt19937_64 rng(5);
        std::vector<QorRecord> records;
        for (int i = 0; i < 200; ++i) {
            const DesignPoint point = out.space.pointAt(rng() % out.space.size());
            Result<Graph> g = buildGraph(out.space.apply(point));
            QorRecord r;
            r.hash = designHash(*g);
            r.features = designFeatures(*g);
            r.value.qor = benchmarkQor(r.features);
            records.push_back(r);
        }
        if (!out.surrogate.fit(records).ok())
            std::exit(2);
        return out;
    }();
    return s;
}

// Designs evaluated per second: network built, accelerator auto-sized (quick), estimated,
// QoR predicted by the surrogate, archived.
void BM_SearchThroughputSurrogate(benchmark::State& state) {
    const Setup& s = setup();
    const auto strategy = static_cast<StrategyKind>(state.range(0));
    SearchConstraints c{s.project.search.targetFps, s.project.search.resourceCap, 0};
    CandidateEvaluator candidates(s.space, s.device, c);
    SurrogateQorEvaluator qor(s.surrogate);
    SearchSettings settings;
    settings.strategy = strategy;
    settings.strategyOptions.front = state.range(1) != 0;
    settings.budget = 2000;
    std::int64_t evaluated = 0;
    for (auto _ : state) {
        RunControl control;
        Result<SearchOutcome> o = runSearch(s.space, candidates, qor, settings, control);
        evaluated += static_cast<std::int64_t>(o->points.size());
    }
    state.SetItemsProcessed(evaluated);
    state.SetLabel(std::string(strategyName(strategy)) + (state.range(1) ? " front" : ""));
}
BENCHMARK(BM_SearchThroughputSurrogate)
    ->Args({int(StrategyKind::Scd), 0})
    ->Args({int(StrategyKind::Scd), 1})
    ->Args({int(StrategyKind::Nsga2), 0})
    ->Args({int(StrategyKind::Random), 0})
    ->Unit(benchmark::kMillisecond);

// Time from stop() on another thread to runSearch() returning, during a long random search.
void BM_CancelLatency(benchmark::State& state) {
    const Setup& s = setup();
    SearchConstraints c{s.project.search.targetFps, s.project.search.resourceCap, 0};
    CandidateEvaluator candidates(s.space, s.device, c);
    SurrogateQorEvaluator qor(s.surrogate);
    SearchSettings settings;
    settings.strategy = StrategyKind::Random;
    settings.budget = 100'000'000;
    double worstMs = 0;
    for (auto _ : state) {
        RunControl control;
        std::chrono::steady_clock::time_point stopAt;
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            stopAt = std::chrono::steady_clock::now();
            control.stop();
        });
        Result<SearchOutcome> o = runSearch(s.space, candidates, qor, settings, control);
        const auto returned = std::chrono::steady_clock::now();
        stopper.join();
        const double ms = std::chrono::duration<double, std::milli>(returned - stopAt).count();
        worstMs = std::max(worstMs, ms);
        state.SetIterationTime(ms / 1e3);
        benchmark::DoNotOptimize(o->cancelled);
    }
    state.counters["worst_ms"] = worstMs;
}
BENCHMARK(BM_CancelLatency)->UseManualTime()->Iterations(20)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
