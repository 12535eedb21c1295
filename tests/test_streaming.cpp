// The streaming (fpgaConvNet-style) family: the public check against fpgaConvNet's own report,
// and hand-computed cases for each rule of docs/estimator.md, "Streaming".
#include "core/estimate/design_estimate.h"
#include "core/estimate/streaming/streaming_detail.h"
#include "core/estimate/streaming/streaming_edits.h"
#include "core/estimate/streaming/streaming_logic.h"
#include "core/estimate/streaming/streaming_optimiser.h"
#include "core/estimate/streaming/streaming_space.h"
#include "core/hw/device_library.h"
#include "core/util/splitmix64.h"
#include "streaming_test_support.h"

#include <cmath>
#include <map>

using namespace codesign;
using namespace codesign::testing;

namespace {

struct ExpectedRow {
    int partition = 0;
    std::string layer;
    double value = 0; // interval (a layer) or cycles (a partition)
    double dsp = 0;
    std::int64_t bram18 = 0;
};

std::vector<ExpectedRow> readExpected(const std::string& path) {
    std::vector<ExpectedRow> rows;
    std::istringstream in(readText(path));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line.rfind("partition,", 0) == 0)
            continue;
        std::istringstream fields(line);
        std::string cell[5];
        for (std::string& c : cell)
            std::getline(fields, c, ',');
        rows.push_back({std::stoi(cell[0]), cell[1], std::stod(cell[2]), std::stod(cell[3]),
                        std::stoll(cell[4])});
    }
    return rows;
}

const StreamingLayerEstimate* findRow(const StreamingSetup& s, const StreamingEstimate& e,
                                      const std::string& name) {
    for (const StreamingLayerEstimate& row : e.layers)
        if (streamingLayerName(s.model, row) == name)
            return &row;
    return nullptr;
}

// A streaming project around a network body (the YAML lines under `network:`) and the
// accelerator keys after `arch: streaming` (indented two spaces).
std::string project(const std::string& network, const std::string& accelerator,
                    const std::string& input = "{channels: 4, height: 8, width: 8}",
                    const std::string& device = "zcu102",
                    const std::string& precision = "{weights: 16, activations: 16}") {
    return "name: t\ndevice: " + device + "\ninput: " + input + "\nprecision: " + precision +
           "\nnetwork:\n" + network + "accelerator:\n  arch: streaming\n  clock_mhz: 100\n" +
           accelerator;
}

// A 3x3 conv layer as the mapping builds it (pad 1, stride 1).
HwLayer conv3x3(int rows, int channels, int filters) {
    HwLayer l;
    l.name = "c";
    l.op = "conv";
    l.kind = HwKind::Conv;
    l.rows = l.cols = l.rowsOut = l.colsOut = rows;
    l.channels = channels;
    l.filters = l.channelsOut = filters;
    l.kernelH = l.kernelW = 3;
    l.padTop = l.padBottom = l.padLeft = l.padRight = 1;
    l.bias = true;
    deriveWindow(l);
    return l;
}

const StreamingLayerEstimate& row(const StreamingSetup& s, const StreamingEstimate& e,
                                  const std::string& name) {
    const StreamingLayerEstimate* r = findRow(s, e, name);
    if (!r)
        qFatal("no row %s", name.c_str());
    return *r;
}

} // namespace

