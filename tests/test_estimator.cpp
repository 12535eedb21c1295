// The tiled bundle-accelerator estimator: hand-computed cases for every formula of
// docs/estimator.md, the seed's observations, and the three DAC-SDC examples.
#include "core/estimate/design_estimate.h"
#include "core/estimate/tiled/auto_sizer.h"
#include "core/estimate/tiled/halo_memo.h"
#include "core/estimate/tiled/storage_formats.h"
#include "core/estimate/tiled/tiled_estimator.h"
#include "core/estimate/tiled/tiled_resources.h"
#include "core/hw/device_library.h"
#include "core/hw/power_model.h"
#include "test_support.h"

using namespace codesign;
using namespace codesign::testing;

namespace {

struct Built {
    Graph graph;
    TiledModel model;
};

Built buildModel(const std::string& network, const std::string& input,
                 const std::string& precision = "{weights: 8, activations: 8}",
                 const std::string& device = "pynq-z1") {
    const std::string text = "name: t\ndevice: " + device + "\ninput: " + input +
                             "\nprecision: " + precision + "\nnetwork:\n" + network;
    Result<Project> p = parseProject(text, "t.yaml");
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    Result<Graph> g = buildGraph(*p);
    if (!g.ok())
        qFatal("%s", g.error().format().c_str());
    Built b{std::move(g).value(), {}};
    b.model = buildTiledModel(b.graph, *DeviceLibrary::builtin().find(device));
    return b;
}

TiledConfig config(int tn, int tm, int pd, int tr, int tc, bool doubleBuffer = true) {
    TiledConfig c;
    c.clockMhz = 100;
    c.pwIn = tn;
    c.pwOut = tm;
    c.dwParallel = pd;
    c.tileRows = tr;
    c.tileCols = tc;
    c.doubleBuffer = doubleBuffer;
    return c;
}

DesignEstimate estimateFile(const std::string& path, const std::string& edit = {},
                            const std::string& with = {}) {
    std::string text = readText(path);
    if (!edit.empty()) {
        const auto at = text.find(edit);
        if (at == std::string::npos)
            qFatal("edit target not found: %s", edit.c_str());
        text.replace(at, edit.size(), with);
    }
    Result<Project> p = parseProject(text, path);
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    Result<DesignEstimate> e = estimateDesign(*p, DeviceLibrary::builtin());
    if (!e.ok())
        qFatal("%s", e.error().format().c_str());
    return std::move(e).value();
}

const EffectiveFormats& formatsOf(const DesignEstimate& de) {
    return std::get<TiledDetail>(de.estimate.detail).formats;
}

bool near(double value, double target, double tolerance) {
    return std::abs(value / target - 1) <= tolerance;
}

} // namespace

