// Project files: reading, the round trip, and every kind of bad input.
#include "core/estimate/design_estimate.h"
#include "core/hw/device_library.h"
#include "test_support.h"

#include <filesystem>

using namespace codesign;
using namespace codesign::testing;

namespace {

// The fixtures in tests/data/bad state what they expect in their first two lines.
struct BadCase {
    std::string file;
    std::string expect;
    int line = 0;
};

std::vector<BadCase> badCases() {
    std::vector<BadCase> cases;
    for (const auto& entry : std::filesystem::directory_iterator(dataPath("bad"))) {
        BadCase c;
        c.file = entry.path().string();
        const std::string text = readText(c.file);
        const auto e = text.find("# expect: ");
        const auto eol = text.find('\n', e);
        c.expect = text.substr(e + 10, eol - e - 10);
        c.line = std::stoi(text.substr(text.find("# expect-line: ") + 15));
        cases.push_back(c);
    }
    std::sort(cases.begin(), cases.end(),
              [](const BadCase& a, const BadCase& b) { return a.file < b.file; });
    return cases;
}

// Load, build and estimate: the first error on the way.
Diagnostic firstError(const std::string& file) {
    Result<Project> p = loadProjectFile(file);
    if (!p.ok())
        return p.error();
    Result<DesignEstimate> e = estimateDesign(*p, DeviceLibrary::builtin());
    if (!e.ok())
        return e.error();
    return makeError("no error");
}

} // namespace

class TestProjectYaml : public QObject {
    Q_OBJECT

    void roundTrip(const std::string& text) {
        bool ok = false;
        Project first = parseOrFail(text, ok);
        QVERIFY(ok);
        const std::string saved = projectToYaml(first);
        Project second = parseOrFail(saved, ok);
        QVERIFY2(ok, saved.c_str());
        QVERIFY2(first == second, saved.c_str());
        // The saved text is stable: saving the reloaded project gives the same text.
        QCOMPARE(projectToYaml(second), saved);
        Graph a = graphOrFail(first, ok);
        QVERIFY(ok);
        Graph b = graphOrFail(second, ok);
        QVERIFY(ok);
        QCOMPARE(a.totalMacs, b.totalMacs);
        QCOMPARE(a.totalParams, b.totalParams);
        QCOMPARE(a.nodes.size(), b.nodes.size());
        for (std::size_t i = 0; i < a.nodes.size(); ++i) {
            QCOMPARE(a.nodes[i].name, b.nodes[i].name);
            QCOMPARE(a.nodes[i].out, b.nodes[i].out);
            QCOMPARE(a.nodes[i].weights, b.nodes[i].weights);
            QCOMPARE(a.nodes[i].activations, b.nodes[i].activations);
        }
    }

private Q_SLOTS:
    void examplesRoundTrip_data() {
        QTest::addColumn<QString>("path");
        for (const char* f : {"examples/dac19-dnn-a.yaml", "examples/dac19-dnn-b.yaml",
                              "examples/dac19-dnn-c.yaml"})
            QTest::newRow(f) << QString::fromUtf8(sourcePath(f).c_str());
        for (const char* f : {"mobilenet-v1.yaml", "resnet-18.yaml"})
            QTest::newRow(f) << QString::fromUtf8(dataPath(f).c_str());
    }
    void examplesRoundTrip() {
        QFETCH(QString, path);
        roundTrip(readText(path.toStdString()));
    }