class TestStreaming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // fpgaconvnet-tutorial 4.2 (gp): every layer's interval, DSP and BRAM18, every partition's
    // cycles, the total 300,527,435 cycles and 2.328137175 s (tests/data cites the source).
    // The studio's folding edit: the estimated design becomes the fixed one and one layer's
    // folding changes; the re-estimate has it, and a factor that does not divide is the
    // estimate's error naming the layer.
    void foldingEditOfAnEstimatedDesign() {
        Result<Project> project =
            parseProject(readText(sourcePath("examples/streaming-lenet.yaml")), "lenet.yaml");
        QVERIFY(project.ok());
        project->accelerator.autoSize = true; // the optimiser's design is the one edited
        std::get<StreamingSpec>(project->accelerator.family).partitions.clear();
        std::get<StreamingSpec>(project->accelerator.family).folding.clear();
        Result<DesignEstimate> e = estimateDesign(*project, DeviceLibrary::builtin());
        QVERIFY2(e.ok(), e.ok() ? "" : e.error().format().c_str());
        QCOMPARE(singleLayerName(e->graph, 3), std::string("conv2"));
        QVERIFY(singleLayerName(e->graph, 99).empty());
        std::optional<StreamingFolding> f = streamingFoldingOf(e->estimate.detail, "conv2");
        QVERIFY(f);
        const int changed = f->coarseOut == 4 ? 8 : 4; // divides conv2's 16 filters
        f->coarseOut = changed;
        const Project edited = withStreamingFolding(*project, e->graph, e->estimate.detail, *f);
        QVERIFY(!edited.accelerator.autoSize);
        // Before its estimate arrives, the edited project's folding is the current one.
        QCOMPARE(currentStreamingFolding(edited, e->estimate.detail, "conv2")->coarseOut, changed);
        Result<DesignEstimate> again = estimateDesign(edited, DeviceLibrary::builtin());
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().format().c_str());
        QCOMPARE(streamingFoldingOf(again->estimate.detail, "conv2")->coarseOut, changed);
        // Every other layer keeps the optimiser's folding.
        QCOMPARE(streamingFoldingOf(again->estimate.detail, "conv1"),
                 streamingFoldingOf(e->estimate.detail, "conv1"));
        f->coarseOut = 5;
        Result<DesignEstimate> bad =
            estimateDesign(withStreamingFolding(*project, e->graph, e->estimate.detail, *f),
                           DeviceLibrary::builtin());
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().format().find("conv2") != std::string::npos,
                 bad.error().format().c_str());
    }

    void publicCheckVgg16() {
        const StreamingSetup s = streamingSetup(readText(dataPath("streaming_vgg16_gp.yaml")));
        const StreamingEstimate e = estimateStreaming(s.model, s.design);
        QCOMPARE(e.partitions.size(), std::size_t(10));
        int layersChecked = 0;
        for (const ExpectedRow& want : readExpected(dataPath("streaming_vgg16_gp_expected.csv"))) {
            const StreamingPartitionEstimate& p = e.partitions[want.partition - 1];
            if (want.layer == "*") {
                QCOMPARE(p.cycles, static_cast<std::int64_t>(want.value));
                QCOMPARE(p.bram18, want.bram18);
                if (want.partition != 9) // holds GlobalMaxPool_30
                    QCOMPARE(p.dsp, want.dsp);
                continue;
            }
            const StreamingLayerEstimate* row = findRow(s, e, want.layer);
            QVERIFY2(row, want.layer.c_str());
            QCOMPARE(row->partition, want.partition - 1);
            QCOMPARE(row->intervalCycles, want.value);
            if (want.layer != "GlobalMaxPool_30") { // see docs/estimator.md: its 16-bit adder
                QCOMPARE(row->dsp, want.dsp);
                QCOMPARE(row->bram18, want.bram18);
            }
            ++layersChecked;
        }
        QCOMPARE(layersChecked, 47);
        QCOMPARE(int(e.layers.size()), 47); // no layer more than fpgaConvNet's
        QCOMPARE(e.cycles, std::int64_t(300'527'435));
        QCOMPARE(std::round(e.latencyMs * 1e6) / 1e6, 2328.137175);
        QCOMPARE(e.reconfigurationMs, 10 * 82.55);
    }

    // A 3x3 conv, 8x8x4 -> 8, coarse_in 2, coarse_out 4, fine 3 (models/modules/*.py):
    // per stream 2 channels; vector dot: 4*9/(3*2) = 6 words per output, 8/4 = 2 filters,
    // latency 64*6*2 = 768 (accum the same, pad and window 10*10*2 = 200, glue 64*8/4 = 128);
    // depth: window 2*10*2 + 2*2 = 44, dot floor(log2 3)+1 = 2, accum 6*2 = 12, glue 2: 60.
    // Rates: the dot product takes 1/2 word per cycle; balancing back through fork, squeeze and
    // window (64/100) to the pad gives 0.5 / (100/64) / 0.64 ... = 0.5 into the layer.
    void convModuleRatesAndDepth() {
        const HwLayer l = conv3x3(8, 4, 8);
        const LayerPerf p = layerPerf(l, baseShape(l), {2, 4, 1, 3});
        QCOMPARE(p.latency, 768.0);
        QCOMPARE(p.depth, 60.0);
        QCOMPARE(p.rateIn, 0.5);
        QCOMPARE(p.sizeIn, std::int64_t(64 * 2));
        QCOMPARE(p.sizeOut, std::int64_t(64 * 2));
        QCOMPARE(p.streamsIn, 2);
        QCOMPARE(p.streamsOut, 4);
        // 4x4: the pad admits 16/36 words per cycle; the window would need 0.5 / (16/36) =
        // 1.125 > 1, so balancing stops and the pad's 16/36 is the layer's rate
        const HwLayer small = conv3x3(4, 2, 2);
        QCOMPARE(layerPerf(small, baseShape(small), {1, 1, 1, 9}).rateIn, 16.0 / 36.0);
    }

    void balanceModuleRates() {
        double backward[3][2] = {{1, 1}, {0.25, 1}, {1, 0.5}};
        QCOMPARE(balancedRateIn(backward, 3), 0.25); // a slow consumer throttles the source
        double forward[2][2] = {{0.5, 1}, {1, 1}};
        QCOMPARE(balancedRateIn(forward, 2), 0.5); // a fast consumer waits for its producer
    }

    // fc 512 -> 10 (InnerProductLayer): latency (512/ci)*(10/co); depth 1 + (512/ci)*(10/co) + ci.
    // fpgaConvNet's shift-scale module keeps the 512 words it was built with, so with ci*co
    // above 10 the layer cannot go below 512 cycles.
    void innerProductRatesAndDepth() {
        HwLayer fc;
        fc.kind = HwKind::InnerProduct;
        fc.op = "fc";
        fc.channels = 512;
        fc.filters = fc.channelsOut = 10;
        fc.bias = true;
        const LayerPerf p = layerPerf(fc, baseShape(fc), {2, 2, 1, 1});
        QCOMPARE(p.latency, 1280.0);
        QCOMPARE(p.depth, 1.0 + 1280 + 2);
        QCOMPARE(p.rateIn, 0.2);
        QCOMPARE(layerPerf(fc, baseShape(fc), {4, 10, 1, 1}).latency, 512.0);
    }

    // Squeezes (Partition.add_squeeze): conv (coarse_out 4) -> relu (coarse 1) -> conv
    // (coarse_in 2) needs two; a 32-bit port carries two 16-bit streams, so the first conv
    // (coarse_in 4) gets one at its input. Each re-packs rows*cols*channels/min(in, out) words.
    void squeezeInsertion() {
        const StreamingSetup s = streamingSetup(
            project("  - {op: conv, name: a, channels: 8, kernel: 3}\n"
                    "  - {op: relu, name: r}\n"
                    "  - {op: conv, name: b, channels: 8, kernel: 3}\n",
                    "  port_width: 32\n  auto: false\n  folding:\n"
                    "    a: {coarse_in: 4, coarse_out: 4}\n    b: {coarse_in: 2}\n"));
        const StreamingEstimate e = estimateStreaming(s.model, s.design);
        QCOMPARE(e.partitions[0].squeezes, 3);
        const StreamingLayerEstimate& in = row(s, e, "a_squeeze");
        QCOMPARE(std::pair(in.streamsIn, in.streamsOut), std::pair(2, 4));
        QCOMPARE(in.intervalCycles, 64.0 * 4 / 2);
        QCOMPARE(row(s, e, "a_squeeze_r").intervalCycles, 64.0 * 8 / 1);
        QCOMPARE(row(s, e, "r_squeeze_b").intervalCycles, 64.0 * 8 / 1);
        QCOMPARE(streamingLayerOp(s.model, row(s, e, "r_squeeze_b")), std::string("squeeze"));
        QVERIFY(!findRow(s, e, "squeeze_b")); // b has one output stream: no output squeeze
        QCOMPARE(int(e.layers.size()), 6);
    }

    // relu a (4x4x2) feeds a 3x3 conv (2 filters, fine 9) and, around it, an add: the mapping
    // adds a split after a. Longest path (edges): a, a_split, conv, add. Interval: the conv's pad
    // and window, 6 x 6 padded pixels x 2 channels = 72 (its dot product needs 16 x 2 x 2 = 64).
    // Every size is 32 words per stream, so each node adds 72/32 = 2.25, and the conv its depth
    // 37 (window 2*6*2 + 2*2, dot 4, accum 2*2, glue 1) over its rate 16/36 (the pad's):
    // 4 * 2.25 + 37 * 36/16 = 92.25; cycles int(72 + 92.25) = 164. The add's FIFOs: the path
    // through the conv takes 37 + 32/32 + 72/32 + 32/32 = 41.25, the skip 2: ceil(39.25) + 64 =
    // 104 words of 16 bits > 1024 bits, one BRAM18 (the other FIFO, 64 words, none).
    void pipelineDepthOnBranchingGraph() {
        const StreamingSetup s = streamingSetup(project(
            "  - {op: relu, name: a, id: a}\n"
            "  - {op: conv, name: c, channels: 2, kernel: 3}\n"
            "  - {op: add, name: sum, inputs: [a]}\n",
            "  auto: false\n  folding:\n    c: {fine: 9}\n", "{channels: 2, height: 4, width: 4}"));
        const StreamingEstimate e = estimateStreaming(s.model, s.design);
        QCOMPARE(s.model.net.layers[1].name, std::string("a_split"));
        const StreamingPartitionEstimate& p = e.partitions[0];
        QCOMPARE(p.intervalCycles, 72.0);
        QCOMPARE(p.pipelineDepthCycles, 92.25);
        QCOMPARE(p.cycles, std::int64_t(164));
        QCOMPARE(row(s, e, "sum").bram18, std::int64_t(1));
    }

    // Weights reloading 2 on conv 8x8x4 -> 8 (coarse_out 2, fine 9) before a relu: the conv keeps
    // 4 filters (latency 64*4*2 = 512, depth 88 + 4 + 8 + 1 = 101, rate 0.5), the relu 4
    // channels (256), a squeeze 2 -> 1 between (256). Depth: 101/0.5 + (512/256)*2 = 206, then
    // (512/128)*1 = 4 and (512/256)*1 = 2: 212. Cycles: (512 + 212) * 2 + 1 * 144 weights = 1592.
    // Without reloading: 1024 + (109*4 + 4 + 2 + 1) = 1467.
    void weightsReloading() {
        const std::string network = "  - {op: conv, name: c, channels: 8, kernel: 3}\n"
                                    "  - {op: relu, name: r}\n";
        auto design = [&](int wr) {
            return "  auto: false\n  partitions:\n    - {layers: [c, r], weights_reloading: " +
                   std::to_string(wr) + "}\n  folding:\n    c: {coarse_out: 2, fine: 9}\n";
        };
        const StreamingSetup two = streamingSetup(project(network, design(2)));
        const StreamingEstimate e = estimateStreaming(two.model, two.design);
        QCOMPARE(e.partitions[0].wrLayer, 0);
        QCOMPARE(row(two, e, "c").intervalCycles, 512.0);
        QCOMPARE(row(two, e, "r").intervalCycles, 256.0);
        QCOMPARE(e.partitions[0].pipelineDepthCycles, 212.0);
        QCOMPARE(e.cycles, std::int64_t(1592));
        const StreamingSetup one = streamingSetup(project(network, design(1)));
        QCOMPARE(estimateStreaming(one.model, one.design).cycles, std::int64_t(1467));
    }

    // A port carries at most 128/16 = 8 streams, and a stream count the layer's folding could
    // take: an fc of 48 outputs reloaded 4 times has 12 outputs in its partition, so its 12
    // streams leave through a squeeze to 6 (not 8, which divides 48 but not 12).
    void portStreamsFollowTheReloadedShape() {
        const StreamingSetup s = streamingSetup(project(
            "  - {op: fc, name: f, channels: 48}\n",
            "  port_width: 128\n  auto: false\n  partitions:\n"
            "    - {layers: [f], weights_reloading: 4}\n  folding:\n    f: {coarse_out: 12}\n"));
        const StreamingEstimate e = estimateStreaming(s.model, s.design);
        const StreamingLayerEstimate& out = row(s, e, "squeeze_f");
        QCOMPARE(std::pair(out.streamsIn, out.streamsOut), std::pair(12, 6));
    }

    // A relu on 4x4x16 at 100 MHz: 256 cycles, 256 words in and out of 16 bits = 1.6 Gbit/s
    // each. With 1 Gbit/s the partition slows by 3.2 / 1 + 0.01 = 3.21: interval
    // ceil(256 * 3.21) = 822, plus the depth 256/256 = 1 (at the nominal interval): 823.
    void bandwidthSlowDown() {
        const std::string device =
            "{name: slow, part: xczu3eg, family: zynqmp, resources: {dsp: 360, bram18: 432, "
            "uram: 0, lut: 70560, ff: 141120}, memory: {ddr_peak_gbps: 1}, power: "
            "{board_static_w: 1}, streaming: {port_width: 128, bandwidth_gbps: 1}}";
        const StreamingSetup s =
            streamingSetup(project("  - {op: relu, name: r}\n", "  auto: false\n",
                                   "{channels: 16, height: 4, width: 4}", device));
        const StreamingPartitionEstimate p = estimateStreaming(s.model, s.design).partitions[0];
        QCOMPARE(p.slowDown, 3.21);
        QCOMPARE(p.cycles, std::int64_t(823));
        QVERIFY(std::abs(p.bandwidthGbps - 3.2 / 3.21) < 1e-12);
    }

    // DSP (ConvolutionLayer.resource): ci*co*fine*cg multipliers of ceil(d/18)*ceil(w/27)
    // slices, x0.5 when both widths are <= 8, x0.25 when both are <= 4; a conv rounds up, an fc
    // keeps the half.
    void dspPacking_data() {
        QTest::addColumn<int>("data");
        QTest::addColumn<int>("weights");
        QTest::addColumn<double>("conv24"); // 2 x 4 x 3 multipliers
        QTest::addColumn<double>("conv3");  // 1 x 1 x 3
        QTest::addColumn<double>("fc3");    // 1 x 3
        QTest::newRow("16 bits") << 16 << 16 << 24.0 << 3.0 << 3.0;
        QTest::newRow("8 bits") << 8 << 8 << 12.0 << 2.0 << 1.5;
        QTest::newRow("4 bits") << 4 << 4 << 6.0 << 1.0 << 0.75;
        QTest::newRow("8 x 4") << 8 << 4 << 12.0 << 2.0 << 1.5;
        QTest::newRow("9 x 8") << 9 << 8 << 24.0 << 3.0 << 3.0;
        QTest::newRow("16 x 32") << 16 << 32 << 48.0 << 6.0 << 6.0; // 1 x 2 slices each
    }
    void dspPacking() {
        QFETCH(int, data);
        QFETCH(int, weights);
        QFETCH(double, conv24);
        QFETCH(double, conv3);
        QFETCH(double, fc3);
        HwLayer c = conv3x3(8, 4, 8);
        c.dataBits = data;
        c.weightBits = weights;
        auto dsp = [](const HwLayer& l, LayerFolding f) {
            return layerResources(l, baseShape(l), f, nullptr).dsp;
        };
        QCOMPARE(dsp(c, {2, 4, 1, 3}), conv24);
        QCOMPARE(dsp(c, {1, 1, 1, 3}), conv3);
        HwLayer fc;
        fc.kind = HwKind::InnerProduct;
        fc.channels = 12;
        fc.filters = fc.channelsOut = 3;
        fc.dataBits = data;
        fc.weightBits = weights;
        QCOMPARE(dsp(fc, {1, 3, 1, 1}), fc3);
    }

    // BRAM18 (bram_array_resource_model): widths 1/2/4/9/18/36 at depths 16384..512.
    void bramOfMemories() {
        QCOMPARE(fpgaconvnetBram18(256, 2304, false), std::int64_t(64)); // 64 x 1
        QCOMPARE(fpgaconvnetBram18(4, 512, false), std::int64_t(15));    // 2048 bits
        QCOMPARE(fpgaconvnetBram18(63, 16, false), std::int64_t(0));     // 1008 bits < 1024
        QCOMPARE(fpgaconvnetBram18(64, 16, false), std::int64_t(1));     // a memory of 1024
        QCOMPARE(fpgaconvnetBram18(64, 16, true), std::int64_t(0));      // a FIFO of 1024
        QCOMPARE(fpgaconvnetBram18(32, 64, true), std::int64_t(0));      // FIFO of 32 words
        QCOMPARE(fpgaconvnetBram18(2176, 32, true), std::int64_t(5));    // 36 wide, 512 deep
        QCOMPARE(fpgaconvnetBram18(5000, 3, false), std::int64_t(2));    // 4 wide, 4096 deep
        QCOMPARE(fpgaconvnetBram18(520, 18, false), std::int64_t(1));    // no power-of-two pad
    }

    // A 3x3 conv on 16x16x32 -> 32, fine 9: line buffer 32 x 18 = 576 words of 2 x 16 bits
    // (36-wide BRAM18: 2), window buffers 32 words (FIFOs <= 32 deep: none), weights 1024 x 144
    // bits (4 x 2 = 8), bias 32 x 32 bits = 1024 bits (1): 11. A 2x2 max pool on the same input
    // with coarse 2: a line buffer of 16 x 16 words of 32 bits (1), window FIFOs of 16 (none).
    void bramOfWeightsAndLineBuffers() {
        HwLayer c = conv3x3(16, 32, 32);
        c.accBits = 32;
        const LayerFolding f{1, 1, 1, 9};
        QCOMPARE(layerResources(c, baseShape(c), f, nullptr).bram18, std::int64_t(11));
        HwLayer pool = c;
        pool.kind = HwKind::Pool;
        pool.kernelH = pool.kernelW = pool.strideH = pool.strideW = 2;
        pool.padTop = pool.padBottom = pool.padLeft = pool.padRight = 0;
        pool.filters = 0;
        pool.rowsOut = pool.colsOut = 8;
        deriveWindow(pool);
        const LayerFolding two{2, 2, 1, 1};
        QCOMPARE(layerResources(pool, baseShape(pool), two, nullptr).bram18, std::int64_t(1));
    }

    // Bad designs: a message that names the layer or the partition and points at the line.
    void validationErrors_data() {
        QTest::addColumn<QString>("accelerator");
        QTest::addColumn<QString>("expect");
        QTest::addColumn<int>("line");
        const std::string fixed = "  auto: false\n";
        auto q = [](const std::string& t) {
            return QString::fromStdString(t);
        };
        QTest::newRow("coarse does not divide") << q(fixed + "  folding:\n    c1: {coarse_in: 3}\n")
                                                << "coarse_in 3 does not divide" << 14;
        QTest::newRow("fine for the kernel") << q(fixed + "  folding:\n    c1: {fine: 4}\n")
                                             << "fine 4 is not allowed for a 3x3" << 14;
        QTest::newRow("coarse on a conv")
            << q(fixed + "  folding:\n    c1: {coarse: 2}\n") << "conv and fc layers take" << 14;
        QTest::newRow("coarse_in on a relu")
            << q(fixed + "  folding:\n    r: {coarse_in: 2}\n") << "takes one coarse factor" << 14;
        QTest::newRow("unknown folding layer")
            << q(fixed + "  folding:\n    c3: {fine: 3}\n") << "'c3' is not a layer" << 14;
        QTest::newRow("unknown partition layer")
            << q(fixed + "  partitions:\n    - {layers: [c1, rr, c2]}\n")
            << "'rr' is not a layer of the network; did you mean 'r'?" << 14;
        QTest::newRow("not covered") << q(fixed + "  partitions:\n    - {layers: [c1, r]}\n")
                                     << "'c2' is in no partition" << 14;
        QTest::newRow("out of order") << q(fixed + "  partitions:\n    - {layers: [r, c1, c2]}\n")
                                      << "'c1' comes before 'r'" << 14;
        QTest::newRow("in two partitions")
            << q(fixed + "  partitions:\n    - {layers: [c1, r]}\n    - {layers: [r, c2]}\n")
            << "'r' is in partitions 1 and 2" << 15;
        QTest::newRow("reloading does not divide")
            << q(fixed + "  partitions:\n    - {layers: [c1, r], weights_reloading: 3}\n"
                         "    - {layers: [c2]}\n")
            << "weights_reloading 3 x coarse_out 1 does not divide the 8" << 14;
        QTest::newRow("auto and a design")
            << q("  auto: true\n  folding:\n    c1: {fine: 3}\n") << "auto: true chooses" << 14;
        QTest::newRow("misspelt key")
            << q(fixed + "  port_widht: 64\n") << "did you mean 'port_width'" << 13;
        QTest::newRow("charge") << q("  reconfiguration_charge: always\n")
                                << "is not one of: per_partition" << 12;
    }
    void validationErrors() {
        QFETCH(QString, accelerator);
        QFETCH(QString, expect);
        QFETCH(int, line);
        const std::string text = project("  - {op: conv, name: c1, channels: 8, kernel: 3}\n"
                                         "  - {op: relu, name: r}\n"
                                         "  - {op: conv, name: c2, channels: 8, kernel: 3}\n",
                                         accelerator.toStdString());
        const std::string error = streamingError(text);
        QVERIFY2(error.find(expect.toStdString()) != std::string::npos, error.c_str());
        QVERIFY2(error.rfind("bad.yaml:" + std::to_string(line) + ":", 0) == 0, error.c_str());
    }

    // A partition may only begin where one tensor flows (not inside a branch).
    void cutInsideABranch() {
        const std::string error = streamingError(
            project("  - {op: relu, name: a, id: a}\n"
                    "  - {op: conv, name: c, channels: 2, kernel: 3}\n"
                    "  - {op: add, name: sum, inputs: [a]}\n",
                    "  auto: false\n  partitions:\n    - {layers: [a, c]}\n    - {layers: [sum]}\n",
                    "{channels: 2, height: 4, width: 4}"));
        QVERIFY2(error.find("partition 2: it begins at 'sum', where 2 tensors cross") !=
                     std::string::npos,
                 error.c_str());
    }

    void specRoundTrip() {
        const std::string text = readText(dataPath("streaming_vgg16_gp.yaml"));
        Result<Project> project = parseProject(text, "vgg.yaml");
        QVERIFY2(project.ok(), project.ok() ? "" : project.error().format().c_str());
        QCOMPARE(std::string(project->accelerator.arch()), std::string("streaming"));
        QVERIFY(!project->accelerator.autoSize);
        StreamingSpec& spec = std::get<StreamingSpec>(project->accelerator.family);
        QCOMPARE(spec.partitions.size(), std::size_t(10));
        QCOMPARE(spec.partitions[3].weightsReloading, 2);
        QCOMPARE(spec.folding.size(), std::size_t(36));
        spec.reconfigurationMs = 10.5;
        spec.charge = ReconfigurationCharge::PerSwitch;
        spec.portWidth = 256;
        project->accelerator.batch = 4;
        const std::string written = projectToYaml(*project);
        Result<Project> back = parseProject(written, "back.yaml");
        QVERIFY2(back.ok(), written.c_str());
        QVERIFY(back->accelerator == project->accelerator);
        // and a design written back into a spec names the same design
        const StreamingSetup s = streamingSetup(text);
        StreamingSpec rewritten;
        streamingDesignToSpec(s.model.net, s.design, rewritten);
        Result<StreamingDesign> again = streamingDesignFromSpec(s.model.net, rewritten);
        QVERIFY(again.ok());
        QVERIFY(*again == s.design);
    }

    // Every op of the vocabulary maps: bn folds into the conv before it (and is a layer of its
    // own after a relu), fuse is a chop, two depthwise branches and a concat, bbox_head stays
    // on the processor.
    void everyOpMaps() {
        const StreamingSetup s =
            streamingSetup(project("  - {op: conv, name: c, channels: 8, kernel: 3, stride: 2}\n"
                                   "  - {op: bn, name: c_bn}\n"
                                   "  - {op: relu6, name: r, id: r}\n"
                                   "  - {op: bn, name: lone}\n"
                                   "  - {op: dwconv, name: dw, kernel: 3}\n"
                                   "  - {op: pwconv, name: pw, channels: 8}\n"
                                   "  - {op: concat, name: cat, inputs: [r]}\n"
                                   "  - {op: fuse, name: f, kernel: 3}\n"
                                   "  - {op: fuse, name: ff, kernel: 3, variant: full}\n"
                                   "  - {op: avgpool, name: ap, kernel: 2}\n"
                                   "  - {op: upsample, name: up, factor: 2}\n"
                                   "  - {op: reorg, name: ro, factor: 2}\n"
                                   "  - {op: maxpool, name: mp, kernel: 2}\n"
                                   "  - {op: global_avgpool, name: gap}\n"
                                   "  - {op: fc, name: fc, channels: 10}\n"
                                   "  - {op: bbox_head, name: head, anchors: 2}\n",
                                   "  auto: true\n", "{channels: 3, height: 16, width: 16}"));
        const HwNetwork& net = s.model.net;
        QVERIFY(net.find("c_bn") < 0);
        QVERIFY(net.layers[net.find("c")].bias);
        QCOMPARE(net.findAlias("c_bn")->layers, std::vector<int>{net.find("c")});
        QCOMPARE(net.layers[net.find("lone")].kind, HwKind::BatchNorm);
        for (const char* part : {"f.chop", "f.row", "f.col", "f.concat", "ff.split"})
            QVERIFY2(net.find(part) >= 0, part);
        QCOMPARE(net.layers[net.find("f.row")].kernelW, 3);
        QCOMPARE(net.layers[net.find("f.col")].kernelH, 3);
        QVERIFY(net.findAlias("head")->host);
        QCOMPARE(net.outputLayer, net.find("fc"));
        const StreamingEstimate e = estimateStreaming(s.model, s.design);
        QVERIFY(e.cycles > 0);
        QCOMPARE(row(s, e, "lone").dsp, 2.0); // BatchNormLayer: scale and shift
        QCOMPARE(streamingLayerOp(s.model, row(s, e, "r")), std::string("relu6"));
    }

    void layerAfterTheHostHead() {
        const std::string error = streamingError(
            project("  - {op: pwconv, name: p, channels: 10}\n  - {op: bbox_head, name: h}\n"
                    "  - {op: relu, name: after}\n",
                    "  auto: true\n"));
        QVERIFY2(error.find("bbox_head runs on the processor") != std::string::npos, error.c_str());
    }

    // Network latency: fpgaConvNet charges every partition (N_P x t) once there are two;
    // per_switch charges the N_P - 1 switches; one partition is never charged.
    void reconfigurationCharge() {
        const std::string network = "  - {op: conv, name: a, channels: 4, kernel: 3}\n"
                                    "  - {op: conv, name: b, channels: 4, kernel: 3}\n"
                                    "  - {op: conv, name: c, channels: 4, kernel: 3}\n";
        const std::string three = "  reconfiguration_ms: 10\n  auto: false\n  partitions:\n"
                                  "    - {layers: [a]}\n    - {layers: [b]}\n    - {layers: [c]}\n";
        const StreamingEstimate each =
            estimateStreaming(streamingSetup(project(network, three)).model,
                              streamingSetup(project(network, three)).design);
        QCOMPARE(each.reconfigurationMs, 30.0);
        QCOMPARE(each.latencyMs, each.computeMs + 30.0);
        const std::string perSwitch = "  reconfiguration_charge: per_switch\n" + three;
        const StreamingSetup s = streamingSetup(project(network, perSwitch));
        QCOMPARE(estimateStreaming(s.model, s.design).reconfigurationMs, 20.0);
        const StreamingSetup one = streamingSetup(project(network, "  reconfiguration_ms: 10\n"
                                                                   "  auto: false\n"));
        QCOMPARE(estimateStreaming(one.model, one.design).reconfigurationMs, 0.0);
    }

    // Building blocks of our LUT / FF model (UG474 / UG574 primitives).
    void logicBuildingBlocks() {
        QCOMPARE(adderCost(32, 3).lut, std::int64_t(96));
        QCOMPARE(adderCost(32, 3).ff, std::int64_t(96));
        QCOMPARE(muxLuts(4, 8), std::int64_t(8));      // one LUT6 per bit of a 4:1 mux
        QCOMPARE(muxLuts(16, 1), std::int64_t(5));     // a tree of five 4:1 muxes
        QCOMPARE(lutramLuts(32, 12), std::int64_t(8)); // two RAM32M (32 x 6)
        QCOMPARE(lutramLuts(64, 3), std::int64_t(4));  // one RAM64M (64 x 3)
        QCOMPARE(lutramLuts(2, 64), std::int64_t(0));  // registers
        QCOMPARE(counterCost(256).ff, std::int64_t(8));
        // a relu on two 16-bit streams: 16 LUTs (two bits per LUT6) and the handshake of its
        // two ports (2 LUTs, 17 FFs per stream)
        HwLayer relu;
        relu.kind = HwKind::Relu;
        relu.op = "relu";
        relu.channels = relu.channelsOut = 4;
        const LayerFolding two{2, 2, 1, 1};
        const LogicCost c = layerLogic(relu, baseShape(relu), two, LayerMemories{}, nullptr);
        QCOMPARE(c.lut, std::int64_t(16 + 8));
        QCOMPARE(c.ff, std::int64_t(4 * 17));
    }

    // The optimisers: each returns a design the checks accept, under the cap, faster than
    // folding 1, with the throughput it reports; the annealing is repeatable for a seed.
    void optimisersFindValidDesigns() {
        const StreamingSetup s =
            streamingSetup(readText(sourcePath("examples/streaming-lenet.yaml")));
        const double baseline = estimateStreaming(s.model, defaultStreamingDesign(s.model.net)).fps;
        StreamingOptimiserOptions options;
        options.resourceCap = 0.8;
        for (const StreamingOptimiserResult& r : compareStreamingOptimisers(s.model, options)) {
            const char* name = streamingMethodName(r.method);
            QVERIFY2(checkStreamingDesign(s.model.net, r.design).ok(), name);
            QVERIFY2(r.feasible, name);
            QVERIFY2(r.fps > baseline, name);
            const StreamingEstimate e = estimateStreaming(s.model, r.design);
            QCOMPARE(e.fps, r.fps);
            QVERIFY2(double(e.used.dsp) <= 0.8 * s.model.device.dsp, name);
            QVERIFY2(double(e.used.bram18) <= 0.8 * s.model.device.bram18, name);
            QVERIFY(r.evaluations > 0);
            QVERIFY(r.secondsToBest <= r.seconds);
        }
        const StreamingDesign a =
            optimiseStreaming(s.model, StreamingMethod::Annealing, options).design;
        QVERIFY(a == optimiseStreaming(s.model, StreamingMethod::Annealing, options).design);
    }

    // Our descent's partitioning is the shortest path over the cuts: with a reconfiguration
    // far longer than any partition it keeps one partition when one fits, and splits when
    // reconfiguring costs nothing and the partitions run faster apart.
    void descentWeighsReconfiguration() {
        const std::string text = readText(sourcePath("examples/streaming-vgg-zc706.yaml"));
        const StreamingSetup s = streamingSetup(text);
        const StreamingOptimiserResult r = optimiseStreaming(s.model, StreamingMethod::Descent);
        QVERIFY(r.feasible);
        QVERIFY(r.design.partitions.size() > 1); // the weights do not fit one ZC706
        StreamingModel free = s.model;
        free.settings.reconfigurationMs = 0;
        const StreamingOptimiserResult f = optimiseStreaming(free, StreamingMethod::Descent);
        QVERIFY(f.design.partitions.size() >= r.design.partitions.size());
        QVERIFY(f.latencyMs <= r.latencyMs - r.design.partitions.size() * 82.55 + 1e-9);
    }

    // The examples estimate (through the test-side loader until the seam reads them).
    void examplesEstimate() {
        const StreamingSetup lenet =
            streamingSetup(readText(sourcePath("examples/streaming-lenet.yaml")));
        const StreamingEstimate e = estimateStreaming(lenet.model, lenet.design);
        QVERIFY(e.feasible);
        QCOMPARE(e.partitions.size(), std::size_t(1));
        QCOMPARE(e.reconfigurationMs, 0.0);
        QVERIFY(e.fps > 1000);
        QVERIFY(e.powerW > lenet.model.device.power.boardStaticW);
        QCOMPARE(e.bottleneck.kind, StreamingBottleneck::Kind::Layer);
        QCOMPARE(describeStreamingBottleneck(lenet.model, e),
                 std::string("layer 'conv1' in partition 1 (interval 3,920 cycles)"));
    }

    // Our conv timing takes shortcuts: the modules of rate 1 dropped from the balancing, and
    // the truncated module latencies left out of the max (each is below an exact term there).
    // Against the full chain as ConvolutionLayer builds it, on random layers and foldings.
    void convTimingMatchesTheFullModuleChain() {
        SplitMix64 rng(7);
        for (int trial = 0; trial < 3000; ++trial) {
            HwLayer l = conv3x3(3 + rng.below(30), 1, 1);
            l.cols = 3 + rng.below(30);
            l.kernelH = 1 + rng.below(5);
            l.kernelW = 1 + rng.below(5);
            l.strideH = l.strideW = 1 + rng.below(2);
            l.padTop = l.padBottom = rng.below(3);
            l.padLeft = l.padRight = rng.below(3);
            l.rowsOut = (l.rows + 2 * l.padTop - l.kernelH) / l.strideH + 1;
            l.colsOut = (l.cols + 2 * l.padLeft - l.kernelW) / l.strideW + 1;
            if (l.rowsOut < 1 || l.colsOut < 1)
                continue;
            l.groups = 1 << rng.below(3);
            l.channels = l.groups * (1 + rng.below(12));
            l.filters = l.channelsOut = l.groups * (1 + rng.below(12));
            l.bias = rng.below(2) == 1;
            deriveWindow(l);
            auto pick = [&](int n) {
                const std::vector<int> d = divisorsOf(n);
                return d[rng.below(int(d.size()))];
            };
            const LayerFolding f{pick(l.channels / l.groups), pick(l.filters / l.groups),
                                 pick(l.groups), pick(l.kernelH * l.kernelW)};
            // models/layers/ConvolutionLayer.py (chisel) module by module
            const double R = l.rows, C = l.cols, Rp = l.paddedRows, Cp = l.paddedCols;
            const double Ro = l.rowsOut, Co = l.colsOut;
            const std::int64_t ch = l.channels / (f.coarseIn * f.coarseGroup);
            const std::int64_t vch = std::int64_t(l.channels) * l.kernelH * l.kernelW /
                                     (f.fine * f.coarseIn * f.coarseGroup);
            const std::int64_t vf = l.filters / (f.coarseOut * l.groups);
            const double padIn = R * C / (Rp * Cp), winOut = Ro * Co / (Rp * Cp);
            double chain[9][2] = {{padIn, 1},
                                  {1, winOut},
                                  {1, 1},
                                  {1, 1},
                                  {1.0 / double(vf), 1},
                                  {1, 1.0 / double(vch)},
                                  {1, 1},
                                  {1, 1},
                                  {1, 1}};
            const int modules = l.bias ? 9 : 8;
            if (!l.bias)
                chain[7][0] = chain[7][1] = 1; // bias absent: shift-scale moves up
            const double latencies[] = {
                std::max(std::trunc(R * C * ch / padIn), Rp * Cp * ch),
                std::max(Rp * Cp * ch, std::trunc(Ro * Co * ch / winOut)),
                Ro * Co * ch,
                Ro * Co * ch,
                std::max(std::trunc(Ro * Co * vch / (1.0 / double(vf))), Ro * Co * vf),
                std::max(Ro * Co * vch * vf, std::trunc(Ro * Co * vf / (1.0 / double(vch)))),
                Ro * Co * (l.filters / f.coarseGroup) / double(f.coarseOut * f.coarseGroup),
                l.bias ? Ro * Co * (l.filters / (f.coarseOut * f.coarseGroup)) : 0.0,
                Ro * Co};
            const LayerPerf p = layerPerf(l, baseShape(l), f);
            QCOMPARE(p.rateIn, balancedRateIn(chain, modules));
            QCOMPARE(p.latency, *std::max_element(std::begin(latencies), std::end(latencies)));
        }
    }

    // The per-layer memo changes nothing: random designs of the VGG example, estimated in a
    // row with one scratch, equal estimates made with the memo off.
    void memoGivesTheSameEstimates() {
        const StreamingSetup s =
            streamingSetup(readText(sourcePath("examples/streaming-vgg-zc706.yaml")));
        StreamingDesign d = optimiseStreaming(s.model, StreamingMethod::Descent).design;
        const StreamingSpace space(s.model, 1.0);
        StreamingScratch warm, cold;
        cold.partition.useMemo = false;
        SplitMix64 rng(3);
        for (int step = 0; step < 300; ++step) {
            const int p = rng.below(int(d.partitions.size()));
            const StreamingPartition& part = d.partitions[p];
            const int layer = part.first + rng.below(part.last - part.first + 1);
            LayerFolding& f = d.folding[layer];
            const std::vector<int> out = space.coarseOutIn(part, layer);
            f.coarseOut = out[rng.below(int(out.size()))];
            if (!hasConvFolding(s.model.net.layers[layer].kind))
                f.coarseIn = f.coarseOut;
            StreamingEstimate a, b;
            estimateStreamingInto(s.model, d, a, true, warm);
            estimateStreamingInto(s.model, d, b, true, cold);
            QCOMPARE(a.cycles, b.cycles);
            QCOMPARE(a.used.lut, b.used.lut);
            QCOMPARE(a.used.bram18, b.used.bram18);
            QCOMPARE(a.layers.size(), b.layers.size());
            for (std::size_t i = 0; i < a.layers.size(); ++i) {
                QCOMPARE(a.layers[i].intervalCycles, b.layers[i].intervalCycles);
                QCOMPARE(a.layers[i].ff, b.layers[i].ff);
                QCOMPARE(a.layers[i].dsp, b.layers[i].dsp);
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestStreaming)
#include "test_streaming.moc"
