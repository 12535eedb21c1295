// The systolic family (issue 14; docs/estimator.md, "Systolic arrays"): the spec, SCALE-Sim's
// golden, the closed forms against a cycle-level simulator (GEMM dataflows and FuSe rows),
// FuSeConv's own formulas, memory and stalls, resources, and the MobileNet-V1 examples.
#include "core/estimate/design_estimate.h"
#include "core/estimate/systolic/fuseconv_reference.h"
#include "core/estimate/systolic/systolic_auto.h"
#include "core/estimate/systolic/systolic_estimator.h"
#include "core/estimate/systolic/systolic_json.h"
#include "core/estimate/systolic/systolic_memory.h"
#include "core/hw/device_library.h"
#include "core/model/accelerator_yaml.h"
#include "core/model/transforms/fuse_transform.h"
#include "core/util/splitmix64.h"
#include "core/util/yaml_fields.h"
#include "systolic_sim.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace codesign;
using namespace codesign::testing;

namespace {

constexpr Dataflow kDataflows[] = {Dataflow::Os, Dataflow::Ws, Dataflow::Is};

Device device(const char* name) {
    return *DeviceLibrary::builtin().find(name);
}

Matrix randomMatrix(SplitMix64& rng, int rows, int cols) {
    Matrix m(rows, std::vector<std::int64_t>(cols));
    for (auto& row : m)
        for (auto& v : row)
            v = rng.below(19) - 9;
    return m;
}

Matrix product(const Matrix& a, const Matrix& b) {
    Matrix out(a.size(), std::vector<std::int64_t>(b[0].size(), 0));
    for (std::size_t p = 0; p < a.size(); ++p)
        for (std::size_t k = 0; k < b.size(); ++k)
            for (std::size_t m = 0; m < b[0].size(); ++m)
                out[p][m] += a[p][k] * b[k][m];
    return out;
}

Graph graphOf(const std::string& network, const std::string& input,
              const std::string& precision = "{weights: 8, activations: 8}") {
    const std::string text = "name: t\ndevice: pynq-z1\ninput: " + input +
                             "\nprecision: " + precision + "\nnetwork:\n" + network;
    Result<Project> p = parseProject(text, "t.yaml");
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    Result<Graph> g = buildGraph(*p);
    if (!g.ok())
        qFatal("%s", g.error().format().c_str());
    return std::move(g).value();
}

SystolicConfig arraySpec(int rows, int cols, Dataflow df) {
    SystolicConfig s;
    s.rows = rows;
    s.cols = cols;
    s.dataflow = df;
    s.clockMhz = 100;
    s.dramBytesPerCycle = 1e9; // memory free unless a test says otherwise
    return s;
}

// An `accelerator:` section as the project reader reads it.
Result<AcceleratorSpec> specFrom(const std::string& yaml) {
    try {
        return readAccelerator(YAML::Load(yaml));
    } catch (const YamlError& e) {
        return e.diagnostic;
    }
}

const SystolicSpec& systolicOf(const AcceleratorSpec& a) {
    return std::get<SystolicSpec>(a.family);
}

Project loadExample(const std::string& name) {
    Result<Project> p = loadProjectFile(sourcePath("examples/" + name));
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    return std::move(p).value();
}

SystolicEstimate estimateProject(const Project& p) {
    Result<Graph> g = buildGraph(p);
    if (!g.ok())
        qFatal("%s", g.error().format().c_str());
    const SystolicModel model = prepareSystolic(*g, device(p.device.name.c_str()));
    return estimateSystolic(model, systolicConfigOf(p.accelerator));
}

} // namespace

