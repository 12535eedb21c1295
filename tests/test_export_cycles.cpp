// The estimator against the exported design: exportCycles (hls_export/export_cycles.cpp)
// walks the exported loops tile by tile over the real need regions; the estimator's
// closed form (core/estimate/tiled_estimator.cpp) must stay within kTolerance of it on the
// DAC-SDC examples with the design auto sizing picks, on fixed designs and on other
// networks (docs/estimator.md, "Cycles").
#include "core/estimate/design_estimate.h"
#include "core/estimate/tiled/tiled_estimator.h"
#include "core/estimate/tiled/tiled_resources.h"
#include "core/hw/bram_packing.h"
#include "core/hw/device_library.h"
#include "hls_export/export_cycles.h"
#include "tiled_test_support.h"

#include <cmath>

using namespace codesign;
using namespace codesign::testing;

namespace {

// The closed form replaces each tile's regions by sums over the tiles: it is exact for
// the pixel loops, and errs where tiles differ (halos clipped at the borders, uneven
// last tiles, the max(load, compute) of each tile taken on averages). Those stay within a
// few per cent on these designs; 5 % is tighter than any choice between the designs the
// auto sizer compares would need to be checked against.
constexpr double kTolerance = 0.05;
// One group alone errs more (4.9 % at most on the sweep below, at one-row tiles, where the
// averaged misalignment of a stride-2 layer's tiles is coarsest); held to 10 % so that
// errors cannot cancel between groups. Groups under 2 % of the total are not held to it.
constexpr double kGroupTolerance = 0.10;

struct Compared {
    std::int64_t estimated = 0;
    std::int64_t exported = 0;
    double depthError = 0; // tile-memory and psum depth (BRAM), estimator vs the plan
    double worstGroup = 0; // largest |error| of a group worth 2 % of the total or more
    double error() const { return double(estimated) / double(exported) - 1; }
};

Compared compare(const Graph& graph, const Device& device, const TiledConfig& config) {
    const TiledModel model = buildTiledModel(graph, device);
    const Estimate e = estimateTiled(model, config, true);
    Result<hls::HlsPlan> plan = hls::planAccelerator(graph, config, device);
    if (!plan.ok())
        qFatal("%s", plan.error().format().c_str());
    const hls::ExportCycles x = hls::exportCycles(*plan, graph);
    Compared r{e.cycles / std::max(1, config.batch), x.total};
    const TiledResources res = tiledResources(model, config);
    r.depthError = std::max(std::abs(double(res.tileDepth) / plan->tileDepth - 1),
                            std::abs(double(res.psumDepth) / plan->psumDepth - 1));
    if (std::get<TiledDetail>(e.detail).groups.size() != x.groups.size())
        qFatal("group lists differ");
    for (std::size_t g = 0; g < x.groups.size(); ++g)
        if (x.groups[g].cycles * 50 >= x.total)
            r.worstGroup = std::max(
                r.worstGroup, std::abs(double(std::get<TiledDetail>(e.detail).groups[g].cycles) /
                                           x.groups[g].cycles -
                                       1));
    return r;
}

DesignEstimate estimateText(const std::string& text) {
    return estimateOrFatal(text);
}

std::string withAccelerator(std::string text, const std::string& accelerator) {
    const auto at = text.find("accelerator:");
    if (at == std::string::npos)
        qFatal("no accelerator section");
    return text.substr(0, at) + accelerator;
}

// Estimated and exported cycles of a project, its config as estimated (auto or fixed).
Compared compareProject(const std::string& text, bool doubleBuffer = true) {
    const DesignEstimate pe = estimateText(text);
    TiledConfig c = std::get<TiledDetail>(pe.estimate.detail).config;
    c.doubleBuffer = doubleBuffer;
    const Compared r = compare(pe.graph, pe.device, c);
    qInfo("pw %dx%d dw %d tile %dx%d: estimate %lld, export %lld cycles (%+.1f %%, worst "
          "group %.1f %%, buffer depth %.1f %%)",
          c.pwIn, c.pwOut, c.dwParallel, c.tileRows, c.tileCols,
          static_cast<long long>(r.estimated), static_cast<long long>(r.exported), 100 * r.error(),
          100 * r.worstGroup, 100 * r.depthError);
    return r;
}

// The plan's buffers (tile memory, partial sums, line buffer) cost as many BRAM18 as the
// estimator's.
bool buffersCostTheSame(const DesignEstimate& pe, const TiledConfig& c, const hls::HlsPlan& plan) {
    const TiledModel m = buildTiledModel(pe.graph, pe.device);
    const TiledResources res = tiledResources(m, c);
    const BramRule& rule = pe.device.bramRule;
    auto bram = [&](int width, std::int64_t depth, int banks) {
        return memoryCost(rule, {width, depth, banks}).bram18;
    };
    const int lines = c.dwParallel * (m.dwWindowH - 1);
    const bool same =
        bram(m.maxActivationBits, plan.tileDepth, plan.banks) ==
            bram(m.maxActivationBits, res.tileDepth, plan.banks) &&
        bram(m.pwAccBits, plan.psumDepth, c.pwOut) == bram(m.pwAccBits, res.psumDepth, c.pwOut) &&
        bram(m.maxActivationBits, plan.lineCols, lines) ==
            bram(m.maxActivationBits, res.lineCols, lines);
    if (!same)
        qWarning("buffers: plan depth %d / psum %d / line %d, estimate %lld / %lld / %lld",
                 plan.tileDepth, plan.psumDepth, plan.lineCols,
                 static_cast<long long>(res.tileDepth), static_cast<long long>(res.psumDepth),
                 static_cast<long long>(res.lineCols));
    return same;
}

bool agrees(const Compared& r) {
    return std::abs(r.error()) <= kTolerance && r.worstGroup <= kGroupTolerance &&
           r.depthError <= kTolerance;
}

} // namespace

