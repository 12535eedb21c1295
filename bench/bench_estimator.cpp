// Cost of one estimate and of one auto sizing (docs/performance.md).
#include "core/estimate/design_estimate.h"
#include "core/estimate/tiled/auto_sizer.h"
#include "core/estimate/tiled/tiled_estimator.h"
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <iostream>

namespace {

using namespace codesign;

struct Loaded {
    Graph graph;
    TiledModel model;
    TiledConfig config; // the auto-sized design of the example
};

Loaded load(const char* example) {
    const std::string path = std::string(CODESIGN_SOURCE_DIR) + "/examples/" + example;
    Result<Project> p = loadProjectFile(path);
    if (!p.ok()) {
        std::cerr << p.error().format() << "\n";
        std::exit(2);
    }
    Result<DesignEstimate> pe = estimateDesign(*p, DeviceLibrary::builtin());
    Loaded l{pe->graph, {}, std::get<TiledDetail>(pe->estimate.detail).config};
    l.model = buildTiledModel(l.graph, pe->device);
    return l;
}

// One estimate of DNN-C (20 layers, 7 groups) with a fixed accelerator, totals only:
// what the auto sizing and the search call in their inner loops.
void BM_EstimateDnnCFixed(benchmark::State& state) {
    const Loaded l = load("dac19-dnn-c.yaml");
    Estimate e;
    for (auto _ : state) {
        estimateTiledInto(l.model, l.config, false, e);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EstimateDnnCFixed);

// The same with the per-layer and per-group detail the CLI and GUI show.
void BM_EstimateDnnCDetailed(benchmark::State& state) {
    const Loaded l = load("dac19-dnn-c.yaml");
    Estimate e;
    for (auto _ : state) {
        estimateTiledInto(l.model, l.config, true, e);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EstimateDnnCDetailed);

// One top-down sizing of the accelerator for DNN-C on the Pynq-Z1.
void BM_AutoSizeDnnC(benchmark::State& state) {
    const Loaded l = load("dac19-dnn-c.yaml");
    AutoSizeOptions o;
    o.clockMhz = 100;
    int evaluated = 0;
    for (auto _ : state) {
        const AutoSizeResult r = autoSizeTiled(l.model, o);
        evaluated = r.evaluated;
        benchmark::DoNotOptimize(r.config.pwIn);
    }
    state.counters["designs_timed"] = evaluated;
}
BENCHMARK(BM_AutoSizeDnnC)->Unit(benchmark::kMillisecond);

// The search's sizing: maximal arrays and fewer tiles.
void BM_AutoSizeQuickDnnC(benchmark::State& state) {
    const Loaded l = load("dac19-dnn-c.yaml");
    AutoSizeOptions o;
    o.clockMhz = 100;
    o.mode = AutoSizeMode::Quick;
    AutoSizeResult r;
    for (auto _ : state) {
        r = autoSizeTiled(l.model, o);
        benchmark::DoNotOptimize(r.config.pwIn);
    }
    state.counters["designs_timed"] = r.evaluated;
    AutoSizeOptions full = o;
    full.mode = AutoSizeMode::Full;
    const Estimate q = estimateTiled(l.model, r.config, false);
    const Estimate f = estimateTiled(l.model, autoSizeTiled(l.model, full).config, false);
    state.counters["fps_vs_full"] = q.fps / f.fps;
}
BENCHMARK(BM_AutoSizeQuickDnnC)->Unit(benchmark::kMicrosecond);

// Graph building plus model preparation: paid once per network, not per configuration.
void BM_PrepareDnnC(benchmark::State& state) {
    const std::string path = std::string(CODESIGN_SOURCE_DIR) + "/examples/dac19-dnn-c.yaml";
    Result<Project> p = loadProjectFile(path);
    const Device device = *DeviceLibrary::builtin().find("pynq-z1");
    for (auto _ : state) {
        Result<Graph> g = buildGraph(*p);
        TiledModel m = buildTiledModel(*g, device);
        benchmark::DoNotOptimize(m.nodes.data());
    }
}
BENCHMARK(BM_PrepareDnnC)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