class TestSystolic : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // ---- the spec -----------------------------------------------------------------------

    void specReadsTheIssueFormat() {
        Result<AcceleratorSpec> a = specFrom("{arch: systolic, rows: 32, cols: 16, dataflow: os, "
                                             "fuse_rows: true, sram_kb: {ifmap: 64, filter: 32, "
                                             "ofmap: 128}, dram_bytes_per_cycle: 16, "
                                             "convention: scalesim_v2, auto: true, clock_mhz: 150, "
                                             "batch: 4}");
        QVERIFY2(a.ok(), a.ok() ? "" : a.error().format().c_str());
        QCOMPARE(a->arch(), std::string_view("systolic"));
        const SystolicSpec& s = systolicOf(*a);
        QCOMPARE(s.rows, 32);
        QCOMPARE(s.cols, 16);
        QVERIFY(s.dataflow == Dataflow::Os);
        QVERIFY(s.fuseRows);
        QCOMPARE(s.sramKb, (SramKb{64, 32, 128}));
        QCOMPARE(s.dramBytesPerCycle, 16.0);
        QVERIFY(s.convention == CycleConvention::ScaleSimV2);
        QVERIFY(a->autoSize); // the keys every family shares
        QCOMPARE(a->clockMhz, 150.0);
        QCOMPARE(a->batch, 4);
    }

    void specDefaults() {
        Result<AcceleratorSpec> bare = specFrom("{arch: systolic}");
        QVERIFY(bare.ok());
        QVERIFY(bare->autoSize); // nothing about the array written: choose it
        QVERIFY(systolicOf(*bare).dataflow == Dataflow::Ws);
        QVERIFY(systolicOf(*bare).convention == CycleConvention::Paper);
        QCOMPARE(systolicOf(*bare).dramBytesPerCycle, 0.0);
        Result<AcceleratorSpec> fixed = specFrom("{arch: systolic, rows: 8}");
        QVERIFY(fixed.ok());
        QVERIFY(!fixed->autoSize);
        QCOMPARE(systolicOf(*fixed).cols, 32);
    }

    void specErrorsPointAtTheValue() {
        Result<AcceleratorSpec> s = specFrom("arch: systolic\nrows: 8\ndataflow: rs\n");
        QVERIFY(!s.ok());
        QCOMPARE(s.error().pos.line, 3);
        QCOMPARE(s.error().pos.column, 11);
        QVERIFY(s.error().message.find("os, ws, is") != std::string::npos);
        s = specFrom("arch: systolic\nsram_kb: {ifmap: 64, filtr: 8}\n");
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.find("did you mean 'filter'") != std::string::npos);
        s = specFrom("arch: systolic\nrows: 0\n");
        QVERIFY(!s.ok());
        QCOMPARE(s.error().pos.line, 2);
        s = specFrom("arch: systolic\nconvention: v3\n");
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.find("scalesim_v2") != std::string::npos);
    }

    void specRoundTrips() {
        SystolicSpec s;
        s.rows = 12;
        s.cols = 40;
        s.dataflow = Dataflow::Is;
        s.fuseRows = true;
        s.sramKb = {3, 5, 700};
        s.dramBytesPerCycle = 2.5;
        s.convention = CycleConvention::ScaleSimV2;
        AcceleratorSpec fixed;
        fixed.family = s;
        fixed.autoSize = false;
        fixed.clockMhz = 187.5;
        fixed.batch = 3;
        AcceleratorSpec sized; // auto: the array keys it chooses are written when not default
        sized.family = s;
        AcceleratorSpec bare;
        bare.family = SystolicSpec{};
        for (const AcceleratorSpec& spec : {fixed, sized, bare}) {
            YAML::Emitter out;
            out << YAML::BeginMap;
            writeAccelerator(out, spec);
            out << YAML::EndMap;
            Result<AcceleratorSpec> back =
                specFrom(YAML::Dump(YAML::Load(out.c_str())["accelerator"]));
            QVERIFY2(back.ok(), out.c_str());
            QVERIFY2(*back == spec, out.c_str());
        }
    }

    // The examples through the project format: projectToYaml reads back to the same project.
    void examplesRoundTrip() {
        for (const char* name : {"mobilenet-v1-systolic.yaml", "mobilenet-v1-fuse.yaml"}) {
            const Project p = loadExample(name);
            QCOMPARE(p.accelerator.arch(), std::string_view("systolic"));
            QVERIFY(!p.accelerator.autoSize);
            const std::string yaml = projectToYaml(p);
            Result<Project> back = parseProject(yaml, name);
            QVERIFY2(back.ok(), yaml.c_str());
            QVERIFY2(*back == p, yaml.c_str());
        }
    }

    // Under auto: true, the array keys written are ignored: the note names them.
    void autoNotesTheIgnoredArrayKeys() {
        const std::string head = "name: t\ndevice: zcu102\ninput: {channels: 3, height: 8, "
                                 "width: 8}\nprecision: {weights: 8, activations: 8}\n"
                                 "network:\n  - {op: conv, channels: 4}\n";
        Result<Project> p = parseProject(
            head + "accelerator: {arch: systolic, auto: true, rows: 16, sram_kb: {ifmap: 8}, "
                   "fuse_rows: true}\n",
            "t.yaml");
        QVERIFY(p.ok());
        const std::vector<Diagnostic> notes = projectNotices(*p);
        QCOMPARE(notes.size(), std::size_t(1));
        QVERIFY2(notes[0].message.find("rows: 16, sram_kb are ignored") != std::string::npos,
                 notes[0].message.c_str());
        p = parseProject(head + "accelerator: {arch: systolic, fuse_rows: true}\n", "t.yaml");
        QVERIFY(p.ok() && p->accelerator.autoSize);
        QVERIFY(projectNotices(*p).empty()); // fuse_rows is the user's, auto sizing keeps it
    }

    // ---- SCALE-Sim's golden ---------------------------------------------------------------

    // scale-sim-v2 test/golden_trace: AlexNet conv1 (224 x 224 x 3, 11 x 11, 96 filters,
    // stride 4) on a 32 x 32 WS array with 64 KB buffers: 112,283 cycles, mapping efficiency
    // 94.53125 %, overall utilisation 91.683 %, SRAM reads 3,294,225 (ifmap) and 34,848
    // (filter), ofmap writes 3,484,800.
    void scaleSimGoldenGemm() {
        const std::int64_t e = scaleSimOfmapDim(224, 11, 4);
        QCOMPARE(e, std::int64_t(55));
        const GemmDims dims{e * e, 11 * 11 * 3, 96};
        const GemmMap m = mapGemm(dims, Dataflow::Ws);
        QCOMPARE(m, (GemmMap{363, 96, 3025}));
        QCOMPARE(foldsOf(m, 32, 32).total(), std::int64_t(36));
        const std::int64_t v2 = gemmCycles(m, 32, 32, Dataflow::Ws, CycleConvention::ScaleSimV2);
        QCOMPARE(v2, std::int64_t(112283));
        QCOMPARE(gemmCycles(m, 32, 32, Dataflow::Ws, CycleConvention::Paper), std::int64_t(112284));
        QCOMPARE(mappingEfficiency(m, 32, 32), 0.9453125);
        const double macs = double(dims.ofmapPx * dims.window * dims.filters);
        QVERIFY(qAbs(macs / (1024.0 * double(v2)) - 0.9168309650614964) < 1e-12);
        const SramAccesses a = gemmSramAccesses(m, 32, 32, Dataflow::Ws);
        QCOMPARE(a.ifmapReads, std::int64_t(3294225));
        QCOMPARE(a.filterReads, std::int64_t(34848));
        QCOMPARE(a.ofmapWrites, std::int64_t(3484800));
    }

    // The same layer through a project: SCALE-Sim's 224 input with its edge window is a
    // 227 input to a conv without padding (55 x 55 outputs).
    void scaleSimGoldenThroughAProject() {
        const Graph g = graphOf("  - {op: conv, kernel: 11, stride: 4, padding: 0, channels: 96}\n",
                                "{channels: 3, height: 227, width: 227}");
        SystolicConfig spec = arraySpec(32, 32, Dataflow::Ws);
        spec.convention = CycleConvention::ScaleSimV2;
        const SystolicEstimate e = estimateSystolic(prepareSystolic(g, device("zcu102")), spec);
        const SystolicLayerEstimate& l = e.layers.at(0);
        QCOMPARE(l.gemm, (GemmMap{363, 96, 3025}));
        QCOMPARE(l.folds, std::int64_t(36));
        QCOMPARE(l.computeCycles, std::int64_t(112283));
        QCOMPARE(l.stallCycles, std::int64_t(0));
        QCOMPARE(l.mappingEfficiency, 0.9453125);
        QVERIFY(qAbs(l.utilization - 0.9168309650614964) < 1e-12);
        QCOMPARE(l.sramWrites, std::int64_t(3484800));
        QCOMPARE(l.sramReads, std::int64_t(3294225 + 34848 + 11 * 96 * 3025)); // + psum reads
        QCOMPARE(e.cycles, std::int64_t(112283));
    }

    // The issue's JSON per layer, for the golden layer.
    void layerJsonHasTheIssueKeys() {
        const Graph g = graphOf("  - {op: conv, kernel: 11, stride: 4, padding: 0, channels: 96}\n",
                                "{channels: 3, height: 227, width: 227}");
        SystolicConfig spec = arraySpec(32, 32, Dataflow::Ws);
        spec.convention = CycleConvention::ScaleSimV2;
        const SystolicEstimate e = estimateSystolic(prepareSystolic(g, device("zcu102")), spec);
        JsonWriter w;
        w.beginObject();
        w.key("accelerator");
        writeSystolicAcceleratorJson(w, e.config, false);
        w.key("layers");
        writeSystolicLayersJson(w, e.layers, g);
        w.endObject();
        const QJsonObject root =
            QJsonDocument::fromJson(QByteArray::fromStdString(w.str())).object();
        const QJsonObject acc = root[QStringLiteral("accelerator")].toObject();
        QCOMPARE(acc[QStringLiteral("arch")].toString(), QStringLiteral("systolic"));
        QCOMPARE(acc[QStringLiteral("convention")].toString(), QStringLiteral("scalesim_v2"));
        QCOMPARE(acc[QStringLiteral("sram_kb")].toObject()[QStringLiteral("ofmap")].toInt(), 64);
        const QJsonObject l = root[QStringLiteral("layers")].toArray().at(0).toObject();
        const QJsonObject gemm = l[QStringLiteral("gemm")].toObject();
        QCOMPARE(gemm[QStringLiteral("sr")].toInt(), 363);
        QCOMPARE(gemm[QStringLiteral("sc")].toInt(), 96);
        QCOMPARE(gemm[QStringLiteral("t")].toInt(), 3025);
        QCOMPARE(l[QStringLiteral("folds")].toInt(), 36);
        QCOMPARE(l[QStringLiteral("compute_cycles")].toInt(), 112283);
        QCOMPARE(l[QStringLiteral("stall_cycles")].toInt(), 0);
        QCOMPARE(l[QStringLiteral("mapping_efficiency")].toDouble(), 0.9453125);
        QVERIFY(qAbs(l[QStringLiteral("utilization")].toDouble() - 0.9168309650614964) < 1e-9);
        QCOMPARE(l[QStringLiteral("sram_writes")].toInt(), 3484800);
        QVERIFY(l.contains(QStringLiteral("sram_reads")) &&
                l.contains(QStringLiteral("dram_bytes")));
    }

    // The other two dataflows by the same closed form, and the v2 OS quirk (no drain).
    void conventionsPerDataflow() {
        const GemmDims d{3025, 363, 96};
        const GemmMap os = mapGemm(d, Dataflow::Os); // (3025, 96, 363): 95 x 3 folds
        QCOMPARE(gemmCycles(os, 32, 32, Dataflow::Os, CycleConvention::Paper),
                 std::int64_t(285 * (64 + 32 + 363 - 2)));
        QCOMPARE(gemmCycles(os, 32, 32, Dataflow::Os, CycleConvention::ScaleSimV2),
                 std::int64_t(285 * (32 + 32 + 363 - 2) - 1));
        const GemmMap is = mapGemm(d, Dataflow::Is); // (363, 3025, 96): 12 x 95 folds
        QCOMPARE(gemmCycles(is, 32, 32, Dataflow::Is, CycleConvention::ScaleSimV2),
                 std::int64_t(1140 * (64 + 32 + 96 - 2) - 1));
    }

    // ---- the closed forms against the cycle-level simulator ------------------------------

    void gemmClosedFormMatchesTheSimulator() {
        SplitMix64 rng(14);
        int cases = 0;
        int partialRow = 0;
        int partialCol = 0;
        int multiFold = 0;
        for (int n = 0; n < 60; ++n) {
            const int P = 1 + rng.below(14), K = 1 + rng.below(14), M = 1 + rng.below(14);
            const int R = 1 + rng.below(6), C = 1 + rng.below(6);
            const Matrix a = randomMatrix(rng, P, K);
            const Matrix b = randomMatrix(rng, K, M);
            const Matrix want = product(a, b);
            for (Dataflow df : kDataflows) {
                const SimResult sim = simulateGemm(a, b, R, C, df);
                const GemmMap m = mapGemm({P, K, M}, df);
                const Folds f = foldsOf(m, R, C);
                const QString where = QStringLiteral("P %1 K %2 M %3 on %4x%5 %6")
                                          .arg(P)
                                          .arg(K)
                                          .arg(M)
                                          .arg(R)
                                          .arg(C)
                                          .arg(QString::fromUtf8(dataflowName(df).data()));
                QVERIFY2(sim.out == want, qPrintable(where));
                QVERIFY2(sim.folds == f.total(), qPrintable(where));
                QVERIFY2(sim.cycles == gemmCycles(m, R, C, df, CycleConvention::Paper),
                         qPrintable(where));
                QVERIFY2(sim.fillStream - 1 == gemmCycles(m, R, C, df, CycleConvention::ScaleSimV2),
                         qPrintable(where));
                QVERIFY2(sim.usefulMacs == std::int64_t(P) * K * M, qPrintable(where));
                ++cases;
                partialRow += m.sr % R != 0 ? 1 : 0;
                partialCol += m.sc % C != 0 ? 1 : 0;
                multiFold += f.total() > 1 ? 1 : 0;
            }
        }
        QCOMPARE(cases, 180);
        QVERIFY(partialRow > 50 && partialCol > 50 && multiFold > 100); // folds and partial folds
    }

    void fuseRowsClosedFormMatchesTheSimulator() {
        SplitMix64 rng(3);
        int multiFold = 0;
        for (int n = 0; n < 60; ++n) {
            const int lines = 1 + rng.below(15);
            const int k = 1 + rng.below(5);
            const int stride = 1 + rng.below(3);
            const int outputs = 1 + rng.below(12);
            const int width = (outputs - 1) * stride + k + rng.below(stride); // padded input
            const int X = 1 + rng.below(6), Y = 1 + rng.below(6);
            const Matrix in = randomMatrix(rng, lines, width);
            const Matrix w = randomMatrix(rng, lines, k);
            const RowSim sim = simulateRows(in, w, stride, outputs, X, Y);
            Matrix want(lines, std::vector<std::int64_t>(outputs, 0));
            for (int l = 0; l < lines; ++l)
                for (int o = 0; o < outputs; ++o)
                    for (int t = 0; t < k; ++t)
                        want[l][o] += w[l][t] * in[l][o * stride + t];
            const RowJob job{lines, outputs, stride, k};
            QVERIFY(sim.out == want);
            QCOMPARE(sim.folds, rowFoldsOf(job, X, Y).total());
            QCOMPARE(sim.cycles, stOsCycles(job, X, Y));
            QCOMPARE(sim.usefulMacs, std::int64_t(lines) * outputs * k);
            multiFold += sim.folds > 1 ? 1 : 0;
        }
        QVERIFY(multiFold > 40);
    }

    // A fuse layer end to end: its branches as the export defines them (1 x K on the first
    // C/2 channels reading row y S, K x 1 on the rest), simulated on rows, against the
    // estimator's cycles for that layer.
    void fuseLayerOnRowsMatchesTheSimulator() {
        for (const char* variant : {"half", "full"}) {
            const Graph g = graphOf(std::string("  - {op: fuse, kernel: 3, stride: 2, variant: ") +
                                        variant + "}\n",
                                    "{channels: 5, height: 9, width: 7}");
            const Node& n = g.nodes[0];
            SplitMix64 rng(9);
            const int pad = n.kernelH / 2;
            std::int64_t simCycles = 0;
            const bool full = n.variant == FuseVariant::Full;
            const int first = full ? n.in.c : n.in.c / 2;
            for (int branch = 0; branch < 2; ++branch) {
                const bool alongWidth = branch == 0;
                const int channels = branch == 0 ? first : (full ? n.in.c : n.in.c - first);
                const int kept = alongWidth ? n.out.h : n.out.w;    // lines per channel
                const int outputs = alongWidth ? n.out.w : n.out.h; // per line
                const int length = (alongWidth ? n.in.w : n.in.h) + 2 * pad;
                const Matrix in = randomMatrix(rng, channels * kept, length);
                const Matrix w = randomMatrix(rng, channels * kept, n.kernelH);
                simCycles += simulateRows(in, w, n.stride, outputs, 4, 3).cycles;
            }
            SystolicConfig spec = arraySpec(4, 3, Dataflow::Ws);
            spec.fuseRows = true;
            const SystolicEstimate e =
                estimateSystolic(prepareSystolic(g, device("pynq-z1")), spec);
            QCOMPARE(e.layers[0].computeCycles, simCycles);
            QVERIFY(e.layers[0].unit == SystolicUnit::Fuse);
        }
    }

    // ---- FuSeConv's analytical model (its formulas), hand-computed ------------------------

    void fuseconvGemmFormula() {
        // 6 x 6 (padded), 3 x 3, C 2, M 5 on 4 x 4: ni 16, nt 18, nf 5.
        //   4 * 1 * (18 + 4 + 4 - 1) = 100; nf % 4 = 1: 4 * (18 + 4 + 1 - 1) = 88.
        FuseconvConv v{1, 6, 6, 3, 3, 2, 5, 1, 1};
        QCOMPARE(fuseconvGemmCycles(4, 4, v), std::int64_t(188));
        // 5 x 5, 3 x 3, C 1, M 6: ni 9, nt 9, nf 6: 2 * 1 * 16 = 32, 1 * 13 = 13,
        // 2 * 14 = 28, 9 + 1 + 2 - 1 = 11.
        v = {1, 5, 5, 3, 3, 1, 6, 1, 1};
        QCOMPARE(fuseconvGemmCycles(4, 4, v), std::int64_t(84));
        // Stride 2, batch 2: E = F = (7 - 3 + 2) / 2 = 3, ni 18, nt 27, nf 4 on 8 x 4:
        // 2 * 1 * (27 + 8 + 4 - 1) = 76; ni % 8 = 2: 1 * (27 + 2 + 4 - 1) = 32.
        v = {2, 7, 7, 3, 3, 3, 4, 2, 2};
        QCOMPARE(fuseconvGemmCycles(8, 4, v), std::int64_t(108));
    }

    void fuseconvRowFormula() {
        // 1 x 3 on 3 channels of a 10 x 18 (padded) map, 4 x 8 array:
        // ceil(30 / 4) = 8 folds of lines, (8 + 3) * ceil(18 / 8) = 33: 264; stride 2: 132.
        FuseconvConv v{1, 10, 18, 1, 3, 3, 1, 1, 1};
        QCOMPARE(fuseconvRowCycles(4, 8, v), std::int64_t(264));
        v.strideW = 2;
        QCOMPARE(fuseconvRowCycles(4, 8, v), std::int64_t(132));
        // ceil(ceil(10 / 4) / 2 * 33) = ceil(1.5 * 33) = 50.
        v.c = 1;
        QCOMPARE(fuseconvRowCycles(4, 8, v), std::int64_t(50));
    }

    void fuseconvNetworkRules() {
        // dwconv 3 x 3 on 4 x 6 x 6 (padded 8 x 8), 4 x 4 array: per channel ni 36, nt 9,
        // nf 1: 9 * (9 + 4 + 1 - 1) = 117; four channels 468.
        const Graph dw =
            graphOf("  - {op: dwconv, kernel: 3}\n", "{channels: 4, height: 6, width: 6}");
        QCOMPARE(fuseconvNetworkCycles(dw, 4, 4, false), std::int64_t(468));
        QCOMPARE(fuseconvNetworkCycles(dw, 4, 4, true), std::int64_t(468)); // K x K stays a GEMM
        // fuse half: 1 x 3 on 2 channels of 6 x 8 (padded width): ceil(12 / 4) * (4 + 3) *
        // ceil(8 / 4) = 42; 3 x 1 the same: 84. On the plain array each branch channel is a
        // 1 x 3 GEMM: ni 36, nt 3: 9 * (3 + 4 + 1 - 1) = 63, 4 of them: 252.
        const Graph fuse =
            graphOf("  - {op: fuse, kernel: 3}\n", "{channels: 4, height: 6, width: 6}");
        QCOMPARE(fuseconvNetworkCycles(fuse, 4, 4, true), std::int64_t(84));
        QCOMPARE(fuseconvNetworkCycles(fuse, 4, 4, false), std::int64_t(252));
        // This estimator's ST-OS gives the same 42 per branch here: 12 lines in 3 folds,
        // 6 positions in 2 folds of 4, 7 cycles each.
        SystolicConfig spec = arraySpec(4, 4, Dataflow::Os);
        spec.fuseRows = true;
        const SystolicEstimate e = estimateSystolic(prepareSystolic(fuse, device("pynq-z1")), spec);
        QCOMPARE(e.layers[0].computeCycles, std::int64_t(84));
    }

    // ---- what runs where ----------------------------------------------------------------

    void depthwiseUsesOneColumn() {
        const Graph g = graphOf("  - {op: dwconv, kernel: 3}\n  - {op: relu}\n"
                                "  - {op: maxpool}\n  - {op: relu}\n",
                                "{channels: 16, height: 8, width: 8}");
        const SystolicModel model = prepareSystolic(g, device("pynq-z1"));
        QVERIFY(model.work[0].unit == SystolicUnit::Depthwise);
        QCOMPARE(model.work[0].count, std::int64_t(16));
        QCOMPARE(model.work[0].gemm, (GemmDims{64, 9, 1}));
        QVERIFY(model.work[1].unit == SystolicUnit::Fused);  // relu after the array: free
        QVERIFY(model.work[2].unit == SystolicUnit::Vector); // maxpool
        QVERIFY(model.work[3].unit == SystolicUnit::Vector); // relu after a pool
        const SystolicEstimate e = estimateSystolic(model, arraySpec(16, 8, Dataflow::Ws));
        // WS: (9, 1, 64) in one fold of 2 * 16 + 8 + 64 - 2 = 102 cycles, per channel.
        QCOMPARE(e.layers[0].computeCycles, std::int64_t(16 * 102));
        QCOMPARE(e.layers[0].mappingEfficiency, 9.0 / 128.0);
        QCOMPARE(e.layers[1].computeCycles, std::int64_t(0));
        // maxpool 2 x 2 on 16 x 8 x 8: 256 outputs x 4 compares over 8 lanes.
        QCOMPARE(e.layers[2].computeCycles, std::int64_t(128));
        QCOMPARE(e.layers[3].computeCycles, std::int64_t(32));
        QCOMPARE(e.cycles, std::int64_t(16 * 102 + 128 + 32));
    }

    // The imported models' ops (docs/import.md): activations after the array are free,
    // otherwise one vector op per output; mul one per output; shuffle and slice are the DMA's.
    void importedOpsMapToUnits() {
        const Graph g = graphOf("  - {op: pwconv, channels: 16, id: a}\n"
                                "  - {op: hard_swish}\n"
                                "  - {op: leaky_relu, slope: 0.1}\n"
                                "  - {op: mul, inputs: [a]}\n"
                                "  - {op: shuffle, groups: 2}\n"
                                "  - {op: slice, begin: 0, channels: 8}\n",
                                "{channels: 16, height: 8, width: 8}");
        const SystolicModel model = prepareSystolic(g, device("pynq-z1"));
        QVERIFY(model.work[0].unit == SystolicUnit::Array);
        // `a` feeds both the hard_swish and the mul, so the activation cannot ride the
        // array's output path: the vector unit runs it.
        QVERIFY(model.work[1].unit == SystolicUnit::Vector);
        QVERIFY(model.work[2].unit == SystolicUnit::Vector); // after the vector unit
        QVERIFY(model.work[3].unit == SystolicUnit::Vector); // mul
        QVERIFY(model.work[4].unit == SystolicUnit::Free);
        QVERIFY(model.work[5].unit == SystolicUnit::Free);
        const SystolicEstimate e = estimateSystolic(model, arraySpec(16, 8, Dataflow::Ws));
        // 16 x 8 x 8 = 1,024 outputs over 8 lanes: 128 cycles for each vector layer.
        QCOMPARE(e.layers[1].computeCycles, std::int64_t(128));
        QCOMPARE(e.layers[3].computeCycles, std::int64_t(128));
        QCOMPARE(e.layers[4].computeCycles, std::int64_t(0));
        QCOMPARE(e.layers[5].computeCycles, std::int64_t(0));
    }

    // An estimate reused for another network keeps nothing of the first.
    void reusedEstimateStartsClean() {
        const Graph pooled =
            graphOf("  - {op: dwconv}\n  - {op: maxpool}\n", "{channels: 4, height: 8, width: 8}");
        const Graph fused =
            graphOf("  - {op: dwconv}\n  - {op: relu}\n", "{channels: 4, height: 8, width: 8}");
        SystolicEstimate e;
        const SystolicConfig spec = arraySpec(4, 4, Dataflow::Ws);
        estimateSystolicInto(prepareSystolic(pooled, device("pynq-z1")), spec, true, e);
        QVERIFY(e.layers[1].computeCycles > 0);
        estimateSystolicInto(prepareSystolic(fused, device("pynq-z1")), spec, true, e);
        QVERIFY(e.layers[1].unit == SystolicUnit::Fused);
        QCOMPARE(e.layers[1].computeCycles, std::int64_t(0));
        QCOMPARE(e.layers[1].dramBytes, std::int64_t(0));
        QCOMPARE(e.cycles, e.layers[0].computeCycles + e.layers[0].stallCycles);
    }

    // ---- memory and stalls, by hand -------------------------------------------------------

    // pwconv 20 -> 8 on 10 x 10 (8-bit): WS (Sr, Sc, T) = (20, 8, 100) on 4 x 4: 5 x 2 folds of
    // 2 * 4 + 4 + 100 - 2 = 110 cycles: 1100. Bytes: ifmap 2000, filter 160, ofmap 800,
    // partial sums ceil((8 + 8 + 5) / 8) = 3 bytes.
    void stallsWhenDramIsShort() {
        const Graph g = graphOf("  - {op: pwconv, channels: 8, bias: false}\n",
                                "{channels: 20, height: 10, width: 10}");
        const SystolicModel model = prepareSystolic(g, device("pynq-z1"));
        SystolicConfig spec = arraySpec(4, 4, Dataflow::Ws);
        spec.dramBytesPerCycle = 2;
        // 64 KB buffers: everything fits its half, D = 2960; (2960 / 2 - 1100) * 9 / 10 = 342.
        SystolicEstimate e = estimateSystolic(model, spec);
        QCOMPARE(e.layers[0].computeCycles, std::int64_t(1100));
        QCOMPARE(e.layers[0].dramBytes, std::int64_t(2960));
        QCOMPARE(e.layers[0].stallCycles, std::int64_t(342));
        QCOMPARE(e.cycles, std::int64_t(1442));
        // 1 KB buffers (512-byte halves): the ifmap is read once per column fold (4000), the
        // 100 x 4 x 3 = 1200-byte psum block spills: 800 + 2 * 4 * 100 * 8 * 3 = 20000.
        // D = 24160: (12080 - 1100) * 9 / 10 = 9882.
        spec.sramKb = {1, 1, 1};
        e = estimateSystolic(model, spec);
        QCOMPARE(e.layers[0].dramBytes, std::int64_t(24160));
        QCOMPARE(e.layers[0].stallCycles, std::int64_t(9882));
        QCOMPARE(e.bottleneck, std::string("memory: DRAM bandwidth")); // the tiled family's words
        // Enough bandwidth: no stall at all.
        spec.dramBytesPerCycle = 32;
        QCOMPARE(estimateSystolic(model, spec).layers[0].stallCycles, std::int64_t(0));
    }

    void dramTrafficRulesPerDataflow() {
        const GemmDims d{100, 20, 8};
        const OperandBytes b{2000, 160, 800, 3};
        const BufferBytes small{1024, 256, 1024};
        // OS (100, 8, 20) on 4 x 4: 25 x 2 folds; ifmap 2000 > 512: swept twice; the filter's
        // column block (80 bytes) fits its 128-byte half: once. 4000 + 160 + 800.
        GemmMap m = mapGemm(d, Dataflow::Os);
        QCOMPARE(gemmDramBytes(m, foldsOf(m, 4, 4), Dataflow::Os, b, small, 4), std::int64_t(4960));
        // IS (20, 100, 8): 5 x 25 folds; the filter (160 > 128) once per column fold: 25 x 160;
        // the 8 x 4 x 3 = 96-byte psum block fits: 2000 + 4000 + 800.
        m = mapGemm(d, Dataflow::Is);
        QCOMPARE(gemmDramBytes(m, foldsOf(m, 4, 4), Dataflow::Is, b, small, 4), std::int64_t(6800));
        QCOMPARE(foldStallCycles(1000, 400, 1, 1), std::int64_t(0)); // one fold: prefetched
        QCOMPARE(streamStallCycles(1000, 400, 2), std::int64_t(100));
    }

    // ---- resources, by hand -------------------------------------------------------------

    void resourcesOfASmallArray() {
        const Graph g = graphOf("  - {op: pwconv, channels: 8, bias: false}\n",
                                "{channels: 20, height: 10, width: 10}");
        const Device pynq = device("pynq-z1");
        const SystolicModel model = prepareSystolic(g, pynq);
        QCOMPARE(model.accumulatorBits, 8 + 8 + 5);
        SystolicConfig spec = arraySpec(4, 4, Dataflow::Ws);
        const SystolicResources r = systolicResources(spec, pynq, {8, 8, 21});
        // 16 multipliers, 8-bit x 8-bit packs two per DSP48E1 (2 * 8 + 8 <= 26): 8 slices.
        QVERIFY(r.packed);
        QCOMPARE(r.total.dsp, std::int64_t(8));
        // ifmap 64 KB in 4 row banks of 8 bits: 16384 deep, 9 x 2048: 8 BRAM18 each = 32;
        // filter likewise in 4 column banks = 32; ofmap (partial sums, 21 bits) 4 banks of
        // 6242 -> 8192 deep (7-series), 36 x 512: 16 each = 64.
        QCOMPARE(r.ifmap.bram18, std::int64_t(32));
        QCOMPARE(r.filter.bram18, std::int64_t(32));
        QCOMPARE(r.ofmap.depth, std::int64_t(6242));
        QCOMPARE(r.ofmap.bram18, std::int64_t(64));
        // The three m_axi masters' data FIFOs (64 bits x 16 outstanding x 16 beats): 2
        // BRAM18 each, as the tiled family's.
        QCOMPARE(r.bramAxiFifos, std::int64_t(3 * 2));
        QCOMPARE(r.total.bram18, std::int64_t(128 + 6));
        // FF: 16 PEs x (8 + 8 + 21) = 592; vector 4 x (21 + 8) = 116; control: 7 loops x 40
        // and the AXI shell (core/hw/axi_logic.h): 3 masters x (450 + 64 x 2), the AXI-Lite
        // slave 300, 3 port interconnects x 250, the control interconnect 200, reset 40.
        QCOMPARE(r.ffArray, std::int64_t(592));
        QCOMPARE(r.ffVector, std::int64_t(116));
        QCOMPARE(r.ffControl, std::int64_t(280 + 1734 + 300 + 750 + 200 + 40));
        QCOMPARE(r.total.ff, std::int64_t(592 + 116 + 3304));
        // LUT: 16 PEs x 8 bits of a 2:1 mux x 2 inputs x 0.25 + 8 packed pairs x 30 = 304;
        // skew: rows 1..3 delay 1 SRL each x 8 bits = 24, columns x 21 bits = 63; vector
        // 4 x (21 + 16) = 148; control: 7 loops x 64 and the shell: 3 x (350 + 64 x 1.5),
        // 250, 3 x 200, 150, 20.
        QCOMPARE(r.lutArray, std::int64_t(304));
        QCOMPARE(r.lutSkew, std::int64_t(24 + 63));
        QCOMPARE(r.lutVector, std::int64_t(148));
        QCOMPARE(r.lutControl, std::int64_t(448 + 1338 + 250 + 600 + 150 + 20));
        QCOMPARE(r.total.lut, std::int64_t(304 + 87 + 148 + 2806));
        // 16-bit weights no longer pack: one DSP per multiplier.
        QCOMPARE(systolicResources(spec, pynq, {16, 8, 29}).total.dsp, std::int64_t(16));
    }

    void powerFromTheEnergyTable() {
        const Graph g = graphOf("  - {op: pwconv, channels: 8, bias: false}\n",
                                "{channels: 20, height: 10, width: 10}");
        const Device pynq = device("pynq-z1");
        const SystolicEstimate e =
            estimateSystolic(prepareSystolic(g, pynq), arraySpec(4, 4, Dataflow::Ws));
        // MAC: 0.0045 mW/MHz = 4.5 pJ per slice-cycle, packed: 2.25 pJ; 16,000 MACs.
        QVERIFY(qAbs(e.energy.macMj - 16000 * 2.25e-9) < 1e-15);
        // SRAM: 7.5 pJ per BRAM18 access; every word of <= 36 bits touches one.
        const double accesses = double(e.sramReads + e.sramWrites);
        QVERIFY(qAbs(e.energy.sramMj - accesses * 7.5e-9) < 1e-15);
        QVERIFY(qAbs(e.energy.dramMj - 2960 * 350e-9) < 1e-15);
        const double seconds = e.latencyMs / 1e3;
        QVERIFY(qAbs(e.power.dspW - e.energy.macMj * 1e-3 / seconds) < 1e-12);
        QCOMPARE(e.power.boardStaticW, pynq.power.boardStaticW);
        QVERIFY(e.powerW > pynq.power.boardStaticW);
    }

    void infeasibleDesignsSayWhy() {
        const Graph g =
            graphOf("  - {op: pwconv, channels: 8}\n", "{channels: 20, height: 10, width: 10}");
        const SystolicEstimate e = estimateSystolic(prepareSystolic(g, device("pynq-z1")),
                                                    arraySpec(32, 32, Dataflow::Ws));
        QVERIFY(!e.feasible); // 1024 multipliers, 512 DSPs > 220
        QCOMPARE(e.bottleneck, std::string("resource: DSP 512 > 220 available"));
    }

    // ---- the examples and auto sizing ------------------------------------------------------

    void mobileNetFuseIsFaster() {
        const Project dw = loadExample("mobilenet-v1-systolic.yaml");
        const Project fuse = loadExample("mobilenet-v1-fuse.yaml");
        QCOMPARE(systolicOf(dw.accelerator).rows, 64);
        QVERIFY(systolicOf(fuse.accelerator).fuseRows);
        const SystolicEstimate a = estimateProject(dw);
        const SystolicEstimate b = estimateProject(fuse);
        QVERIFY(a.feasible && b.feasible);
        QCOMPARE(a.bottleneck, std::string("compute: depthwise on the array"));
        const double speedup = double(a.cycles) / double(b.cycles);
        qInfo("MobileNet-V1 64x64 WS: depthwise %lld cycles, FuSe-Half %lld: %.2fx",
              static_cast<long long>(a.cycles), static_cast<long long>(b.cycles), speedup);
        QVERIFY(speedup > 2);
    }

    // The speed-ups docs/estimator.md reports: FuSe-Half (the example) and FuSe-Full (the
    // transform of the original) on the ST-OS array against the depthwise original on the
    // plain array, per dataflow; and the same networks under FuSeConv's own model.
    void fuseSpeedupsPerDataflow() {
        const Project dw = loadExample("mobilenet-v1-systolic.yaml");
        const Graph original = *buildGraph(dw);
        const Device zcu = device("zcu102");
        const SystolicModel base = prepareSystolic(original, zcu);
        for (FuseVariant v : {FuseVariant::Half, FuseVariant::Full}) {
            FuseTransformOptions o;
            o.variant = v;
            const Graph fused = *buildGraph(fuseTransform(dw, o)->project);
            const SystolicModel model = prepareSystolic(fused, zcu);
            for (Dataflow df : kDataflows) {
                SystolicConfig plain = systolicConfigOf(dw.accelerator);
                plain.dataflow = df;
                SystolicConfig rows = plain;
                rows.fuseRows = true;
                const SystolicEstimate a = estimateSystolic(base, plain, false);
                const SystolicEstimate b = estimateSystolic(model, rows, false);
                const double speedup = double(a.cycles) / double(b.cycles);
                qInfo("FuSe-%s %s: %lld -> %lld cycles (%lld -> %lld compute), %.2fx",
                      v == FuseVariant::Full ? "Full" : "Half", dataflowName(df).data(),
                      static_cast<long long>(a.cycles), static_cast<long long>(b.cycles),
                      static_cast<long long>(a.computeCycles),
                      static_cast<long long>(b.computeCycles), speedup);
                QVERIFY(speedup > 1);
            }
            const std::int64_t ref = fuseconvNetworkCycles(original, 64, 64, false);
            const std::int64_t refFuse = fuseconvNetworkCycles(fused, 64, 64, true);
            qInfo("FuSeConv's model, FuSe-%s: %lld -> %lld cycles, %.2fx",
                  v == FuseVariant::Full ? "Full" : "Half", static_cast<long long>(ref),
                  static_cast<long long>(refFuse), double(ref) / double(refFuse));
            QVERIFY(refFuse < ref);
        }
    }

    // ---- behind the architecture seam ------------------------------------------------------

    // estimateDesign on a systolic project: the engine's figures in the neutral estimate, a
    // row per node in node order, one stage per layer that takes cycles, the detail's rows.
    void seamFillsTheNeutralEstimate() {
        const Project p = loadExample("mobilenet-v1-systolic.yaml");
        Result<DesignEstimate> de = estimateDesign(p, DeviceLibrary::builtin());
        QVERIFY(de.ok());
        QCOMPARE(de->architecture->name(), std::string_view("systolic"));
        const Estimate& e = de->estimate;
        const SystolicEstimate engine = estimateProject(p);
        QCOMPARE(e.fps, engine.fps);
        QCOMPARE(e.cycles, engine.cycles);
        QCOMPARE(e.powerW, engine.powerW);
        QCOMPARE(e.used.dsp, engine.used.dsp);
        QCOMPARE(e.ddrBytesPerImage, engine.dramBytesPerImage);
        QCOMPARE(e.macs, de->graph.totalMacs);
        QCOMPARE(e.params, de->graph.totalParams);
        QVERIFY(e.params > 4'000'000); // MobileNet-V1's 4.2 M
        QCOMPARE(e.clockMhz, de->device.defaultClockMhz);
        QVERIFY(!e.autoSized && e.feasible);
        QCOMPARE(e.bottleneck, std::string("compute: depthwise on the array"));
        QCOMPARE(e.layers.size(), de->graph.nodes.size());
        std::int64_t layerCycles = 0, stageCycles = 0;
        for (std::size_t i = 0; i < e.layers.size(); ++i) {
            QCOMPARE(e.layers[i].node, int(i));
            layerCycles += e.layers[i].cycles;
        }
        for (const StageEstimate& st : e.stages) {
            QCOMPARE(st.firstNode, st.lastNode);
            QCOMPARE(st.name, de->graph.nodes[std::size_t(st.firstNode)].name);
            stageCycles += st.cycles;
        }
        QCOMPARE(layerCycles, e.cycles);
        QCOMPARE(stageCycles, e.cycles);
        QCOMPARE(e.layers[3].unit, std::string_view("dw")); // B1.dwconv
        QCOMPARE(e.layers[3].dsp, e.used.dsp);
        const SystolicDetail& d = std::get<SystolicDetail>(e.detail);
        QCOMPARE(d.config.rows, 64);
        QCOMPARE(d.layers.size(), e.layers.size());
        QCOMPARE(d.layers[3].gemmCount, std::int64_t(32));
    }

    // An auto-sized design written back as a fixed accelerator estimates the same, and the
    // fixed project survives the project format.
    void autoSizedDesignFixesAndReestimates() {
        Project p = loadExample("mobilenet-v1-fuse.yaml");
        p.accelerator.autoSize = true;
        Result<DesignEstimate> sized = estimateDesign(p, DeviceLibrary::builtin());
        QVERIFY(sized.ok());
        QVERIFY(sized->estimate.autoSized && sized->estimate.feasible);
        QVERIFY(std::get<SystolicDetail>(sized->estimate.detail).designsTried > 0);
        const Project fixed = withFixedDesign(p, sized->graph, sized->estimate.detail);
        QVERIFY(!fixed.accelerator.autoSize);
        QVERIFY(std::get<SystolicSpec>(fixed.accelerator.family).fuseRows); // the user's key
        QCOMPARE(std::get<SystolicSpec>(fixed.accelerator.family).dramBytesPerCycle, 0.0);
        Result<Project> back = parseProject(projectToYaml(fixed), "fixed.yaml");
        QVERIFY(back.ok());
        QVERIFY(*back == fixed);
        Result<DesignEstimate> again = estimateDesign(*back, DeviceLibrary::builtin());
        QVERIFY(again.ok());
        QCOMPARE(again->estimate.fps, sized->estimate.fps);
        QCOMPARE(again->estimate.used.bram18, sized->estimate.used.bram18);
        QVERIFY(!again->estimate.autoSized);
    }

    void autoSizingStaysUnderTheCap() {
        const Project dw = loadExample("mobilenet-v1-systolic.yaml");
        const Graph g = *buildGraph(dw);
        const SystolicModel model = prepareSystolic(g, device("zcu102"));
        const SystolicConfig base = systolicConfigOf(dw.accelerator);
        const SystolicAutoResult r = autoSizeSystolic(model, base, 0.9);
        QVERIFY(r.found && r.evaluated > 0);
        const SystolicEstimate e = estimateSystolic(model, r.config);
        QVERIFY(e.feasible);
        QVERIFY(e.used.dsp <= 0.9 * e.available.dsp);
        QVERIFY(e.used.bram18 <= 0.9 * e.available.bram18);
        // At least as fast as the written 64 x 64 design, which fits the cap too.
        const SystolicEstimate written = estimateSystolic(model, base);
        QVERIFY(written.used.dsp <= 0.9 * written.available.dsp);
        QVERIFY(e.fps >= written.fps);
        QVERIFY(r.config.fuseRows == base.fuseRows); // the user's keys kept
    }
};

QTEST_GUILESS_MAIN(TestSystolic)
#include "test_systolic.moc"
