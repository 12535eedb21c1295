// Cost of one streaming (fpgaConvNet-style) estimate and of the streaming optimisers
// (docs/performance.md, "Streaming").
#include "core/estimate/streaming/streaming_optimiser.h"
#include "core/hw/device_library.h"
#include "core/model/project_device.h"
#include "core/model/project_yaml.h"

#include <benchmark/benchmark.h>
#include <cstdlib>
#include <iostream>

namespace {

using namespace codesign;

[[noreturn]] void fail(const Diagnostic& d) {
    std::cerr << d.format() << "\n";
    std::exit(2);
}

// A project as a streaming model: its accelerator when it says `arch: streaming`, else a
// streaming accelerator at the project's clock.
StreamingModel load(const std::string& relative, AcceleratorSpec& spec) {
    Result<Project> p = loadProjectFile(std::string(CODESIGN_SOURCE_DIR) + "/" + relative);
    if (!p.ok())
        fail(p.error());
    spec = p->accelerator;
    if (!std::holds_alternative<StreamingSpec>(spec.family))
        spec.family = StreamingSpec{};
    Result<Graph> g = buildGraph(*p);
    Result<Device> d = resolveDevice(*p, DeviceLibrary::builtin());
    if (!g.ok() || !d.ok())
        fail(g.ok() ? d.error() : g.error());
    Result<StreamingModel> m = prepareStreaming(*g, *d, spec, relative);
    if (!m.ok())
        fail(m.error());
    return std::move(m).value();
}

// DNN-C (the tiled benchmark's network: 24 hardware layers here, bbox_head on the host) on
// the Pynq-Z1 with the folding and partitions our optimiser chooses, held fixed.
struct Fixed {
    StreamingModel model;
    StreamingDesign design;
};

const Fixed& dnnC() {
    static const Fixed fixed = [] {
        AcceleratorSpec spec;
        Fixed f{load("examples/dac19-dnn-c.yaml", spec), {}};
        f.design = optimiseStreaming(f.model, StreamingMethod::Descent).design;
        return f;
    }();
    return fixed;
}

// One estimate with fixed folding, totals and partitions, repeated: after the first, every
// layer's timing and resources come from the per-layer memo (PartitionScratch).
void BM_StreamingEstimateDnnCFixed(benchmark::State& state) {
    const Fixed& f = dnnC();
    StreamingEstimate e;
    StreamingScratch scratch;
    for (auto _ : state) {
        estimateStreamingInto(f.model, f.design, e, false, scratch);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["partitions"] = double(f.design.partitions.size());
    state.counters["layers"] = double(f.model.net.layers.size());
}
BENCHMARK(BM_StreamingEstimateDnnCFixed);

// The same with every layer computed afresh (the per-layer memo off): the cost of a design
// whose every folding is new.
void BM_StreamingEstimateDnnCCold(benchmark::State& state) {
    const Fixed& f = dnnC();
    StreamingEstimate e;
    StreamingScratch scratch;
    scratch.partition.useMemo = false;
    for (auto _ : state) {
        estimateStreamingInto(f.model, f.design, e, false, scratch);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamingEstimateDnnCCold);

// An optimiser's step: one layer's folding differs from the previous estimate (the slowest
// conv's coarse_out toggles), the other layers come from the memo.
void BM_StreamingEstimateDnnCOneLayerChanged(benchmark::State& state) {
    const Fixed& f = dnnC();
    StreamingDesign design = f.design;
    int layer = 0;
    for (int i = 0; i < int(f.model.net.layers.size()); ++i)
        if (f.model.net.layers[i].kind == HwKind::Conv)
            layer = i;
    const LayerFolding a = design.folding[layer];
    LayerFolding b = a;
    b.coarseOut = a.coarseOut == 1 ? 2 : 1;
    StreamingEstimate e;
    StreamingScratch scratch;
    bool flip = false;
    for (auto _ : state) {
        design.folding[layer] = (flip = !flip) ? b : a;
        estimateStreamingInto(f.model, design, e, false, scratch);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamingEstimateDnnCOneLayerChanged);

// The same with a row per layer and squeeze (what the CLI and GUI show).
void BM_StreamingEstimateDnnCDetailed(benchmark::State& state) {
    const Fixed& f = dnnC();
    StreamingEstimate e;
    StreamingScratch scratch;
    for (auto _ : state) {
        estimateStreamingInto(f.model, f.design, e, true, scratch);
        benchmark::DoNotOptimize(e.fps);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StreamingEstimateDnnCDetailed);

// The mapping, once per network.
void BM_StreamingPrepareDnnC(benchmark::State& state) {
    const Fixed& f = dnnC();
    AcceleratorSpec spec;
    spec.clockMhz = 100;
    spec.family = StreamingSpec{};
    Result<Graph> g = [] {
        Result<Project> p =
            loadProjectFile(std::string(CODESIGN_SOURCE_DIR) + "/examples/dac19-dnn-c.yaml");
        return buildGraph(*p);
    }();
    for (auto _ : state) {
        Result<StreamingModel> m = prepareStreaming(*g, f.model.device, spec);
        benchmark::DoNotOptimize(m.ok());
    }
}
BENCHMARK(BM_StreamingPrepareDnnC);

// Each optimiser on a network: wall time of the run; the counters give the throughput it
// reaches and when it found its best design.
void runOptimiser(benchmark::State& state, const char* file) {
    AcceleratorSpec spec;
    const StreamingModel model = load(file, spec);
    const auto method = static_cast<StreamingMethod>(state.range(0));
    StreamingOptimiserResult r;
    for (auto _ : state)
        r = optimiseStreaming(model, method);
    state.SetLabel(streamingMethodName(method));
    state.counters["fps"] = r.fps;
    state.counters["feasible"] = r.feasible;
    state.counters["s_to_best"] = r.secondsToBest;
    state.counters["evaluations"] = double(r.evaluations);
    state.counters["partitions"] = double(r.design.partitions.size());
}

void BM_OptimiseVgg16Zcu104(benchmark::State& state) {
    runOptimiser(state, "tests/data/streaming_vgg16_gp.yaml");
}
BENCHMARK(BM_OptimiseVgg16Zcu104)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

void BM_OptimiseVggZc706(benchmark::State& state) {
    runOptimiser(state, "examples/streaming-vgg-zc706.yaml");
}
BENCHMARK(BM_OptimiseVggZc706)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

void BM_OptimiseLenetZedboard(benchmark::State& state) {
    runOptimiser(state, "examples/streaming-lenet.yaml");
}
BENCHMARK(BM_OptimiseLenetZedboard)->DenseRange(0, 2)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