    void everythingRoundTrips() {
        const std::string text = R"(name: full
description: every field that can be written
device:
  name: my-board
  part: xc7z020clg400-1
  family: zynq7000
  clock_mhz: 125
  resources: {dsp: 220, bram18: 280, uram: 0, lut: 53200, ff: 106400}
  memory: {ddr_peak_gbps: 2.1, axi_latency_cycles: 30}
  power: {board_static_w: 1.5}
input: {channels: 3, height: 128, width: 128, resize: 0.875}
precision:
  weights: fixed<12,3>
  activations: 9
  rounding: convergent
  overflow: wrap
  layers:
    B1.pwconv: {weights: 6}
bundles:
  blk:
    - {op: fuse, kernel: 5, variant: full}
    - {op: pwconv, bias: false}
    - {op: relu6}
    - {op: maxpool, kernel: [2, 2], stride: 2}
network:
  - {bundle: blk, channels: 16, repeat: 2, id: skip}
  - {bundle: blk, channels: 16, downsample: false}
  - {op: conv, kernel: [3, 1], channels: 16, groups: 2, name: stem}
  - {op: add, inputs: [skip]}
  - {op: reorg, factor: 2}
  - {op: upsample, factor: 2}
  - {op: conv, channels: 10, kernel: 1, from: skip, activations: "fixed<16,8>"}
  - {op: bbox_head, anchors: 2}
accelerator:
  arch: tiled
  auto: false
  clock_mhz: 150
  batch: 2
  pw_in: 8
  pw_out: 16
  dw_parallel: 4
  tile_grid: [4, 8]
  group_tiles: {B1: [8, 64], stem: [2, 16]}
  double_buffer: false
  resource_cap: 0.8
search:
  target_fps: 25
  resource_cap: 0.85
  power_budget_w: 3.5
  channels: {min: 16, max: 256, step: 32}
  repeat: {min: 1, max: 3}
  downsample: true
  weight_bits: [8, 11, 16]
  activation_bits: [8, 16]
  resize: [0.75, 0.875, 1]
)";
        roundTrip(text);
        bool ok = false;
        Project p = parseOrFail(text, ok);
        QVERIFY(p.device.inlineDevice.has_value());
        QCOMPARE(p.device.inlineDevice->memory.readLatencyNs, 240.0); // 30 cycles at 125 MHz
        QCOMPARE(p.precision.weights, (FixedType{12, 3}));
        QCOMPARE(std::get<TiledSpec>(p.accelerator.family).tileGridCols, 8);
        QCOMPARE(std::get<TiledSpec>(p.accelerator.family).groupTiles.size(), std::size_t(2));
        QCOMPARE(std::get<TiledSpec>(p.accelerator.family).groupTiles[1].group,
                 std::string("stem"));
        QCOMPARE(std::get<TiledSpec>(p.accelerator.family).groupTiles[1].cols, 16);
        QCOMPARE(p.precision.quant.rounding, Rounding::Convergent);
        QCOMPARE(p.precision.quant.overflow, Overflow::Wrap);
        QVERIFY(p.search.present);
        QCOMPARE(p.search.channels.step, 32);
        QCOMPARE(p.search.resize.size(), std::size_t(3));
        QVERIFY(!p.network[1].downsample);
    }

    void defaultProjectIsTheDnnAExample() {
        Project p = defaultProject();
        QCOMPARE(p.name, std::string("dac19-dnn-a"));
        QCOMPARE(std::string(defaultProjectText()),
                 readText(sourcePath("examples/dac19-dnn-a.yaml")));
    }

    void badInputs_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expect");
        QTest::addColumn<int>("line");
        const auto cases = badCases();
        QVERIFY(cases.size() >= 20);
        for (const BadCase& c : cases)
            QTest::newRow(std::filesystem::path(c.file).filename().string().c_str())
                << QString::fromStdString(c.file) << QString::fromStdString(c.expect) << c.line;
    }
    void badInputs() {
        QFETCH(QString, file);
        QFETCH(QString, expect);
        QFETCH(int, line);
        const Diagnostic d = firstError(file.toStdString());
        const std::string text = d.format();
        QVERIFY2(text.find(expect.toStdString()) != std::string::npos, text.c_str());
        QCOMPARE(d.file, file.toStdString());
        QCOMPARE(d.pos.line, line); // 0: the message concerns the whole file
        QVERIFY2(text.find('\n') == std::string::npos, "one line");
    }

    // Issue 12, item 11: fixed factors under auto: true have no effect; a notice says so
    // (the project is valid), at the accelerator, naming each field.
    void fixedFieldsUnderAutoAreNoticed() {
        bool ok = false;
        const std::string text = projectWith("  - {op: pwconv, channels: 8}\n",
                                             "{channels: 3, height: 32, width: 32}", "");
        QVERIFY(projectNotices(parseOrFail(text, ok)).empty());
        const std::string withFixed =
            text.substr(0, text.find("accelerator:")) +
            "accelerator:\n  auto: true\n  pw_in: 64\n  dw_parallel: 2\n  tile: [8, 16]\n";
        const Project p = parseOrFail(withFixed, ok);
        QVERIFY(ok);
        QVERIFY(p.accelerator.autoSize);
        const std::vector<Diagnostic> notices = projectNotices(p);
        QCOMPARE(notices.size(), std::size_t(1));
        QCOMPARE(notices[0].file, std::string("test.yaml"));
        QCOMPARE(notices[0].pos.line, 8);
        QCOMPARE(notices[0].message,
                 std::string("auto: true sizes the accelerator itself, so pw_in: 64, "
                             "dw_parallel: 2, tile: [8, 16] are ignored (set auto: false to use "
                             "them)"));
        // Without auto:, a project that names its design is taken as written: no notice.
        const std::string written = text.substr(0, text.find("accelerator:")) +
                                    "accelerator:\n  pw_in: 4\n  pw_out: 4\n  tile: [8, 16]\n";
        const Project fixed = parseOrFail(written, ok);
        QVERIFY(ok);
        QVERIFY(!fixed.accelerator.autoSize);
        QVERIFY(projectNotices(fixed).empty());
        for (const char* example :
             {"dac19-dnn-a.yaml", "dac19-dnn-b.yaml", "dac19-dnn-c.yaml", "dac-sdc-explore.yaml"}) {
            Result<Project> e = loadProjectFile(sourcePath(std::string("examples/") + example));
            QVERIFY(e.ok());
            QVERIFY2(projectNotices(*e).empty(), example);
        }
    }

    void missingFile() {
        Result<Project> p = loadProjectFile(dataPath("does-not-exist.yaml"));
        QVERIFY(!p.ok());
        QVERIFY(p.error().format().find("cannot open") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestProjectYaml)
#include "test_project_yaml.moc"