class TestEstimator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // One PW layer, 16 -> 32 channels on 8x8, one 8x8 tile, Tn = 4, Tm = 8, pynq-z1
    // (64-bit port, 40-cycle read latency), all numbers by hand.
    void pointwiseByHand() {
        Built b =
            buildModel("  - {op: pwconv, channels: 32}\n", "{channels: 16, height: 8, width: 8}");
        const Estimate e = estimateTiled(b.model, config(4, 8, 1, 8, 8));
        // compute: 32/8 = 4 output blocks x 16/4 = 4 passes, each one flat loop of 64
        // pixels + depth (6 + log2(4) + the output stage's 5) = 1232
        QCOMPARE(std::get<TiledDetail>(e.detail).layers[0].computeCycles,
                 std::int64_t(4 * 4 * (64 + 13)));
        // weights: the first block of 32 bytes (4 beats + 40) before the first pass; the
        // others are fetched during the pass before (77 cycles > 44: hidden); per output
        // block the biases 8 + 40; no bn, so no bn parameters
        QCOMPARE(std::get<TiledDetail>(e.detail).layers[0].weightCycles, std::int64_t(44 + 4 * 48));
        QCOMPARE(e.layers[0].cycles, std::int64_t(1232 + 236));
        // load: 2 channel words x 8 rows bursts of (8 beats + 40 latency) = 768
        QCOMPARE(std::get<TiledDetail>(e.detail).groups[0].loadCycles, std::int64_t(768));
        // store: 4 words x 8 rows bursts of (8 beats + 40 for the write response) = 1536
        QCOMPARE(std::get<TiledDetail>(e.detail).groups[0].storeCycles, std::int64_t(1536));
        // one tile: nothing to overlap
        QCOMPARE(e.cycles, std::int64_t(768 + 1468 + 1536));
        QCOMPARE(e.fps, 100e6 / 3772);
        // the stores (1536) now take longer than the PW unit (1232 + 236)
        QCOMPARE(std::get<TiledDetail>(e.detail).groups[0].limitedBy,
                 std::string("memory: feature-map stores"));
        // DDR: 1024 B in, 2048 B out, 544 B of weights
        QCOMPARE(e.ddrBytesPerImage, std::int64_t(1024 + 2048 + 544));
        // DSP: 32 products of 8 x 8 pack two per DSP48E1 (2*8 + 8 <= 26)
        QCOMPARE(e.used.dsp, std::int64_t(16));
    }

    // Buffers of the same design (docs/estimator.md, "BRAM18"): one tile memory of
    // max(Tn, Tm, Pd) = 8 banks holding the input (16/8 * 64 = 128 words per bank) and the
    // output (32/8 * 64 = 256): 384 deep, padded to 512 x 8 bits -> 1 BRAM18 per bank,
    // x2 for ping-pong = 16. Partial sums: 8 banks x 64 deep x 22 bits (8 + 8 product bits,
    // ceil(log2(16 + 1)) + 1 of growth, the export's exact acc_t) -> 1 each = 8.
    void pointwiseBramByHand() {
        Built b =
            buildModel("  - {op: pwconv, channels: 32}\n", "{channels: 16, height: 8, width: 8}");
        const TiledResources r = tiledResources(b.model, config(4, 8, 1, 8, 8), true);
        QCOMPARE(b.model.pwAccBits, 22);
        QCOMPARE(r.bramInput, std::int64_t(16));
        QCOMPARE(r.bramPsum, std::int64_t(8));
        QCOMPARE(r.total.bram18, std::int64_t(24));
    }

    // Four 4x4 tiles: double buffering overlaps the next tile's load with this tile's
    // units and stores; those run in sequence.
    void tilesAndDoubleBuffering() {
        Built b =
            buildModel("  - {op: pwconv, channels: 32}\n", "{channels: 16, height: 8, width: 8}");
        const Estimate db = estimateTiled(b.model, config(4, 8, 1, 4, 4, true));
        // per tile: compute 16 passes x (16 pixels + depth 13) = 464; weights: the first
        // fetch 44, biases 4 x 48, and 15 passes of 29 cycles that each wait 44 - 29 = 15
        // for the next block's fetch: 461; load 2 x 4 x (4 + 40) = 352; store 4 x 4 x
        // (4 + 40) = 704
        QCOMPARE(std::get<TiledDetail>(db.detail).layers[0].computeCycles, std::int64_t(4 * 464));
        QCOMPARE(std::get<TiledDetail>(db.detail).layers[0].weightCycles,
                 std::int64_t(4 * (44 + 4 * 48 + 15 * 15)));
        QCOMPARE(std::get<TiledDetail>(db.detail).groups[0].tiles, 4);
        // first load, then each tile's units and stores (longer than the next load)
        QCOMPARE(db.cycles, std::int64_t(352 + 4 * (464 + 461 + 704)));
        const Estimate sb = estimateTiled(b.model, config(4, 8, 1, 4, 4, false));
        QCOMPARE(sb.cycles, std::int64_t(4 * (352 + 464 + 461 + 704)));
        QVERIFY(sb.fps < db.fps);
    }

    // DW unit: ceil(C / lanes) blocks, each streaming the input box (rows - 1 + 3) x
    // (cols - 1 + 3) through the line buffer at II 1, plus the depth 6 + log2(9) + 5 = 15.
    void depthwiseByHand() {
        Built b =
            buildModel("  - {op: dwconv, kernel: 3}\n", "{channels: 16, height: 8, width: 8}");
        const Estimate e = estimateTiled(b.model, config(1, 1, 4, 8, 8));
        QCOMPARE(std::get<TiledDetail>(e.detail).layers[0].computeCycles,
                 std::int64_t(4 * (10 * 10 + 15)));
        // one tile: the window's halo lies outside the map (zero padding), nothing extra
        QCOMPARE(std::get<TiledDetail>(e.detail).groups[0].loadCycles,
                 std::int64_t(2 * 8 * (8 + 40)));
        QCOMPARE(e.used.dsp, std::int64_t(4 * 9 / 2)); // 8x8 bits pack two per DSP
    }

    // Pooling on the Tm-lane pool unit: one flat loop over (pixel, tap); the window read and
    // the write share a lane's dual-port bank, II = 1. No DSP.
    void poolingByHand() {
        Built b =
            buildModel("  - {op: maxpool, kernel: 2}\n", "{channels: 16, height: 8, width: 8}");
        const Estimate e = estimateTiled(b.model, config(1, 8, 1, 4, 4));
        // output 4x4 is one tile: ceil(16/8) blocks x (16 pixels x 4 taps + depth 4)
        QCOMPARE(std::get<TiledDetail>(e.detail).layers[0].computeCycles,
                 std::int64_t(2 * (16 * 4 + 4)));
        QCOMPARE(e.used.dsp, std::int64_t(0));
    }

    // Power: board + PL static + f * (DSP, BRAM, LUT, FF coefficients) + DDR energy.
    void powerByHand() {
        PowerCoefficients c;
        c.boardStaticW = 1.5;
        c.plStaticW = 0.1;
        c.dspMwPerMhz = 0.005;
        c.bram18MwPerMhz = 0.01;
        c.lutUwPerMhz = 0.02;
        c.ffUwPerMhz = 0.01;
        c.ddrNjPerByte = 0.5;
        const Resources used{100, 50, 10000, 20000};
        const PowerBreakdown p = boardPower(c, used, 100, 1e8);
        QCOMPARE(p.dspW, 0.05);
        QCOMPARE(p.bramW, 0.05);
        QVERIFY(std::abs(p.logicW - (0.02 + 0.02)) < 1e-12);
        QCOMPARE(p.ddrW, 0.05);
        QVERIFY(std::abs(p.totalW() - 1.79) < 1e-12);
    }

    // A layer that only moves data is bounded by memory, and the report says so.
    void memoryBoundIsNamed() {
        Built b = buildModel("  - {op: conv, channels: 8, kernel: 1, id: a}\n"
                             "  - {op: relu}\n"
                             "  - {op: concat, inputs: [a]}\n",
                             "{channels: 64, height: 32, width: 32}");
        const Estimate e = estimateTiled(b.model, config(16, 8, 1, 32, 32));
        QVERIFY(e.feasible);
        QVERIFY2(e.bottleneck.rfind("memory", 0) == 0, e.bottleneck.c_str());
        QVERIFY(e.computeBoundFps > e.fps);
    }

    void oversizedDesignIsInfeasible() {
        Built b = buildModel("  - {op: pwconv, channels: 256}\n",
                             "{channels: 256, height: 64, width: 64}");
        const Estimate e = estimateTiled(b.model, config(64, 64, 1, 64, 64));
        QVERIFY(!e.feasible);
        QVERIFY(!e.violations.empty());
        QVERIFY2(e.bottleneck.rfind("resource: DSP", 0) == 0, e.bottleneck.c_str());
    }

    void moreMultipliersNeverSlowAPointwiseLayer() {
        Built b =
            buildModel("  - {op: pwconv, channels: 64}\n", "{channels: 64, height: 16, width: 16}");
        double previous = 0;
        for (int p : {1, 2, 4, 8, 16}) {
            const Estimate e = estimateTiled(b.model, config(p, p, 1, 16, 16));
            QVERIFY(e.fps >= previous);
            QVERIFY(e.computeBoundFps >= e.fps);
            previous = e.fps;
        }
    }

    // Auto sizing stays within the caps and beats hand-picked designs that fit.
    void autoSizingIsWithinCapsAndBest() {
        Built b = buildModel("  - {op: dwconv}\n  - {op: pwconv, channels: 64}\n"
                             "  - {op: maxpool}\n  - {op: pwconv, channels: 128}\n",
                             "{channels: 32, height: 64, width: 96}");
        AutoSizeOptions o;
        o.clockMhz = 100;
        const AutoSizeResult r = autoSizeTiled(b.model, o);
        QVERIFY(r.found);
        const Estimate best = estimateTiled(b.model, r.config);
        const Device& d = b.model.device;
        QVERIFY(best.used.dsp <= 0.9 * d.dsp);
        QVERIFY(best.used.bram18 <= 0.9 * d.bram18);
        QVERIFY(best.used.lut <= 0.9 * d.lut);
        QVERIFY(best.used.ff <= 0.9 * d.ff);
        for (int tn : {2, 4, 8})
            for (int tm : {4, 8, 16})
                for (int tile : {8, 16, 32}) {
                    const Estimate e = estimateTiled(b.model, config(tn, tm, 4, tile, tile));
                    const bool fits = e.used.dsp <= 0.9 * d.dsp &&
                                      e.used.bram18 <= 0.9 * d.bram18 &&
                                      e.used.lut <= 0.9 * d.lut && e.used.ff <= 0.9 * d.ff;
                    if (fits)
                        QVERIFY(best.fps >= e.fps);
                }
    }

    // The sizing hands over the estimate of the design it picked (the search uses it
    // instead of estimating again): it must be what a fresh estimate of that design gives.
    void autoSizingKeepsItsDesignsEstimate() {
        for (const char* file : {"examples/dac19-dnn-a.yaml", "examples/dac19-dnn-c.yaml",
                                 "tests/data/resnet-18.yaml"}) {
            const DesignEstimate pe = estimateFile(sourcePath(file));
            const TiledModel m = buildTiledModel(pe.graph, pe.device);
            for (AutoSizeMode mode : {AutoSizeMode::Quick, AutoSizeMode::Full}) {
                AutoSizeOptions o;
                o.mode = mode;
                const AutoSizeResult r = autoSizeTiled(m, o);
                QVERIFY(r.found);
                const Estimate fresh = estimateTiled(m, r.config, false);
                const Estimate& kept = r.estimate;
                QCOMPARE(std::get<TiledDetail>(kept.detail).config, r.config);
                QCOMPARE(kept.cycles, fresh.cycles);
                QCOMPARE(kept.fps, fresh.fps);
                QCOMPARE(kept.powerW, fresh.powerW);
                QCOMPARE(kept.ddrBytesPerImage, fresh.ddrBytesPerImage);
                QCOMPARE(kept.used.dsp, fresh.used.dsp);
                QCOMPARE(kept.used.bram18, fresh.used.bram18);
                QCOMPARE(kept.used.lut, fresh.used.lut);
                QCOMPARE(kept.used.ff, fresh.used.ff);
                QCOMPARE(kept.bottleneck, fresh.bottleneck);
                QCOMPARE(kept.feasible, fresh.feasible);
            }
        }
    }

    // Auto sizing lets a group whose tensors need fewer words per pixel run on a larger
    // tile of its own, inside the buffers the design's tile sizes: the BRAM18 count stays
    // that of the design's tile, every group's buffers fit, and the FPS rises.
    void groupTilesFitTheDesignsBuffers() {
        const DesignEstimate pe = estimateFile(sourcePath("examples/dac19-dnn-b.yaml"));
        const TiledModel m = buildTiledModel(pe.graph, pe.device);
        const TiledConfig& grouped = std::get<TiledDetail>(pe.estimate.detail).config;
        QCOMPARE(grouped.groupTiles.size(), m.groups.size());
        TiledConfig uniform = grouped;
        uniform.groupTiles.clear();
        const TiledResources base = tiledResources(m, uniform);
        const TiledResources res = tiledResources(m, grouped);
        QCOMPARE(res.total.bram18, base.total.bram18);
        QCOMPARE(res.total.dsp, base.total.dsp);
        int larger = 0;
        for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
            const TileSize t = grouped.tileFor(gi);
            if (t.rows * t.cols > grouped.tileRows * grouped.tileCols)
                ++larger;
            const GroupBuffers need = tiledGroupBuffers(m, grouped, gi, t);
            QVERIFY(need.tileDepth <= res.tileDepth);
            QVERIFY(need.psumDepth <= res.psumDepth);
            QVERIFY(need.lineCols <= res.lineCols);
        }
        QVERIFY(larger >= 2);
        QVERIFY(pe.estimate.fps > estimateTiled(m, uniform).fps * 1.1);
    }

    // Auto sizing reads need regions from a memo (per group, axis and tile extent); what
    // it times and sizes must be what the direct counts give, on strided networks too, on
    // first lookups and on repeated ones, and after the memo moved on to another network
    // (the search reuses one memo per thread).
    void haloMemoAgreesWithDirectCounts() {
        HaloMemo memo;
        for (const char* file : {"examples/dac19-dnn-c.yaml", "tests/data/resnet-18.yaml",
                                 "examples/dac19-dnn-a.yaml"}) {
            const DesignEstimate pe = estimateFile(sourcePath(file));
            const TiledModel m = buildTiledModel(pe.graph, pe.device);
            const TiledConfig& c = std::get<TiledDetail>(pe.estimate.detail).config;
            memo.reset(m);
            int compared = 0;
            for (int pass = 0; pass < 2; ++pass)
                for (int rows : {1, 3, 5, 8, 13, 40, 500})
                    for (int cols : {1, 2, 7, 23, 45, 112, 500})
                        for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
                            const TileSize t{rows, cols};
                            const TiledGroup& g = m.groups[gi];
                            const std::size_t slots = g.last - g.first + 1 + g.loads.size();
                            for (bool worst : {false, true}) {
                                const GroupHalos memoised(m, gi, runTile(g, t), worst, &memo);
                                const GroupHalos direct(m, gi, runTile(g, t), worst, nullptr);
                                for (std::size_t k = 0; k < slots; ++k) {
                                    QCOMPARE(memoised.rows()[k].lo, direct.rows()[k].lo);
                                    QCOMPARE(memoised.rows()[k].hi, direct.rows()[k].hi);
                                    QCOMPARE(memoised.cols()[k].lo, direct.cols()[k].lo);
                                    QCOMPARE(memoised.cols()[k].hi, direct.cols()[k].hi);
                                }
                            }
                            const GroupHalos worst(m, gi, runTile(g, t), true, nullptr);
                            const HaloNeeds directNeeds{runTile(g, t), g.refH, g.refW, worst};
                            const TileSize run = runTile(g, t);
                            const MemoNeeds memoNeeds{memo.needs(gi, true, run.rows),
                                                      memo.needs(gi, false, run.cols)};
                            for (std::size_t k = 0; k < slots; ++k) { // calls and loads
                                const std::size_t count = g.last - g.first + 1;
                                if (k < count && !m.nodes[g.first + k].head)
                                    continue;
                                const int h = k < count ? m.nodes[g.first + k].outH
                                                        : g.loads[k - count].height;
                                const int w = k < count ? m.nodes[g.first + k].outW
                                                        : g.loads[k - count].width;
                                QCOMPARE(memoNeeds.rows(k, h), directNeeds.rows(k, h));
                                QCOMPARE(memoNeeds.cols(k, w), directNeeds.cols(k, w));
                            }
                            QCOMPARE(tiledGroupCycles(m, c, gi, t, &memo),
                                     tiledGroupCycles(m, c, gi, t));
                            const GroupBuffers a = tiledGroupBuffers(m, c, gi, t, nullptr, &memo);
                            const GroupBuffers b = tiledGroupBuffers(m, c, gi, t);
                            QCOMPARE(a.tileDepth, b.tileDepth);
                            QCOMPARE(a.psumDepth, b.psumDepth);
                            QCOMPARE(a.lineCols, b.lineCols);
                            ++compared;
                        }
            QVERIFY(compared > 100);
            Estimate viaMemo;
            estimateTiledInto(m, c, false, viaMemo, &memo);
            QCOMPARE(viaMemo.cycles, estimateTiled(m, c, false).cycles);
        }
    }

    void resourceCapIsHonoured() {
        const DesignEstimate tight =
            estimateFile(sourcePath("examples/dac19-dnn-a.yaml"), "  auto: true\n",
                         "  auto: true\n  resource_cap: 0.5\n");
        QVERIFY(tight.estimate.used.dsp <= 0.5 * 220);
        QVERIFY(tight.estimate.used.bram18 <= 0.5 * 280);
        const DesignEstimate loose = estimateFile(sourcePath("examples/dac19-dnn-a.yaml"));
        QVERIFY(loose.estimate.fps > tight.estimate.fps);
    }

    // Seed observation (000/001, Fig. 2b): at 6-bit feature maps the DSP count of the same
    // accelerator halves when the weights go from 15 to 14 bits.
    void seedDspHalvesFrom15To14BitWeights() {
        const std::string fixed = "  auto: false\n  pw_in: 8\n  pw_out: 16\n  dw_parallel: 4\n"
                                  "  tile: [20, 45]\n";
        auto dspAt = [&](int weights) {
            std::string text = readText(sourcePath("examples/dac19-dnn-a.yaml"));
            text.replace(text.find("precision: {weights: 16, activations: 8}"), 40,
                         "precision: {weights: " + std::to_string(weights) + ", activations: 6}");
            text.replace(text.find("  auto: true\n"), 13, fixed);
            Result<Project> p = parseProject(text, "a.yaml");
            Result<DesignEstimate> e = estimateDesign(*p, DeviceLibrary::builtin());
            return e->estimate.used.dsp;
        };
        QCOMPARE(dspAt(15), std::int64_t(8 * 16 + 4 * 9));
        QCOMPARE(dspAt(14), std::int64_t((8 * 16 + 4 * 9) / 2));
    }

    // Seed observation (000/001, Fig. 2a): with 12-16-bit feature maps, BRAM of the same
    // accelerator halves once the input resize drops below 0.9. The design is DNN-B on pw
    // 8x16, dw 4 with a 40 x 16 tile grid, so its buffers scale with the image. Modelled as
    // the export builds it (one tile memory of 16 banks, 16-bit words, depth padded to a
    // power of two), the drop is there (0.56x) but comes one step later, between 0.85 and
    // 0.8, when the depth per bank falls under 4096 (docs/estimator.md, "Validation").
    void seedBramDropsWithResize() {
        const std::string fixed = "  auto: false\n  pw_in: 8\n  pw_out: 16\n  dw_parallel: 4\n"
                                  "  tile_grid: [40, 16]\n";
        auto bramAt = [&](const std::string& resize) {
            std::string text = readText(sourcePath("examples/dac19-dnn-b.yaml"));
            text.replace(text.find("width: 360}"), 11, "width: 360, resize: " + resize + "}");
            text.replace(text.find("  auto: true\n"), 13, fixed);
            Result<Project> p = parseProject(text, "b.yaml");
            Result<DesignEstimate> e = estimateDesign(*p, DeviceLibrary::builtin());
            return double(e->estimate.used.bram18);
        };
        const double full = bramAt("1.0");
        QVERIFY(bramAt("0.8") <= 0.6 * full);
        QVERIFY(bramAt("0.85") > 0.6 * full);
    }

    // Issue 12, item 6: 12-bit activations on two layers widen the one activation storage
    // format of every layer; the estimate says so and names the two layers.
    void perLayerOverridesNameTheSharedStorage() {
        const std::string path = sourcePath("examples/dac19-dnn-a.yaml");
        const DesignEstimate plain = estimateFile(path);
        QCOMPARE(formatsOf(plain).storage.activations, (FixedType{8, 4}));
        QVERIFY(formatsOf(plain).activationsForcedBy.empty());
        QVERIFY(formatsOf(plain).weightsForcedBy.empty());
        const DesignEstimate wide =
            estimateFile(path, "precision: {weights: 16, activations: 8}",
                         "precision:\n  weights: 16\n  activations: 8\n  layers:\n"
                         "    B1.dwconv: {activations: 12}\n    L5.pwconv: {activations: 12}\n"
                         "    B2.pwconv: {activations: 6}\n");
        QCOMPARE(formatsOf(wide).storage.activations, (FixedType{12, 6}));
        QCOMPARE(formatsOf(wide).projectActivations, (FixedType{8, 4}));
        const std::vector<std::string> forced{"B1.dwconv", "L5.pwconv"}; // not the narrower one
        QCOMPARE(formatsOf(wide).activationsForcedBy, forced);
        QVERIFY(formatsOf(wide).weightsForcedBy.empty());
        // What the estimator sized: 16-bit DDR words and 12-bit units for every activation.
        const TiledModel model = buildTiledModel(wide.graph, wide.device);
        QCOMPARE(model.actContainer, 16);
        QCOMPARE(model.maxActivationBits, 12);
        QVERIFY(wide.estimate.ddrBytesPerImage > plain.estimate.ddrBytesPerImage);
        const std::string line = describeFormats(formatsOf(wide));
        QVERIFY2(line.find("fixed<12,6>") != std::string::npos, line.c_str());
        QVERIFY2(line.find("B1.dwconv, L5.pwconv") != std::string::npos, line.c_str());
        QVERIFY2(line.find("B2.pwconv") == std::string::npos, line.c_str());
    }

    // The three DAC-SDC designs (seed 000, Table 3) differ only in network and precision.
    // Pinned here: feasibility, power within 15 % of the seed's 2.40/2.40/2.50 W, the order
    // of the speeds, FPS within 10 % of the seed's for A and B, and the ratios A/B and A/C
    // within 10 % (docs/estimator.md, "Validation").
    void dacSdcDesigns() {
        const DesignEstimate a = estimateFile(sourcePath("examples/dac19-dnn-a.yaml"));
        const DesignEstimate b = estimateFile(sourcePath("examples/dac19-dnn-b.yaml"));
        const DesignEstimate c = estimateFile(sourcePath("examples/dac19-dnn-c.yaml"));
        for (const DesignEstimate* e : {&a, &b, &c}) {
            QVERIFY(e->estimate.feasible);
            QVERIFY(e->estimate.autoSized && e->estimate.feasible);
            QCOMPARE(std::get<TiledDetail>(e->estimate.detail).config.clockMhz, 100.0);
        }
        QVERIFY(near(a.estimate.powerW, 2.40, 0.15));
        QVERIFY(near(b.estimate.powerW, 2.40, 0.15));
        QVERIFY(near(c.estimate.powerW, 2.50, 0.15));
        QVERIFY(a.estimate.fps > b.estimate.fps);
        QVERIFY(b.estimate.fps > c.estimate.fps);
        // DNN-A and DNN-B meet the seed's figures within 10 %, and the ratios between the
        // three (which depend on the network and precision only) within 10 %. DNN-C comes
        // out 12 % above the seed (docs/estimator.md, "Validation"), so it is not pinned.
        QVERIFY2(near(a.estimate.fps, 29.7, 0.10), std::to_string(a.estimate.fps).c_str());
        QVERIFY2(near(b.estimate.fps, 22.7, 0.10), std::to_string(b.estimate.fps).c_str());
        QVERIFY(near(a.estimate.fps / b.estimate.fps, 29.7 / 22.7, 0.10));
        QVERIFY(near(a.estimate.fps / c.estimate.fps, 29.7 / 17.4, 0.10));
    }
};

QTEST_APPLESS_MAIN(TestEstimator)
#include "test_estimator.moc"
