// Cost of one systolic estimate of MobileNet-V1 (docs/performance.md, "Systolic estimator").
// The project is read as the tests read it until the architecture seam loads `arch:
// systolic` itself: the network by parseProject, the accelerator by readSystolicSpec.
#include "core/estimate/systolic/systolic_auto.h"
#include "core/estimate/systolic/systolic_estimator.h"
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"
#include "core/util/yaml_fields.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace {

using namespace codesign;

struct Loaded {
    Graph graph;
    SystolicModel model;
    SystolicSpec spec;
};

[[noreturn]] void fail(const std::string& message) {
    std::cerr << message << "\n";
    std::exit(2);
}

Loaded load(const char* example) {
    const std::string path = std::string(CODESIGN_SOURCE_DIR) + "/examples/" + example;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    YAML::Node root = YAML::Load(text.str());
    const YAML::Node accelerator = YAML::Clone(root["accelerator"]);
    root.remove("accelerator");
    YAML::Emitter network;
    network << root;
    Result<Project> p = parseProject(network.c_str(), path);
    if (!p.ok())
        fail(p.error().format());
    YamlFields f(accelerator, "accelerator");
    f.string("arch");
    Loaded l;
    l.spec = readSystolicSpec(f);
    Result<Graph> g = buildGraph(*p);
    if (!g.ok())
        fail(g.error().format());
    l.graph = std::move(g).value();
    l.model = prepareSystolic(l.graph, *DeviceLibrary::builtin().find(p->device.name));
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
        benchmark::DoNotOptimize(r.spec.rows);
    }
    state.counters["designs_timed"] = evaluated;
}
BENCHMARK(BM_SystolicAutoSizeMobileNetV1)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
