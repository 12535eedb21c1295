// Training throughput of the C++ trainer (docs/performance.md, "Training"): DNN-A at
// half its input (resize 0.5: 3x80x180), the real trainNetwork loop (batch assembly,
// forward, loss, backward, Adam), measured over the training steps only. Compare with
// bench/bench_training_torch.py, the same model in Debian's python3-torch.
#include "core/model/project_yaml.h"
#include "train/sample_set.h"
#include "train/trainer.h"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <string>

namespace {

using namespace codesign;

Graph dnnA(double resize) {
    Result<Project> p =
        loadProjectFile(std::string(CODESIGN_SOURCE_DIR) + "/examples/dac19-dnn-a.yaml");
    if (!p.ok())
        return {};
    p->input.resize = resize;
    Result<Graph> g = buildGraph(*p);
    return g.ok() ? std::move(g).value() : Graph{};
}

// state.range(0): batch; state.range(1): libtorch threads (0: its default);
// state.range(2): 1 for quantization-aware steps (W16/A8 fake quantization).
void BM_TrainDnnA(benchmark::State& state) {
    const Graph g = dnnA(0.5);
    const int batch = static_cast<int>(state.range(0));
    train::SyntheticSpec spec;
    spec.count = batch * 8 + 2; // 8 training steps per epoch, 2 images held out
    RunControl control;
    Result<train::SampleSet> data = train::syntheticSamples(spec, g.input, control);
    if (g.nodes.empty() || !data.ok()) {
        state.SkipWithError("cannot build DNN-A or its data");
        return;
    }
    train::TrainOptions o;
    o.batch = batch;
    o.threads = static_cast<int>(state.range(1));
    o.validationFraction = 2.0 / double(spec.count);
    o.epochs = state.range(2) ? 0 : 1;
    o.qatEpochs = state.range(2) ? 1 : 0;
    double images = 0;
    for (auto _ : state) {
        Result<train::TrainResult> r = train::trainNetwork(g, *data, o, control);
        if (!r.ok()) {
            state.SkipWithError(r.error().format().c_str());
            return;
        }
        const double stepImages = static_cast<double>(r->trainImages);
        state.SetIterationTime(stepImages / r->imagesPerSecond);
        images += stepImages;
    }
    state.counters["images_per_s"] = benchmark::Counter(images, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TrainDnnA)
    ->ArgNames({"batch", "threads", "qat"})
    ->Args({16, 1, 0})
    ->Args({16, 2, 0})
    ->Args({16, 1, 1})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

} // namespace

BENCHMARK_MAIN();
