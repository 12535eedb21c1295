// Does the seed's fast training rank designs as the full training does? (docs/training.md,
// "Fast QoR"). Trains 8 detectors that differ in width and activation precision on the
// synthetic set twice: the "full" recipe (all images, full resolution, more epochs) and the
// fast one (a subset, few epochs, half the resolution), and prints both QoRs and the
// Spearman rank correlation between them. Not a test: it takes minutes.
//
//   fast_qor_rank [--threads T] [--full-images N] [--full-epochs E]
#include "core/model/project_yaml.h"
#include "train/fast_training.h"
#include "train/sample_set.h"
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

namespace {

using namespace codesign;

struct Design {
    int width;       // channels of the first bundle; doubled at each of the next two
    int activations; // activation bits
};

// A DW3+PW1 detector in DNN-A's style at 64x128 (a 4x8 grid of 2 anchors).
std::string projectText(const Design& d) {
    auto c = [&](int k) {
        return std::to_string(d.width << k);
    };
    return "name: rank\ndevice: pynq-z1\ninput: {channels: 3, height: 64, width: 128}\n"
           "precision: {weights: 8, activations: " +
           std::to_string(d.activations) +
           "}\nbundles:\n  b:\n    - {op: dwconv, kernel: 3}\n    - {op: relu}\n"
           "    - {op: pwconv}\n    - {op: relu}\n    - {op: maxpool, kernel: 2}\n"
           "network:\n  - {op: conv, kernel: 3, channels: 8}\n  - {op: relu}\n"
           "  - {op: maxpool, kernel: 2}\n  - {bundle: b, channels: " +
           c(0) + "}\n  - {bundle: b, channels: " + c(1) + "}\n  - {bundle: b, channels: " + c(2) +
           "}\n  - {op: pwconv, channels: 10}\n  - {op: bbox_head, anchors: 2}\n"
           "accelerator: {arch: tiled, auto: true}\n";
}

// Ranks with ties averaged, then Pearson's correlation of the ranks.
std::vector<double> ranks(const std::vector<double>& v) {
    std::vector<std::size_t> order(v.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    std::vector<double> r(v.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]])
            ++j;
        for (std::size_t k = i; k <= j; ++k)
            r[order[k]] = (double(i) + double(j)) / 2 + 1;
        i = j + 1;
    }
    return r;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    const std::vector<double> ra = ranks(a), rb = ranks(b);
    const double n = double(a.size());
    const double ma = std::accumulate(ra.begin(), ra.end(), 0.0) / n;
    const double mb = std::accumulate(rb.begin(), rb.end(), 0.0) / n;
    double sab = 0, saa = 0, sbb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return sab / std::sqrt(saa * sbb);
}

struct Recipe {
    int images;
    int epochs;
    int qatEpochs;
    double resolution;
};

// The design's QoR under a recipe, and the seconds it took; -1 on failure (printed).
double qorOf(const Design& d, const Recipe& r, int threads, double& seconds) {
    Result<Project> p = parseProject(projectText(d), "rank.yaml");
    if (!p.ok()) {
        std::fprintf(stderr, "%s\n", p.error().format().c_str());
        return -1;
    }
    Result<Graph> g = train::graphAtResolution(*p, r.resolution);
    if (!g.ok()) {
        std::fprintf(stderr, "%s\n", g.error().format().c_str());
        return -1;
    }
    train::SyntheticSpec spec;
    spec.count = r.images;
    RunControl control;
    Result<train::SampleSet> data = train::syntheticSamples(spec, g->input, control);
    train::TrainOptions o;
    o.epochs = r.epochs;
    o.qatEpochs = r.qatEpochs;
    o.threads = threads;
    const auto start = std::chrono::steady_clock::now();
    Result<train::TrainResult> t = data.ok() ? train::trainNetwork(*g, *data, o, control)
                                             : Result<train::TrainResult>(data.error());
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!t.ok()) {
        std::fprintf(stderr, "%s\n", t.error().format().c_str());
        return -1;
    }
    return t->metric;
}

} // namespace

int main(int argc, char** argv) {
    int threads = 0;
    Recipe full{512, 8, 2, 1.0};
    const train::FastTraining f;
    const Recipe fast{f.images, f.epochs, f.qatEpochs, f.resolution};
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!std::strcmp(argv[i], "--threads"))
            threads = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--full-images"))
            full.images = std::atoi(argv[i + 1]);
        else if (!std::strcmp(argv[i], "--full-epochs"))
            full.epochs = std::atoi(argv[i + 1]);
    }
    const std::vector<Design> designs = {{4, 8},  {8, 8},  {16, 8}, {32, 8},
                                         {16, 3}, {16, 4}, {8, 4},  {32, 5}};
    std::printf("full: %d images, %d + %d epochs, resolution %.2f; fast: %d images, %d + %d "
                "epochs, resolution %.2f\n",
                full.images, full.epochs, full.qatEpochs, full.resolution, fast.images, fast.epochs,
                fast.qatEpochs, fast.resolution);
    std::printf("%-8s %-6s %9s %9s %9s %9s\n", "width", "A bits", "full IoU", "s", "fast IoU", "s");
    std::vector<double> a, b;
    double fullSeconds = 0, fastSeconds = 0;
    for (const Design& d : designs) {
        double sFull = 0, sFast = 0;
        const double qFull = qorOf(d, full, threads, sFull);
        const double qFast = qorOf(d, fast, threads, sFast);
        if (qFull < 0 || qFast < 0)
            return 1;
        a.push_back(qFull);
        b.push_back(qFast);
        fullSeconds += sFull;
        fastSeconds += sFast;
        std::printf("%-8d %-6d %9.3f %9.1f %9.3f %9.1f\n", d.width, d.activations, qFull, sFull,
                    qFast, sFast);
        std::fflush(stdout);
    }
    std::printf("Spearman rank correlation, fast against full: %.3f over %zu designs; "
                "time %.0f s full, %.0f s fast\n",
                spearman(a, b), designs.size(), fullSeconds, fastSeconds);
    return 0;
}