class TestExportCycles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The walk by hand: one pwconv 16 -> 32 on 8x8, Tn 4, Tm 8, one 8x8 tile, pynq-z1
    // (64-bit port, 40-cycle latency), 8-bit everything, bias, no folded layers.
    void walkByHand() {
        const DesignEstimate pe =
            estimateText("name: t\ndevice: pynq-z1\ninput: {channels: 16, height: 8, width: 8}\n"
                         "precision: {weights: 8, activations: 8}\nnetwork:\n"
                         "  - {op: pwconv, channels: 32}\n"
                         "accelerator: {arch: tiled, pw_in: 4, pw_out: 8, dw_parallel: 1, "
                         "tile: [8, 8]}\n");
        Result<hls::HlsPlan> plan = hls::planAccelerator(
            pe.graph, std::get<TiledDetail>(pe.estimate.detail).config, pe.device);
        QVERIFY(plan.ok());
        const hls::ExportCycles x = hls::exportCycles(*plan, pe.graph);
        QCOMPARE(x.groups.size(), std::size_t(1));
        const hls::ExportGroupCycles& g = x.groups[0];
        // load: 2 channel words x 8 rows x (8 beats + 40)
        QCOMPARE(g.load, std::int64_t(2 * 8 * (8 + 40)));
        // PW: 4 output blocks x 4 input blocks, each pass one flat loop of 64 pixels +
        // depth 8 + the output stage's 5
        QCOMPARE(g.compute, std::int64_t(4 * 4 * (64 + 13)));
        // weights: the first block (32 elements / 8 per word + 40) before the passes, the
        // rest fetched during a pass (shorter than it); 4 x biases 8 + 40; no bn
        QCOMPARE(g.weights, std::int64_t((4 + 40) + 4 * (8 + 40)));
        // store: 4 words x 8 rows x (8 + 40)
        QCOMPARE(g.store, std::int64_t(4 * 8 * (8 + 40)));
        QCOMPARE(x.total, g.load + g.compute + g.weights + g.store);
        // one tile and no halo: the closed form is exact
        QCOMPARE(pe.estimate.cycles, x.total);
    }

    // The blocked walk by hand: the same pwconv over 16 -> 16 channels in blocks of 8, so
    // two output blocks (Tm 8) x two input blocks per tile (docs/estimator.md, "Channel
    // blocking").
    void blockedWalkByHand() {
        const DesignEstimate pe =
            estimateText("name: t\ndevice: pynq-z1\ninput: {channels: 16, height: 8, width: 8}\n"
                         "precision: {weights: 8, activations: 8}\nnetwork:\n"
                         "  - {op: pwconv, channels: 16}\n"
                         "accelerator: {arch: tiled, pw_in: 4, pw_out: 8, dw_parallel: 1, "
                         "tile: [8, 8], channel_block: 8}\n");
        Result<hls::HlsPlan> plan = hls::planAccelerator(
            pe.graph, std::get<TiledDetail>(pe.estimate.detail).config, pe.device);
        QVERIFY(plan.ok());
        QVERIFY(plan->groups[0].blocked());
        QCOMPARE(plan->groups[0].inBlocks, 2);
        QCOMPARE(plan->groups[0].outBlocks, 2);
        const hls::ExportCycles x = hls::exportCycles(*plan, pe.graph);
        const hls::ExportGroupCycles& g = x.groups[0];
        // the input, per (output block, input block): 1 channel word x 8 rows x (8 + 40)
        QCOMPARE(g.load, std::int64_t(2 * 2 * 8 * (8 + 40)));
        // per call 2 passes of 64 pixels + depth 8 + output stage 5: as many as unblocked
        QCOMPARE(g.compute, std::int64_t(2 * 2 * 2 * (64 + 13)));
        // per call the first weight block in the open (4 words + 40), the second beside
        // the first pass; biases (8 + 40) only in the calls of the last input block
        QCOMPARE(g.weights, std::int64_t(4 * (4 + 40) + 2 * (8 + 40)));
        QCOMPARE(g.store, std::int64_t(2 * 8 * (8 + 40)));
        // the block loads run inside the tile's compute: nothing overlaps on one tile
        QCOMPARE(x.total, g.load + g.compute + g.weights + g.store);
        QCOMPARE(pe.estimate.cycles, x.total);
        // the tile memory holds a block of the input (1 word per bank of 8) and the output
        QCOMPARE(plan->tileDepth, 1 * 64 + 2 * 64);
    }

    void dacSdcAutoSized() {
        for (const char* name : {"a", "b", "c"}) {
            const std::string path =
                sourcePath(std::string("examples/dac19-dnn-") + name + ".yaml");
            QVERIFY2(agrees(compareProject(readText(path))), name);
        }
    }

    // The BRAM18 the estimate reports is what the exported buffers take: the plan's depths
    // (tile memory, partial sums, line buffer) cost as many BRAM18 as the estimator's, also
    // with the groups on tiles of their own, sized right up to those buffers.
    void dacSdcBuffersCostWhatTheEstimateSays() {
        for (const char* name : {"a", "b", "c"}) {
            const DesignEstimate pe = estimateText(
                readText(sourcePath(std::string("examples/dac19-dnn-") + name + ".yaml")));
            const TiledConfig& c = std::get<TiledDetail>(pe.estimate.detail).config;
            QVERIFY(!c.groupTiles.empty());
            const TiledModel m = buildTiledModel(pe.graph, pe.device);
            const TiledResources res = tiledResources(m, c);
            Result<hls::HlsPlan> plan = hls::planAccelerator(pe.graph, c, pe.device);
            QVERIFY(plan.ok());
            const BramRule& rule = pe.device.bramRule;
            auto bram = [&](int width, std::int64_t depth, int banks) {
                return memoryCost(rule, {width, depth, banks}).bram18;
            };
            QCOMPARE(bram(m.maxActivationBits, plan->tileDepth, plan->banks),
                     bram(m.maxActivationBits, res.tileDepth, plan->banks));
            QCOMPARE(bram(m.pwAccBits, plan->psumDepth, c.pwOut),
                     bram(m.pwAccBits, res.psumDepth, c.pwOut));
            const int lines = c.dwParallel * (m.dwWindowH - 1);
            QCOMPARE(bram(m.maxActivationBits, plan->lineCols, lines),
                     bram(m.maxActivationBits, res.lineCols, lines));
        }
    }

    // Fixed designs: tall and wide tiles, a coarse grid, and single buffering.
    void dacSdcFixed() {
        const std::string a = readText(sourcePath("examples/dac19-dnn-a.yaml"));
        const std::string c = readText(sourcePath("examples/dac19-dnn-c.yaml"));
        QVERIFY(agrees(compareProject(
            withAccelerator(a, "accelerator: {arch: tiled, pw_in: 8, pw_out: 16, dw_parallel: 4, "
                               "tile: [20, 45]}\n"))));
        QVERIFY(agrees(compareProject(
            withAccelerator(c, "accelerator: {arch: tiled, pw_in: 4, pw_out: 32, dw_parallel: 8, "
                               "tile_grid: [4, 4]}\n"))));
        QVERIFY(agrees(
            compareProject(withAccelerator(a, "accelerator: {arch: tiled, pw_in: 16, pw_out: 8, "
                                              "dw_parallel: 2, tile: [7, 30]}\n"),
                           false)));
    }

    // Every tile shape from one row to the whole map, on DNN-B (16-bit maps) and DNN-C:
    // the halos of short tiles, misaligned strided windows and uneven last tiles.
    void tileSweep() {
        double worst = 0, worstGroup = 0, worstDepth = 0;
        for (const char* name : {"b", "c"}) {
            const std::string text =
                readText(sourcePath(std::string("examples/dac19-dnn-") + name + ".yaml"));
            for (int rows : {1, 2, 3, 5, 8, 13, 40, 160})
                for (int cols : {7, 18, 45, 100, 360}) {
                    const DesignEstimate pe = estimateText(withAccelerator(
                        text, "accelerator: {arch: tiled, pw_in: 8, pw_out: 16, dw_parallel: 4, "
                              "tile: [" +
                                  std::to_string(rows) + ", " + std::to_string(cols) + "]}\n"));
                    const Compared r = compare(pe.graph, pe.device,
                                               std::get<TiledDetail>(pe.estimate.detail).config);
                    worst = std::max(worst, std::abs(r.error()));
                    worstGroup = std::max(worstGroup, r.worstGroup);
                    worstDepth = std::max(worstDepth, r.depthError);
                    QVERIFY2(agrees(r), (std::string(name) + " tile " + std::to_string(rows) + "x" +
                                         std::to_string(cols))
                                            .c_str());
                }
        }
        qInfo("largest difference over the sweep: %.2f %% (one group: %.2f %%, buffer depth: "
              "%.2f %%)",
              100 * worst, 100 * worstGroup, 100 * worstDepth);
    }

    // Other shapes of network: MobileNet-V1 (stride-2 windows, global pool + fc in one
    // group), ResNet-18 (add, skips stored for later groups).
    void otherNetworks() {
        QVERIFY(agrees(compareProject(readText(dataPath("mobilenet-v1.yaml")))));
        QVERIFY(agrees(compareProject(readText(dataPath("resnet-18.yaml")))));
    }

    // Channel blocking (docs/estimator.md, "Channel blocking"): the walk over the blocked
    // loops against the closed form, and the plan's buffers against the estimate's BRAM18,
    // on the DAC-SDC networks and on DW/PW bundles and plain convs with short last blocks
    // and blocks that are not multiples of dw_parallel; double- and single-buffered.
    void channelBlocked() {
        const std::string bundles =
            "name: t\ndevice: pynq-z1\ninput: {channels: 3, height: 88, width: 120}\n"
            "precision: {weights: 8, activations: 8}\n" +
            std::string(kBlockedBundles) +
            "network:\n"
            "  - {op: conv, kernel: 3, channels: 40}\n"
            "  - {bundle: dw_pw, channels: 52}\n"
            "  - {bundle: pool_dw_pw, channels: 96}\n"
            "  - {bundle: dw_pw, channels: 100}\n"
            "accelerator: {arch: tiled, pw_in: 4, pw_out: 16, dw_parallel: 6, tile: [11, 30], "
            "channel_block: ";
        const std::string convs =
            "name: t\ndevice: pynq-z1\ninput: {channels: 3, height: 96, width: 128}\n"
            "precision: {weights: 8, activations: 8}\nnetwork:\n"
            "  - {op: conv, kernel: 3, channels: 44}\n"
            "  - {op: relu}\n"
            "  - {op: conv, kernel: 3, stride: 2, channels: 60}\n"
            "  - {op: conv, kernel: 3, channels: 90}\n"
            "  - {op: maxpool, kernel: 2}\n"
            "  - {op: conv, kernel: 1, channels: 20}\n"
            "accelerator: {arch: tiled, pw_in: 8, pw_out: 8, dw_parallel: 4, tile: [12, 16], "
            "channel_block: ";
        std::vector<std::pair<std::string, bool>> designs;
        for (const char* block : {"8", "16", "24"}) {
            designs.emplace_back(bundles + block + "}\n", true);
            designs.emplace_back(convs + block + "}\n", true);
        }
        designs.emplace_back(bundles + "12}\n", false);
        designs.emplace_back(convs + "16}\n", false);
        for (const char* name : {"a", "b", "c"})
            designs.emplace_back(
                withAccelerator(
                    readText(sourcePath(std::string("examples/dac19-dnn-") + name + ".yaml")),
                    "accelerator: {arch: tiled, pw_in: 8, pw_out: 16, dw_parallel: 4, "
                    "tile: [20, 45], channel_block: 32}\n"),
                true);
        designs.emplace_back(readText(sourcePath("examples/channel-blocked-bottleneck.yaml")),
                             true);
        for (const auto& [text, doubleBuffer] : designs) {
            const DesignEstimate pe = estimateText(text);
            TiledConfig c = std::get<TiledDetail>(pe.estimate.detail).config;
            c.doubleBuffer = doubleBuffer;
            Result<hls::HlsPlan> plan = hls::planAccelerator(pe.graph, c, pe.device);
            QVERIFY(plan.ok());
            QVERIFY(std::any_of(plan->groups.begin(), plan->groups.end(),
                                [](const hls::PlanGroup& g) { return g.blocked(); }));
            QVERIFY(agrees(compareProject(text, doubleBuffer)));
            QVERIFY(buffersCostTheSame(pe, c, *plan));
        }
    }

    // Blocking shrinks the tile memory it is for: DNN-A's exported tile memory with blocks
    // of 32 channels is smaller than the whole-tensor design's, and so is the estimate's.
    void channelBlockingShrinksTheTileMemory() {
        const std::string a = readText(sourcePath("examples/dac19-dnn-a.yaml"));
        const std::string design =
            "accelerator: {arch: tiled, pw_in: 8, pw_out: 16, dw_parallel: 4, tile: [20, 45]";
        int depth[2] = {0, 0};
        for (int k = 0; k < 2; ++k) {
            const DesignEstimate pe =
                estimateText(withAccelerator(a, design + (k ? ", channel_block: 32}\n" : "}\n")));
            const TiledConfig& c = std::get<TiledDetail>(pe.estimate.detail).config;
            Result<hls::HlsPlan> plan = hls::planAccelerator(pe.graph, c, pe.device);
            QVERIFY(plan.ok());
            depth[k] = plan->tileDepth;
            QCOMPARE(std::int64_t(plan->tileDepth),
                     tiledResources(buildTiledModel(pe.graph, pe.device), c).tileDepth);
        }
        qInfo("DNN-A tile memory: %d words per bank whole, %d in blocks of 32", depth[0], depth[1]);
        QVERIFY(depth[1] < depth[0]);
    }

    // Remap unit (upsample, reorg, concat), a standalone relu, an add, a skip stored for a
    // later group, and a bbox_head sharing a group.
    void remapAndHead() {
        const std::string text =
            "name: t\ndevice: pynq-z1\ninput: {channels: 8, height: 32, width: 48}\n"
            "precision: {weights: 8, activations: 8}\n"
            "bundles:\n"
            "  b:\n"
            "    - {op: conv, kernel: 3}\n"
            "    - {op: relu}\n"
            "    - {op: maxpool, kernel: 2}\n"
            "    - {op: upsample, factor: 2}\n"
            "    - {op: dwconv, kernel: 3}\n"
            "    - {op: reorg, factor: 2}\n"
            "  head:\n"
            "    - {op: pwconv, channels: 10}\n"
            "    - {op: bbox_head, anchors: 2}\n"
            "network:\n"
            "  - {bundle: b, channels: 16, id: x}\n"
            "  - {op: relu}\n"
            "  - {op: conv, kernel: 1, channels: 64}\n"
            "  - {op: add, inputs: [x]}\n"
            "  - {op: concat, inputs: [x]}\n"
            "  - {bundle: head}\n"
            "accelerator: {arch: tiled, pw_in: 4, pw_out: 8, dw_parallel: 4, tile: [6, 10]}\n";
        QVERIFY(agrees(compareProject(text)));
        QVERIFY(agrees(compareProject(text, false)));
    }
};

QTEST_APPLESS_MAIN(TestExportCycles)

#include "test_export_cycles.moc"
