// Cost of one systolic estimate of MobileNet-V1 (docs/performance.md, "Systolic estimator"),
// the engine alone and through the architecture seam (estimateDesign).
#include "core/estimate/design_estimate.h"
#include "core/estimate/systolic/systolic_auto.h"
#include "core/estimate/systolic/systolic_estimator.h"
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <iostream>

namespace {

using namespace codesign;

struct Loaded {
    Graph graph;
    Device device;
    AcceleratorSpec accelerator;
    SystolicModel model;
    SystolicConfig spec;
};

[[noreturn]] void fail(const std::string& message) {
    std::cerr << message << "\n";
    std::exit(2);
}

Loaded load(const char* example) {
    Result<Project> p = loadProjectFile(std::string(CODESIGN_SOURCE_DIR) + "/examples/" + example);
    if (!p.ok())
        fail(p.error().format());
    Result<Graph> g = buildGraph(*p);
    if (!g.ok())
        fail(g.error().format());
    Loaded l;
    l.graph = std::move(g).value();
    l.device = *DeviceLibrary::builtin().find(p->device.name);
    l.accelerator = p->accelerator;
    l.spec = systolicConfigOf(p->accelerator);
    l.model = prepareSystolic(l.graph, l.device);
    return l;
}

// One estimate of MobileNet-V1 (83 layers, 28 on the array) on the 64 x 64 array, totals
// only: what auto sizing and a search call in their inner loops.
void BM_SystolicMobileNetV1(benchmark::State& state) {
    const Loaded l = load("mobilenet-v1-systolic.yaml");
    SystolicEstimate e;
    for (auto _ : state) {
        estimateSystolicInto(l.model, l.spec, false, e);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SystolicMobileNetV1);

// The FuSe-Half network on the ST-OS array.
void BM_SystolicMobileNetV1Fuse(benchmark::State& state) {
    const Loaded l = load("mobilenet-v1-fuse.yaml");
    SystolicEstimate e;
    for (auto _ : state) {
        estimateSystolicInto(l.model, l.spec, false, e);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SystolicMobileNetV1Fuse);

// With the per-layer rows the CLI and GUI show.
void BM_SystolicMobileNetV1Detailed(benchmark::State& state) {
    const Loaded l = load("mobilenet-v1-systolic.yaml");
    SystolicEstimate e;
    for (auto _ : state) {
        estimateSystolicInto(l.model, l.spec, true, e);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SystolicMobileNetV1Detailed);

// Through the seam, as the search calls it: preparation, the estimate and the neutral
// totals (no per-layer rows).
void BM_SystolicMobileNetV1ThroughTheSeam(benchmark::State& state) {
    const Loaded l = load("mobilenet-v1-systolic.yaml");
    EstimateOptions o;
    o.detailed = false;
    for (auto _ : state) {
        Result<Estimate> e = estimateDesign(l.graph, l.device, l.accelerator, o);
        benchmark::DoNotOptimize(e->fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SystolicMobileNetV1ThroughTheSeam);

// Preparation, once per network and device.
void BM_SystolicPrepareMobileNetV1(benchmark::State& state) {
    const Loaded l = load("mobilenet-v1-systolic.yaml");
    for (auto _ : state) {
        SystolicModel m = prepareSystolic(l.graph, l.model.device);
        benchmark::DoNotOptimize(m.macs);
    }
}
BENCHMARK(BM_SystolicPrepareMobileNetV1);

// One auto sizing of MobileNet-V1 on the ZCU102.
void BM_SystolicAutoSizeMobileNetV1(benchmark::State& state) {
    const Loaded l = load("mobilenet-v1-systolic.yaml");
    int evaluated = 0;
    for (auto _ : state) {
        const SystolicAutoResult r = autoSizeSystolic(l.model, l.spec, 0.9);
        evaluated = r.evaluated;
        benchmark::DoNotOptimize(r.config.rows);
    }
    state.counters["designs_timed"] = evaluated;
}
BENCHMARK(BM_SystolicAutoSizeMobileNetV1)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
