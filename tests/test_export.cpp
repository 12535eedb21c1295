// `codesign export` as a user runs it (issue 5): the exported C simulation is bit-exact
// against the reference for the three DAC-SDC examples and random networks; the Vitis HLS
// and Vivado scripts, run under tclsh with the vendor commands recording their calls, name
// the right part, top function, clock and files; the model files pass their checkers; and
// the folder is written all at once or not at all.
#include "core/model/graph.h"
#include "core/model/project_yaml.h"
#include "core/qor/design_features.h"
#include "core/qor/design_hash.h"
#include "core/qor/qor_cache.h"
#include "core/reference/reference.h"
#include "core/reference/weight_set.h"
#include "core/util/splitmix64.h"
#include "hls_export/hls_source_writer.h"
#include "hls_export/onnx_writer.h"
#include "process_test_support.h"
#include "test_support.h"
#include "tied_box_map.h"
#include "tiled_test_support.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <cstdint>
#include <string>
#include <vector>

using namespace codesign;
using namespace codesign::testing;

namespace {

// Random networks over the vocabulary the tiled accelerator supports, valid by construction
// (the shapes are tracked while layers are drawn).
class NetworkDraw {
public:
    explicit NetworkDraw(std::uint64_t seed) : rng_(seed * 0x9e3779b97f4a7c15ULL + 1) {}

    int below(int n) { return rng_.below(n); }
    bool chance(int percent) { return below(100) < percent; }

    // A project file: input c x h x w, 6-12 layers, random precision and quantization
    // modes, a fixed accelerator with odd tiles; with `blocked`, channel blocks of one or
    // two pw_in (drawn last, so the rest of a seed's project is the same).
    std::string project(int c, int h, int w, bool blocked = false) {
        c_ = c;
        h_ = h;
        w_ = w;
        std::vector<std::pair<std::string, std::string>> layers; // text, id
        int ids = 0;
        std::vector<std::pair<std::string, std::string>> named; // id, shape
        const int count = 6 + below(7);
        for (int i = 0; i < count; ++i) {
            std::string layer;
            const int pick = below(14);
            if (pick == 0 && h_ >= 2 && w_ >= 2 && h_ % 2 == 0 && w_ % 2 == 0) {
                layer = "{op: maxpool, kernel: 2}";
                h_ /= 2;
                w_ /= 2;
            } else if (pick == 1 && h_ >= 3 && w_ >= 3) {
                layer = "{op: avgpool, kernel: 3, stride: 1}";
                h_ -= 2;
                w_ -= 2;
            } else if (pick == 2) {
                const int s = chance(30) ? 2 : 1;
                layer = "{op: dwconv, kernel: 3, stride: " + std::to_string(s) + "}";
                h_ = (h_ - 1) / s + 1;
                w_ = (w_ - 1) / s + 1;
            } else if (pick == 3) {
                const int out = 4 + below(12);
                const int k = chance(50) ? 3 : 1;
                layer = "{op: conv, kernel: " + std::to_string(k) +
                        ", channels: " + std::to_string(out) + (chance(30) ? ", bias: false" : "") +
                        "}";
                c_ = out;
            } else if (pick == 4 && c_ % 2 == 0) {
                const int out = 2 * (2 + below(5));
                layer = "{op: conv, kernel: 3, groups: 2, channels: " + std::to_string(out) + "}";
                c_ = out;
            } else if (pick == 5 && c_ >= 2) {
                const bool full = chance(50);
                layer =
                    std::string("{op: fuse, kernel: 3, variant: ") + (full ? "full" : "half") + "}";
                c_ = full ? 2 * c_ : c_;
            } else if (pick == 6) {
                layer = "{op: relu}";
            } else if (pick == 7) {
                layer = "{op: relu6}";
            } else if (pick == 8) {
                layer = "{op: bn}";
            } else if (pick == 9 && !sameShape(named).empty()) {
                const auto operands = sameShape(named);
                layer = "{op: add, inputs: [" + operands[below(int(operands.size()))] + "]}";
            } else if (pick == 10 && !sameShape(named).empty()) {
                const auto operands = sameShape(named);
                layer = "{op: concat, inputs: [" + operands[below(int(operands.size()))] + "]}";
                c_ *= 2;
            } else if (pick == 11 && h_ % 2 == 0 && w_ % 2 == 0 && c_ <= 16) {
                layer = "{op: reorg, factor: 2}";
                c_ *= 4;
                h_ /= 2;
                w_ /= 2;
            } else if (pick == 12 && h_ <= 12 && w_ <= 12) {
                layer = "{op: upsample, factor: 2}";
                h_ *= 2;
                w_ *= 2;
            } else {
                const int out = 4 + below(20);
                layer = "{op: pwconv, channels: " + std::to_string(out) + "}";
                c_ = out;
            }
            // Name the output now and then, so that later add / concat layers can use it.
            std::string id;
            if (chance(40)) {
                id = "t" + std::to_string(ids++);
                named.emplace_back(id, key());
            }
            layers.emplace_back(layer, id);
        }
        // Runs of layers become bundles (one execution group each, on chip inside): a run
        // ends at a named layer, whose id then names the bundle instance's output.
        std::string bundles;
        std::string net;
        for (std::size_t i = 0; i < layers.size();) {
            std::size_t end = i;
            const std::size_t most = i + 1 + below(4);
            const auto hasInputs = [&](std::size_t k) {
                return layers[k].first.find("inputs") != std::string::npos;
            };
            // add / concat name their operands, which only single layers may do.
            while (!hasInputs(i) && end + 1 < layers.size() && end + 1 < most &&
                   layers[end].second.empty() && !hasInputs(end + 1))
                ++end;
            const std::string& id = layers[end].second;
            if (end == i) {
                std::string one = layers[i].first;
                if (!id.empty())
                    one.insert(one.size() - 1, ", id: " + id);
                net += "  - " + one + "\n";
            } else {
                const std::string name = "b" + std::to_string(i);
                bundles += "  " + name + ":\n";
                for (std::size_t k = i; k <= end; ++k)
                    bundles += "    - " + layers[k].first + "\n";
                net += "  - {bundle: " + name + (id.empty() ? "" : ", id: " + id) + "}\n";
            }
            i = end + 1;
        }
        // A detection tail, or a classifier.
        if (chance(50)) {
            net += "  - {op: pwconv, channels: 10}\n  - {op: bbox_head, anchors: 2}\n";
        } else {
            net +=
                "  - {op: global_avgpool}\n  - {op: fc, channels: " + std::to_string(3 + below(8)) +
                "}\n";
        }
        const int aw = 6 + below(7);
        const int ww = 6 + below(9);
        const char* rounding[] = {"round", "truncate", "convergent"};
        const char* overflow[] = {"saturate", "wrap"};
        std::string text =
            "name: random\ndevice: " + std::string(chance(50) ? "pynq-z1" : "ultra96-v2") +
            "\ninput: {channels: " + std::to_string(c) + ", height: " + std::to_string(h) +
            ", width: " + std::to_string(w) + "}\n" + "precision: {weights: \"fixed<" +
            std::to_string(ww) + "," + std::to_string(1 + below(3)) + ">\", activations: \"fixed<" +
            std::to_string(aw) + "," + std::to_string(2 + below(aw - 2)) +
            ">\", rounding: " + rounding[below(3)] + ", overflow: " + overflow[chance(75) ? 0 : 1] +
            "}\n";
        if (!bundles.empty())
            text += "bundles:\n" + bundles;
        text += "network:\n" + net;
        text += "accelerator: {arch: tiled, auto: false, pw_in: " + std::to_string(1 + below(8)) +
                ", pw_out: " + std::to_string(1 + below(8)) +
                ", dw_parallel: " + std::to_string(1 + below(6)) + ", tile: [" +
                std::to_string(2 + below(7)) + ", " + std::to_string(3 + below(9)) +
                "], double_buffer: " + (chance(70) ? "true" : "false");
        if (blocked) {
            const int pwIn = std::stoi(text.substr(text.rfind("pw_in: ") + 7));
            text += ", channel_block: " + std::to_string(pwIn * (1 + below(2)));
        }
        return text + "}\n";
    }

private:
    std::vector<std::string>
    sameShape(const std::vector<std::pair<std::string, std::string>>& named) const {
        std::vector<std::string> ids;
        for (const auto& [id, shape] : named)
            if (shape == key())
                ids.push_back(id);
        return ids;
    }
    std::string key() const {
        return std::to_string(c_) + "x" + std::to_string(h_) + "x" + std::to_string(w_);
    }

    SplitMix64 rng_;
    int c_ = 3, h_ = 0, w_ = 0;
};

std::string inside(const QString& dir, const char* relative) {
    return dir.toStdString() + "/" + relative;
}

Run runCli(const QStringList& args) {
    return runProgram(QStringLiteral(CODESIGN_CLI), args);
}

QString example(const char* name) {
    return QString::fromStdString(sourcePath(std::string("examples/") + name));
}

QString writeText(const QString& path, const std::string& text) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text.data(), qint64(text.size()));
    return path;
}

// Exports and runs `make csim` with the warnings the issue asks for; returns the output.
QString exportAndSimulate(const QString& project, const QString& out) {
    const Run e = runCli({QStringLiteral("export"), project, QStringLiteral("--out"), out});
    if (e.exitCode != 0)
        return QStringLiteral("export failed: ") + e.err;
    const Run m =
        runProgram(QStringLiteral("make"),
                   {QStringLiteral("-s"), QStringLiteral("csim"), QStringLiteral("CXX=g++"),
                    QStringLiteral("CXXFLAGS=-O2 -std=c++14 -Wall -Wextra -Werror")},
                   out);
    return m.out + m.err + (m.exitCode == 0 ? QString() : QStringLiteral("\nmake failed"));
}

bool debianPythonHas(const char* module) {
    if (!QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
        return false;
    return runProgram(QStringLiteral("/usr/bin/python3"),
                      {QStringLiteral("-c"), QStringLiteral("import ") + QLatin1String(module)})
               .exitCode == 0;
}

// Tcl prelude: every command Tcl does not know (the vendor's) is recorded, one call per
// line, and returns an empty result; `exit` is recorded too.
const char* kRecorder = R"TCL(
set ::codesign_calls {}
proc unknown {args} { lappend ::codesign_calls $args; return "" }
rename exit ::codesign_real_exit
proc exit {args} { lappend ::codesign_calls [concat exit $args] }
proc codesign_write {path} {
    set f [open $path w]
    foreach c $::codesign_calls { puts $f $c }
    close $f
}
)TCL";

// `prelude`: Tcl run after the recorder, e.g. a vendor command that answers.
QStringList runTcl(const QString& dir, const QString& script, const QString& argv = {},
                   const std::string& prelude = {}) {
    const QString runner = dir + QStringLiteral("/record.tcl");
    const QString calls = dir + QStringLiteral("/calls.txt");
    writeText(runner, std::string(kRecorder) + prelude + "\ncd {" + dir.toStdString() +
                          "}\nset ::argv {" + argv.toStdString() + "}\nif {[catch {source " +
                          script.toStdString() +
                          "} message]} { lappend ::codesign_calls [list ERROR $message] }\n" +
                          "codesign_write {" + calls.toStdString() + "}\n");
    const Run r = runProgram(QStringLiteral("tclsh"), {runner});
    if (r.exitCode != 0)
        qWarning("tclsh: %s", qPrintable(r.err));
    return QString::fromStdString(readText(calls.toStdString()))
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

bool hasCall(const QStringList& calls, const QString& text) {
    for (const QString& c : calls)
        if (c.contains(text))
            return true;
    return false;
}

// RTL co-simulation's memory model in C: each m_axi port of the top function gets a memory
// of its own, filled from the testbench's array before the call; what the design writes
// goes back only through its write port (fm_out). The exported network is compiled with
// its top function renamed, and this stands in for it (docs/export.md, "Testbench").
const char* kPortMemories = R"CPP(
#include "network.h"
#include <vector>
void codesign_top_rtl(const word_t* fm_in, word_t* fm_out, const word_t* wts, int first_group,
                      int last_group);
void codesign_top(const word_t* fm_in, word_t* fm_out, const word_t* wts, int first_group,
                  int last_group) {
    std::vector<word_t> in(fm_in, fm_in + CS_FM_WORDS);
    std::vector<word_t> out(fm_out, fm_out + CS_FM_WORDS);
    std::vector<word_t> weights(wts, wts + CS_WEIGHT_WORDS);
    codesign_top_rtl(in.data(), out.data(), weights.data(), first_group, last_group);
    for (int i = 0; i < CS_FM_WORDS; i++)
        fm_out[i] = out[i];
}
)CPP";

// Builds the export's testbench against the port memories above and runs it.
QString simulateWithPortMemories(const QString& dir) {
    QDir(dir).mkpath(QStringLiteral("build-ports"));
    writeText(dir + QStringLiteral("/build-ports/ports.cpp"), kPortMemories);
    const QStringList flags{QStringLiteral("-O2"), QStringLiteral("-std=c++14"),
                            QStringLiteral("-Ihls"), QStringLiteral("-Ihls/ap_lite")};
    const Run net = runProgram(
        QStringLiteral("g++"),
        flags + QStringList{QStringLiteral("-Dcodesign_top=codesign_top_rtl"), QStringLiteral("-c"),
                            QStringLiteral("hls/network.cpp"), QStringLiteral("-o"),
                            QStringLiteral("build-ports/network.o")},
        dir);
    if (net.exitCode != 0)
        return QStringLiteral("network.cpp does not compile: ") + net.err;
    const Run tb =
        runProgram(QStringLiteral("g++"),
                   flags + QStringList{QStringLiteral("hls/testbench.cpp"),
                                       QStringLiteral("build-ports/ports.cpp"),
                                       QStringLiteral("build-ports/network.o"),
                                       QStringLiteral("-o"), QStringLiteral("build-ports/csim")},
                   dir);
    if (tb.exitCode != 0)
        return QStringLiteral("the testbench does not build against separate port memories: ") +
               tb.err;
    const Run run =
        runProgram(dir + QStringLiteral("/build-ports/csim"), {}, dir + QStringLiteral("/hls"));
    return run.out + run.err +
           (run.exitCode == 0 ? QString()
                              : QStringLiteral("\nexit status ") + QString::number(run.exitCode));
}

QString ultra96Project(const QString& dir) {
    std::string text = readText(sourcePath("examples/dac19-dnn-a.yaml"));
    text.replace(text.find("device: pynq-z1"), 15, "device: ultra96-v2");
    text.replace(text.find("  clock_mhz: 100\n"), 17, ""); // the board's default, 200 MHz
    return writeText(dir + QStringLiteral("/ultra96.yaml"), text);
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
private:
    QTemporaryDir tmp_;
    QString dnnA_; // one export of DNN-A shared by the checks of its files

    // Writes `text` as NAME.yaml, exports it and checks every layer bit-exact in C simulation.
    void verifySimulatesBitExact(const QString& name, const std::string& text) {
        const QString project = writeText(tmp_.filePath(name + QStringLiteral(".yaml")), text);
        const QString out = exportAndSimulate(project, tmp_.filePath(name));
        QVERIFY2(out.contains(QStringLiteral("PASS: ")) && !out.contains(QStringLiteral("FAIL")),
                 qPrintable(out.right(2000)));
    }

    // As verifySimulatesBitExact, for a design that must have `groups` channel-blocked
    // groups: their blocked loops are in network.cpp.
    void verifyBlocked(const QString& name, const std::string& text, int groups) {
        verifySimulatesBitExact(name, text);
        const QString source =
            QString::fromStdString(readText(inside(tmp_.filePath(name), "hls/network.cpp")));
        QCOMPARE(source.count(QStringLiteral("// input blocks")), groups);
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        dnnA_ = tmp_.filePath(QStringLiteral("dnn-a"));
        const Run r = runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml"),
                              QStringLiteral("--out"), dnnA_});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("exported dac19-dnn-a")));
        for (const char* f :
             {"README.md", "Makefile", "run_hls.tcl", "estimate.json", "hls/network.cpp",
              "hls/cs_units.h", "hls/cs_config.h", "hls/weights/ddr_image.bin",
              "hls/weights/weights.h", "hls/tb_data/layer_020.bin", "hls/ap_lite/ap_fixed.h",
              "vivado/block_design.tcl", "vivado/build_bitstream.tcl", "driver/codesign_driver.py",
              "model/dac19_dnn_a.yaml", "model/model.onnx", "model/model.py", "model/weights.bin"})
            QVERIFY2(QFileInfo::exists(dnnA_ + QLatin1Char('/') + QLatin1String(f)), f);
        const QString readme = QString::fromStdString(readText(inside(dnnA_, "README.md")));
        QVERIFY(readme.contains(QStringLiteral("| FPS |")));
        QVERIFY(readme.contains(QStringLiteral("seeded initial weights")));
    }

    // Issue 12, item 15: one file is called weights.bin (the float weights of model/; the
    // DDR image is hls/weights/ddr_image.bin, in the testbench, driver and README too), and
    // the README names the seed once.
    void oneFileCalledWeightsBinAndTheSeedOnce() {
        int named = 0;
        QDirIterator it(dnnA_, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            named += QFileInfo(it.next()).fileName() == QStringLiteral("weights.bin") ? 1 : 0;
        QCOMPARE(named, 1);
        for (const char* f : {"hls/testbench.cpp", "hls/weights/weights.h",
                              "driver/codesign_driver.py", "README.md"}) {
            const std::string text = readText(inside(dnnA_, f));
            QVERIFY2(text.find("ddr_image.bin") != std::string::npos, f);
            QVERIFY2(text.find("weights/weights.bin") == std::string::npos, f);
        }
        const QString readme = QString::fromStdString(readText(inside(dnnA_, "README.md")));
        QCOMPARE(readme.count(QStringLiteral("seed 1")), 1);
        QCOMPARE(readme.count(QStringLiteral("seeded")), 1);
    }

    // The acceptance test: every layer of the examples bit-exact in C simulation, at the
    // examples' full 160x360 input.
    void examplesSimulateBitExact_data() {
        QTest::addColumn<QString>("project");
        QTest::addColumn<int>("layers");
        QTest::newRow("dnn-a") << QStringLiteral("dac19-dnn-a.yaml") << 21;
        QTest::newRow("dnn-b") << QStringLiteral("dac19-dnn-b.yaml") << 21;
        QTest::newRow("dnn-c") << QStringLiteral("dac19-dnn-c.yaml") << 25;
        // channel blocks of 32 (docs/estimator.md, "Channel blocking"), 128x256 input
        QTest::newRow("channel-blocked-bottleneck")
            << QStringLiteral("channel-blocked-bottleneck.yaml") << 21;
    }
    void examplesSimulateBitExact() {
        QFETCH(QString, project);
        QFETCH(int, layers);
        QElapsedTimer t;
        t.start();
        const QString out = exportAndSimulate(example(project.toUtf8().constData()),
                                              tmp_.filePath(QStringLiteral("sim-") + project));
        const QString pass = QStringLiteral("PASS: %1 of %1 layer outputs bit-exact").arg(layers);
        QVERIFY2(out.contains(pass), qPrintable(out.right(2000)));
        qInfo("%s: export + g++ + C simulation in %.1f s", qPrintable(project),
              t.elapsed() / 1000.0);
    }

    // Random networks over the supported vocabulary (bundles, folded relu/relu6/bn, grouped
    // and depthwise convs, FuSe, pools, add, concat, reorg, upsample, fc, bbox_head), with
    // random formats, rounding and overflow modes, parallel factors and odd tiles.
    void randomNetworksSimulateBitExact_data() {
        QTest::addColumn<int>("seed");
        QTest::newRow("seed 3") << 3;
        QTest::newRow("seed 5") << 5;
        QTest::newRow("seed 11") << 11;
        QTest::newRow("seed 17") << 17;
    }
    void randomNetworksSimulateBitExact() {
        QFETCH(int, seed);
        NetworkDraw draw(static_cast<std::uint64_t>(seed));
        std::string text = draw.project(3, 24, 40);
        // About half the groups on tiles of their own (group_tiles), as auto sizing gives.
        Result<Project> parsed = parseProject(text, "random.yaml");
        QVERIFY(parsed.ok());
        Result<Graph> graph = buildGraph(*parsed);
        QVERIFY(graph.ok());
        std::string own;
        for (const ExecGroup& g : graph->groups)
            if (draw.chance(50))
                own += (own.empty() ? "" : ", ") + g.name + ": [" +
                       std::to_string(1 + draw.below(9)) + ", " +
                       std::to_string(1 + draw.below(13)) + "]";
        if (!own.empty())
            text.insert(text.rfind('}'), ", group_tiles: {" + own + "}");
        const QString project =
            writeText(tmp_.filePath(QStringLiteral("random-%1.yaml").arg(seed)), text);
        const QString out =
            exportAndSimulate(project, tmp_.filePath(QStringLiteral("random-%1").arg(seed)));
        QVERIFY2(out.contains(QStringLiteral("PASS: ")) && !out.contains(QStringLiteral("FAIL")),
                 qPrintable(QString::fromStdString(text) + out.right(2000)));
    }

    // Random networks (as above: formats, modes, factors, odd tiles) with channel blocks of
    // one or two pw_in: every layer bit-exact, and some groups blocked.
    void randomBlockedNetworksSimulateBitExact_data() {
        QTest::addColumn<int>("seed");
        for (int seed : {4, 7, 9, 13})
            QTest::newRow(("seed " + std::to_string(seed)).c_str()) << seed;
    }
    void randomBlockedNetworksSimulateBitExact() {
        QFETCH(int, seed);
        NetworkDraw draw(static_cast<std::uint64_t>(seed));
        const std::string text = draw.project(12, 24, 40, true);
        const QString name = QStringLiteral("random-blocked-%1").arg(seed);
        const QString project = writeText(tmp_.filePath(name + QStringLiteral(".yaml")), text);
        const QString out = exportAndSimulate(project, tmp_.filePath(name));
        QVERIFY2(out.contains(QStringLiteral("PASS: ")) && !out.contains(QStringLiteral("FAIL")),
                 qPrintable(QString::fromStdString(text) + out.right(2000)));
        const QString source =
            QString::fromStdString(readText(inside(tmp_.filePath(name), "hls/network.cpp")));
        QVERIFY2(source.contains(QStringLiteral("// input blocks")),
                 qPrintable(QString::fromStdString(text)));
    }

    // The DW unit's line buffer and window registers on the windows the random draws do not
    // reach: 5x5 and 2x2 kernels, strides 2 and 3, padding 0 and larger than K/2, FuSe with
    // padding 0 and K-1, on odd tiles and a DW unit with odd lanes.
    void lineBufferWindowsSimulateBitExact() {
        const std::string text =
            "name: windows\ndevice: pynq-z1\ninput: {channels: 6, height: 23, width: 19}\n"
            "precision: {weights: 8, activations: 8}\nnetwork:\n"
            "  - {op: dwconv, kernel: 5, stride: 2, padding: 3}\n"
            "  - {op: relu}\n"
            "  - {op: dwconv, kernel: 2, stride: 1, padding: 0}\n"
            "  - {op: fuse, kernel: 5, padding: 0, variant: full}\n"
            "  - {op: dwconv, kernel: 3, stride: 3, padding: 1}\n"
            "  - {op: fuse, kernel: 3, padding: 2, variant: half}\n"
            "  - {op: pwconv, channels: 5}\n"
            "accelerator: {arch: tiled, auto: false, pw_in: 3, pw_out: 4, dw_parallel: 3, "
            "tile: [3, 4]}\n";
        verifySimulatesBitExact(QStringLiteral("windows"), text);
    }

    // The counted positions (no dividers in the units' loops) on windows, factors and tile
    // edges the random draws rarely reach: PW-unit kernel taps (strided and grouped 3 x 3
    // convs), factor-3 upsample and reorg, overlapping and padded pools on tiles that cut
    // every window, and fc lanes stepping over rows (a 5-wide input) and over channels (a
    // 1 x 1 input narrower than the 4 lanes).
    void countedPositionsSimulateBitExact() {
        const std::string text =
            "name: positions\ndevice: pynq-z1\ninput: {channels: 4, height: 24, width: 36}\n"
            "precision: {weights: 8, activations: 8}\nnetwork:\n"
            "  - {op: conv, kernel: 3, stride: 2, channels: 8}\n"
            "  - {op: conv, kernel: 3, groups: 2, channels: 6}\n"
            "  - {op: maxpool, kernel: 3, stride: 2, padding: 1}\n"
            "  - {op: upsample, factor: 3}\n"
            "  - {op: avgpool, kernel: 3, stride: 3}\n"
            "  - {op: reorg, factor: 3}\n"
            "  - {op: upsample, factor: 2}\n"
            "  - {op: avgpool, kernel: 2, stride: 1}\n"
            "  - {op: pwconv, channels: 5}\n"
            "  - {op: fc, channels: 6}\n"
            "  - {op: upsample, factor: 2}\n"
            "  - {op: maxpool, kernel: 2}\n"
            "  - {op: fc, channels: 3}\n"
            "accelerator: {arch: tiled, auto: false, pw_in: 4, pw_out: 4, dw_parallel: 2, "
            "tile: [4, 5]}\n";
        verifySimulatesBitExact(QStringLiteral("positions"), text);
    }

    // Issue 15: biases about 30 times the weights, as batch-norm folding gives, in a format
    // of their own (the output's integer bits: fixed<10,6> beside fixed<10,0> weights) that
    // the units shift into the accumulator. Every layer bit-exact, through the PW unit
    // (conv, pwconv, fc) and the DW unit.
    void largeBiasesSimulateBitExact() {
        const std::string text =
            "name: large-bias\ndevice: pynq-z1\ninput: {channels: 3, height: 12, width: 16}\n"
            "precision: {weights: \"fixed<10,0>\", activations: \"fixed<12,6>\"}\n"
            "weights: large-bias.bin\nnetwork:\n"
            "  - {op: conv, kernel: 3, channels: 8}\n"
            "  - {op: relu}\n"
            "  - {op: dwconv, kernel: 3}\n"
            "  - {op: pwconv, channels: 6}\n"
            "  - {op: maxpool, kernel: 2}\n"
            "  - {op: fc, channels: 5}\n"
            "accelerator: {arch: tiled, auto: false, pw_in: 4, pw_out: 4, dw_parallel: 2, "
            "tile: [6, 8]}\n";
        Result<Project> parsed = parseProject(text, "large-bias.yaml");
        QVERIFY(parsed.ok());
        Result<Graph> graph = buildGraph(*parsed);
        QVERIFY(graph.ok());
        reference::WeightSet weights = reference::seededWeights(*graph, 21);
        for (reference::LayerWeights& l : weights.layers) {
            for (float& w : l.weights)
                w *= 0.3f; // seeded: within +-sqrt(6 / fan-in)
            for (float& b : l.bias)
                b *= 40; // seeded: within +-0.1
        }
        writeText(tmp_.filePath(QStringLiteral("large-bias.bin")),
                  reference::serializeWeightSet(weights));
        verifySimulatesBitExact(QStringLiteral("large-bias"), text);
    }

    // Issue 16, item 2: channel blocking (docs/export.md, "Channel blocking"). DW/PW
    // bundles whose prefix has a folded bn and relu6, a pool -> strided DW prefix, a
    // block (8) that leaves a short last block (20 and 28 input channels) and is not a
    // multiple of dw_parallel (3: lane blocks straddle the weight image's blocks), fc
    // and global pooling after; every layer bit-exact, also single-buffered.
    void channelBlockedBundlesSimulateBitExact() {
        const std::string text =
            "name: blocked-bundles\ndevice: pynq-z1\ninput: {channels: 3, height: 22, "
            "width: 30}\nprecision: {weights: 8, activations: 8}\n" +
            std::string(kBlockedBundles) +
            "network:\n"
            "  - {op: conv, kernel: 3, channels: 20}\n"
            "  - {bundle: dw_pw, channels: 28}\n"
            "  - {bundle: pool_dw_pw, channels: 16}\n"
            "  - {op: global_avgpool}\n"
            "  - {op: fc, channels: 6}\n"
            "accelerator: {arch: tiled, auto: false, pw_in: 4, pw_out: 8, dw_parallel: 3, "
            "tile: [5, 7], channel_block: 8";
        verifyBlocked(QStringLiteral("blocked-bundles"), text + "}\n", 2); // B1, B2
        QVERIFY(readText(inside(tmp_.filePath(QStringLiteral("blocked-bundles")), "README.md"))
                    .find("input channels in blocks of 8 (B1, B2)") != std::string::npos);
        verifySimulatesBitExact(QStringLiteral("blocked-bundles-single"),
                                text + ", double_buffer: false}\n");
    }

    // Plain conv groups blocked: 3x3 convs (one strided) over 22 and 12 input channels in
    // blocks of 8 (short last blocks of 6 and 4), a 1x1 conv over 30, on tiles that cut
    // the windows; and blocks of 12, which start inside a port word (8 channels).
    void channelBlockedConvSimulateBitExact() {
        const std::string text =
            "name: blocked-conv\ndevice: pynq-z1\ninput: {channels: 3, height: 24, width: 32}\n"
            "precision: {weights: 8, activations: 8}\nnetwork:\n"
            "  - {op: conv, kernel: 3, channels: 22}\n"
            "  - {op: relu}\n"
            "  - {op: conv, kernel: 3, stride: 2, channels: 12}\n"
            "  - {op: relu}\n"
            "  - {op: conv, kernel: 3, channels: 30}\n"
            "  - {op: maxpool, kernel: 2}\n"
            "  - {op: conv, kernel: 1, channels: 10}\n"
            "accelerator: {arch: tiled, auto: false, pw_in: 4, pw_out: 4, dw_parallel: 2, "
            "tile: [4, 6], channel_block: ";
        verifyBlocked(QStringLiteral("blocked-conv"), text + "8}\n", 3);
        verifyBlocked(QStringLiteral("blocked-conv-12"), text + "12}\n", 2); // not 12 over 12
    }

    // DNN-A at its full 160x360 input with blocks of 32 channels: the three later bundles
    // and the head's pwconv run blocked, every layer bit-exact.
    void dnnABlockedSimulatesBitExact() {
        std::string text = readText(sourcePath("examples/dac19-dnn-a.yaml"));
        text = text.substr(0, text.find("accelerator:")) +
               "accelerator: {arch: tiled, pw_in: 8, pw_out: 16, dw_parallel: 4, tile: [20, 45], "
               "channel_block: 32}\n";
        verifyBlocked(QStringLiteral("dnn-a-blocked"), text, 4);
    }

    // A channel_block no group can use (>= every reduction's input channels) exports the
    // unblocked design: the same network.cpp and cs_config.h, byte for byte.
    void unusedChannelBlockExportsTheUnblockedDesign() {
        const std::string text =
            "name: same\ndevice: pynq-z1\ninput: {channels: 3, height: 16, width: 20}\n"
            "precision: {weights: 8, activations: 8}\nnetwork:\n"
            "  - {op: conv, kernel: 3, channels: 16}\n"
            "  - {op: dwconv, kernel: 3}\n"
            "  - {op: pwconv, channels: 24}\n"
            "accelerator: {arch: tiled, auto: false, pw_in: 4, pw_out: 4, dw_parallel: 2, "
            "tile: [4, 6]";
        QString files[2];
        for (int k = 0; k < 2; ++k) {
            const QString name = QStringLiteral("same-%1").arg(k);
            const QString project = writeText(tmp_.filePath(name + QStringLiteral(".yaml")),
                                              text + (k ? ", channel_block: 16}\n" : "}\n"));
            const Run e = runCli(
                {QStringLiteral("export"), project, QStringLiteral("--out"), tmp_.filePath(name)});
            QVERIFY2(e.exitCode == 0, qPrintable(e.err));
            for (const char* f : {"hls/network.cpp", "hls/cs_config.h"})
                files[k] += QString::fromStdString(readText(inside(tmp_.filePath(name), f)));
        }
        QVERIFY(!files[0].isEmpty());
        QCOMPARE(files[1], files[0]);
        QVERIFY(!files[0].contains(QStringLiteral("input blocks")));
    }

    // Issue 12, item 14: RTL co-simulation gives each m_axi port its own memory. The
    // testbench must not rely on fm_in and fm_out aliasing: under the port memories (and
    // in plain C simulation) every layer stays bit-exact, on DNN-A and on a network whose
    // groups read the outputs of earlier groups through skips (add, concat).
    void testbenchGivesEachPortItsOwnMemory() {
        QString out = simulateWithPortMemories(dnnA_);
        QVERIFY2(out.contains(QStringLiteral("PASS: 21 of 21 layer outputs bit-exact")),
                 qPrintable(out.right(3000)));
        QVERIFY2(out.contains(QStringLiteral("5 groups")), qPrintable(out.left(500)));
        const std::string skips =
            "name: skips\ndevice: pynq-z1\ninput: {channels: 3, height: 24, width: 40}\n"
            "precision: {weights: 8, activations: 8}\nnetwork:\n"
            "  - {op: conv, channels: 8, id: a}\n"
            "  - {op: pwconv, channels: 8}\n"
            "  - {op: relu, id: r}\n"
            "  - {op: add, inputs: [a]}\n"
            "  - {op: maxpool, kernel: 2, id: p}\n"
            "  - {op: dwconv, kernel: 3}\n"
            "  - {op: concat, inputs: [p]}\n"
            "  - {op: upsample, factor: 2}\n"
            "  - {op: concat, inputs: [r]}\n"
            "  - {op: pwconv, channels: 10}\n"
            "  - {op: bbox_head, anchors: 2}\n"
            "accelerator: {arch: tiled, auto: false, pw_in: 4, pw_out: 4, dw_parallel: 2, "
            "tile: [5, 7]}\n";
        const QString project = writeText(tmp_.filePath(QStringLiteral("skips.yaml")), skips);
        const QString dir = tmp_.filePath(QStringLiteral("skips"));
        const QString csim = exportAndSimulate(project, dir);
        QVERIFY2(csim.contains(QStringLiteral("PASS: 11 of 11 layer outputs bit-exact")),
                 qPrintable(csim.right(3000)));
        out = simulateWithPortMemories(dir);
        QVERIFY2(out.contains(QStringLiteral("PASS: 11 of 11 layer outputs bit-exact")),
                 qPrintable(out.right(3000)));
    }

    // `make hls` and `make bitstream` rerun only when what they are made from changed.
    void makeRerunsTheVendorToolsOnlyWhenStale() {
        const QString dir = tmp_.filePath(QStringLiteral("make-deps"));
        QVERIFY(runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml"),
                        QStringLiteral("--out"), dir})
                    .exitCode == 0);
        auto dryRun = [&](const char* target) -> QString {
            const Run r = runProgram(QStringLiteral("make"),
                                     {QStringLiteral("-n"), QLatin1String(target)}, dir);
            return r.out + r.err;
        };
        const QString hls = QStringLiteral("vitis_hls -f run_hls.tcl");
        const QString vivado = QStringLiteral("vivado -mode batch");
        QVERIFY(dryRun("hls").contains(hls));
        QVERIFY(dryRun("bitstream").contains(hls));
        // What a run of each leaves, newer than the sources.
        QTest::qWait(1100); // file times of one second's resolution
        QDir(dir).mkpath(QStringLiteral("dac19_dnn_a_hls/solution1/impl/ip"));
        writeText(dir + QStringLiteral("/dac19_dnn_a_hls/solution1/impl/ip/component.xml"), "ip");
        QVERIFY2(!dryRun("hls").contains(hls), qPrintable(dryRun("hls")));
        QString bit = dryRun("bitstream");
        QVERIFY2(!bit.contains(hls) && bit.contains(vivado), qPrintable(bit));
        QTest::qWait(1100);
        QDir(dir).mkpath(QStringLiteral("overlay"));
        writeText(dir + QStringLiteral("/overlay/codesign.bit"), "bit");
        bit = dryRun("bitstream");
        QVERIFY2(!bit.contains(hls) && !bit.contains(vivado), qPrintable(bit));
        // A changed source makes both stale again.
        QTest::qWait(1100);
        writeText(dir + QStringLiteral("/hls/network.cpp"),
                  readText(inside(dir, "hls/network.cpp")) + "\n");
        bit = dryRun("bitstream");
        QVERIFY2(bit.contains(hls) && bit.contains(vivado), qPrintable(bit));
    }

    void hlsScriptNamesPartTopClockAndFiles_data() {
        QTest::addColumn<QString>("board");
        QTest::addColumn<QString>("part");
        QTest::addColumn<QString>("period");
        QTest::newRow("pynq-z1") << QStringLiteral("pynq-z1") << QStringLiteral("xc7z020clg400-1")
                                 << QStringLiteral("10.000");
        QTest::newRow("ultra96-v2")
            << QStringLiteral("ultra96-v2") << QStringLiteral("xczu3eg-sbva484-1-i")
            << QStringLiteral("5.000");
    }
    void hlsScriptNamesPartTopClockAndFiles() {
        QFETCH(QString, board);
        QFETCH(QString, part);
        QFETCH(QString, period);
        QString dir = dnnA_;
        if (board != QStringLiteral("pynq-z1")) {
            dir = tmp_.filePath(QStringLiteral("tcl-") + board);
            const Run r = runCli({QStringLiteral("export"), ultra96Project(tmp_.path()),
                                  QStringLiteral("--out"), dir});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        QStringList calls = runTcl(dir, QStringLiteral("run_hls.tcl"));
        const QString top = QString::fromLatin1(hls::kTopFunction);
        QVERIFY2(hasCall(calls, QStringLiteral("set_part ") + part),
                 qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(hasCall(calls, QStringLiteral("set_top ") + top));
        QVERIFY(hasCall(calls, QStringLiteral("create_clock -period ") + period));
        QVERIFY(hasCall(calls, QStringLiteral("add_files hls/network.cpp")));
        QVERIFY(hasCall(calls, QStringLiteral("add_files -tb hls/testbench.cpp")));
        QVERIFY(hasCall(calls, QStringLiteral("add_files -tb hls/tb_data")));
        QVERIFY(hasCall(calls, QStringLiteral("add_files -tb hls/weights")));
        QVERIFY(hasCall(calls, QStringLiteral("csim_design")));
        QVERIFY(hasCall(calls, QStringLiteral("csynth_design")));
        QVERIFY(hasCall(calls, QStringLiteral("export_design -format ip_catalog")));
        QVERIFY(!hasCall(calls, QStringLiteral("cosim_design")));
        QVERIFY(!hasCall(calls, QStringLiteral("ERROR")));
        // Co-simulation on request.
        calls = runTcl(dir, QStringLiteral("run_hls.tcl"), QStringLiteral("all"));
        QVERIFY(hasCall(calls, QStringLiteral("cosim_design")));

        // Vivado: block design with the board's processing system, then the bitstream.
        // The stubs implement nothing, so the test leaves the files a run would write.
        QDir(dir).mkpath(QStringLiteral("vivado_project/codesign_vivado.runs/impl_1"));
        QDir(dir).mkpath(
            QStringLiteral("vivado_project/codesign_vivado.gen/sources_1/bd/codesign/hw_handoff"));
        writeText(dir + QStringLiteral(
                            "/vivado_project/codesign_vivado.runs/impl_1/codesign_wrapper.bit"),
                  "bit");
        writeText(dir + QStringLiteral("/vivado_project/codesign_vivado.gen/sources_1/bd/codesign/"
                                       "hw_handoff/codesign.hwh"),
                  "hwh");
        calls = runTcl(dir, QStringLiteral("vivado/build_bitstream.tcl"));
        const bool mp = board == QStringLiteral("ultra96-v2");
        const QString mhz = mp ? QStringLiteral("200") : QStringLiteral("100");
        QVERIFY2(hasCall(calls, QStringLiteral(
                                    "create_project -force codesign_vivado vivado_project -part ") +
                                    part),
                 qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(hasCall(calls, mp ? QStringLiteral("xilinx.com:ip:zynq_ultra_ps_e:")
                                  : QStringLiteral("xilinx.com:ip:processing_system7:")));
        QVERIFY(hasCall(calls, (mp ? QStringLiteral("CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ ")
                                   : QStringLiteral("CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ ")) +
                                   mhz));
        QVERIFY(
            hasCall(calls, QStringLiteral("codesign.studio:hls:") + top + QStringLiteral(":1.0")));
        QVERIFY(hasCall(calls, QStringLiteral("_hls/solution1/impl/ip")));
        for (const char* master : {"m_axi_gmem0", "m_axi_gmem1", "m_axi_gmem2", "s_axi_control"})
            QVERIFY2(hasCall(calls, QLatin1String(master)), master);
        QVERIFY(hasCall(calls, QStringLiteral("validate_bd_design")));
        QVERIFY(hasCall(calls, QStringLiteral("launch_runs impl_1 -to_step write_bitstream")));
        QVERIFY2(!hasCall(calls, QStringLiteral("ERROR")),
                 qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/overlay/codesign.bit")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/overlay/codesign.hwh")));

        // The board's presets: its board files when installed (issue 12, item 14). Here
        // Vivado's catalog answers with nothing, then with a version of the board.
        const QString pattern = mp ? QStringLiteral("avnet.com:ultra96v2:part0:*")
                                   : QStringLiteral("www.digilentinc.com:pynq-z1:part0:*");
        QVERIFY2(hasCall(calls,
                         QStringLiteral("get_board_parts -quiet -latest_file_version ") + pattern),
                 qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(!hasCall(calls, QStringLiteral("set_property board_part")));
        QString installed = pattern;
        installed.replace(QStringLiteral("*"), QStringLiteral("1.2"));
        calls = runTcl(dir, QStringLiteral("vivado/build_bitstream.tcl"), {},
                       "proc get_board_parts {args} { return {" + installed.toStdString() + "} }");
        QVERIFY2(hasCall(calls, QStringLiteral("set_property board_part ") + installed),
                 qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(!hasCall(calls, QStringLiteral("ERROR")));
    }

    // Issue 12, item 8: --clock sets the clock the design is estimated and built at.
    void exportTakesTheClock() {
        const QString dir = tmp_.filePath(QStringLiteral("clock-125"));
        const Run r =
            runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml"), QStringLiteral("--out"),
                    dir, QStringLiteral("--clock"), QStringLiteral("125")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("pynq-z1, 125 MHz")), qPrintable(r.out));
        const QStringList calls = runTcl(dir, QStringLiteral("run_hls.tcl"));
        QVERIFY2(hasCall(calls, QStringLiteral("create_clock -period 8.000")),
                 qPrintable(calls.join(QLatin1Char('\n'))));
        QVERIFY(QString::fromStdString(readText(inside(dir, "README.md")))
                    .contains(QStringLiteral("**125 MHz**")));
        const Run bad = runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml"),
                                QStringLiteral("--out"), tmp_.filePath(QStringLiteral("clock-bad")),
                                QStringLiteral("--clock"), QStringLiteral("0")});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(!QFileInfo::exists(tmp_.filePath(QStringLiteral("clock-bad"))));
    }

    void onnxModelPassesTheChecker() {
        const std::string bytes = readText(inside(dnnA_, "model/model.onnx"));
        QVERIFY(bytes.size() > 1000);
        const Status s = hls::checkOnnx(bytes);
        QVERIFY2(s.ok(), s.ok() ? "" : s.error().message.c_str());
    }

    void pythonFilesCompile() {
        if (!QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
            QSKIP("/usr/bin/python3 is not installed");
        const Run r = runProgram(QStringLiteral("/usr/bin/python3"),
                                 {QStringLiteral("-m"), QStringLiteral("py_compile"),
                                  QStringLiteral("model/model.py"),
                                  QStringLiteral("driver/codesign_driver.py")},
                                 dnnA_);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void torchForwardPass() {
        if (!debianPythonHas("torch"))
            QSKIP("Debian's python3-torch is not importable by /usr/bin/python3 (apt-get install "
                  "python3-torch)");
        const Run r = runProgram(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import sys, torch\nsys.path.insert(0, 'model')\nimport model\n"
                            "net = model.build('model/weights.bin')\n"
                            "y = net(torch.rand(1, *model.INPUT_SHAPE))\n"
                            "print(tuple(y.shape))\n")},
            dnnA_);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), QStringLiteral("(1, 5, 1, 1)"));
    }

    // The driver's packing and bbox decode against the testbench's files (numpy only, no
    // board): the input round-trips, and decoding the last grid gives the golden box.
    void driverPacksAndDecodesLikeTheReference() {
        if (!debianPythonHas("numpy"))
            QSKIP("numpy is not importable by /usr/bin/python3 (apt-get install python3-numpy)");
        const Run r = runProgram(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
             QStringLiteral(
                 "import sys, numpy as np\nsys.path.insert(0, 'driver')\nimport codesign_driver as "
                 "d\n"
                 "name, op, shape, (w, f), off, _ = d.INPUT\n"
                 "raw = np.fromfile('hls/tb_data/input.bin', dtype=np.int8).reshape(shape)\n"
                 "buf = bytearray(d.FM_WORDS * d.PORT_BYTES)\n"
                 "d.pack_input(buf, raw / 2.0 ** f)\n"
                 "assert np.array_equal(d.tensor_view(bytes(buf), off, shape), raw << (d.ACT_FRAC "
                 "- f))\n"
                 "name, op, shape, (w, f), off, extra = d.LAYERS[d.OUTPUT]\n"
                 "src = d.LAYERS[extra['source']]\n"
                 "grid = np.fromfile('hls/tb_data/layer_%03d.bin' % extra['source'], "
                 "dtype=np.int8)\n"
                 "grid = grid.reshape(src[2]).astype(np.int64) << (d.ACT_FRAC - src[3][1])\n"
                 "box = d.bbox_decode(grid, extra['anchors'], w, f)\n"
                 "gold = np.fromfile('hls/tb_data/layer_%03d.bin' % d.OUTPUT, dtype=np.int8) / 2.0 "
                 "** f\n"
                 "assert np.array_equal(box, gold), (box, gold)\n"
                 "print('ok')\n")},
            dnnA_);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), QStringLiteral("ok"));
    }

    // bbox_head's choice on a tied map (core/reference/bbox_choice.h): the testbench's
    // cs_host::bbox_decode (compiled from DNN-A's export) and the driver's bbox_decode
    // give the reference's box, bit for bit, where the first-tied rule took another cell.
    void hostDecodesBreakTiesLikeTheReference() {
        bool ok = false;
        const Graph g = graphOrFail(parseOrFail(tiedBoxProject(), ok), ok);
        QVERIFY(ok);
        std::string maps, golds,
            program = "#include \"cs_host.h\"\n#include <cstdio>\n"
                      "int main() {\n    long long out[5];\n";
        for (const auto& tied : {tiedPlateau(), tiedScattered()}) {
            const reference::FixedTensor input = reference::quantizeInput(g, tiedBoxMap(tied));
            Result<std::vector<reference::FixedTensor>> outs =
                reference::runReference(g, reference::seededWeights(g, 1), input);
            QVERIFY(outs.ok());
            std::string raw, gold;
            for (long long v : input.raw)
                raw += std::to_string(v) + ",";
            for (long long v : outs->back().raw)
                gold += std::to_string(v) + " ";
            maps += "[" + raw + "],";
            golds += gold + "\n";
            // fixed<8,4> in and out, round, saturate
            program += "    cs_host::bbox_decode({" + raw +
                       "}, 5, 6, 2, 4, 8, 4, 0, 0, out);\n"
                       "    for (int k = 0; k < 5; k++) std::printf(\"%lld \", out[k]);\n"
                       "    std::printf(\"\\n\");\n";
        }
        program += "    return 0;\n}\n";
        const QString dir = tmp_.filePath(QStringLiteral("tied"));
        QDir().mkpath(dir);
        writeText(dir + QStringLiteral("/tied.cpp"), program);
        const Run build = runProgram(
            QStringLiteral("g++"),
            {QStringLiteral("-std=c++14"), QStringLiteral("-Wall"), QStringLiteral("-Wextra"),
             QStringLiteral("-Werror"), QStringLiteral("-I") + dnnA_ + QStringLiteral("/hls"),
             QStringLiteral("tied.cpp"), QStringLiteral("-o"), QStringLiteral("tied")},
            dir);
        QVERIFY2(build.exitCode == 0, qPrintable(build.err));
        const Run c = runProgram(dir + QStringLiteral("/tied"), {}, dir);
        QCOMPARE(c.out, QString::fromStdString(golds));
        if (!debianPythonHas("numpy"))
            QSKIP("numpy is not importable by /usr/bin/python3 (apt-get install python3-numpy)");
        const Run py = runProgram(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
             QString::fromStdString(
                 "import sys, numpy as np\nsys.path.insert(0, 'driver')\n"
                 "import codesign_driver as d\n"
                 "for m in [" +
                 maps +
                 "]:\n"
                 "    raw = np.array(m, dtype=np.int64).reshape(10, 5, 6) << (d.ACT_FRAC - 4)\n"
                 "    box = d.bbox_decode(raw, 2, 8, 4) * 16\n"
                 "    print(' '.join('%d' % v for v in box) + ' ')\n")},
            dnnA_);
        QVERIFY2(py.exitCode == 0, qPrintable(py.err));
        QCOMPARE(py.out, QString::fromStdString(golds));
    }

    // model/model.py's BboxHead breaks ties as the reference does (the entry w and h name).
    void torchBboxHeadBreaksTiesAtTheCentroid() {
        if (!debianPythonHas("torch"))
            QSKIP("Debian's python3-torch is not importable by /usr/bin/python3");
        std::string maps;
        for (const auto& tied : {tiedPlateau(), tiedScattered()}) {
            maps += "[";
            for (double v : tiedBoxMap(tied))
                maps += std::to_string(v) + ",";
            maps += "],";
        }
        const Run r = runProgram(
            QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
             QString::fromStdString("import sys, torch\nsys.path.insert(0, 'model')\nimport model\n"
                                    "x = torch.tensor([" +
                                    maps +
                                    "]).view(2, 10, 5, 6)\n"
                                    "for b in model.BboxHead(2)(x).view(2, 5):\n"
                                    "    cell = int(b[2] * 16 + 0.5)\n"
                                    "    print(cell // 6, cell % 6, int(b[3] * 16 + 0.5))\n")},
            dnnA_);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out, QStringLiteral("2 3 0\n2 4 0\n")); // first tied: 1 2 0, 0 4 1
    }

    void nonEmptyFolderIsRefusedAndUntouched() {
        const QString dir = tmp_.filePath(QStringLiteral("occupied"));
        QDir().mkpath(dir);
        writeText(dir + QStringLiteral("/keep.txt"), "mine");
        const Run r = runCli(
            {QStringLiteral("export"), example("dac19-dnn-a.yaml"), QStringLiteral("--out"), dir});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("codesign: ")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("is not empty")));
        QVERIFY(r.err.contains(QStringLiteral("--force")));
        QCOMPARE(QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("keep.txt")});
        QCOMPARE(readText(inside(dir, "keep.txt")), std::string("mine"));
        for (const QString& e : QDir(tmp_.path()).entryList(QDir::AllEntries | QDir::Hidden))
            QVERIFY2(!e.contains(QStringLiteral(".partial-")), qPrintable(e));

        const Run forced = runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml"),
                                   QStringLiteral("--out"), dir, QStringLiteral("--force")});
        QCOMPARE(forced.exitCode, 0);
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/keep.txt")));
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/README.md")));
    }

    void killedExportLeavesNoFolder() {
        const QString dir = tmp_.filePath(QStringLiteral("killed"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CODESIGN_TEST_EXPORT_PAUSE_MS"), QStringLiteral("60000"));
        p.setProcessEnvironment(env);
        p.start(
            QStringLiteral(CODESIGN_CLI),
            {QStringLiteral("export"), example("dac19-dnn-a.yaml"), QStringLiteral("--out"), dir});
        QVERIFY(p.waitForStarted());
        // Wait until the export is inside its temporary folder, then kill it there.
        const auto partials = [&] {
            return QDir(tmp_.path())
                .entryList({QStringLiteral(".killed.partial-*")}, QDir::AllEntries | QDir::Hidden);
        };
        QElapsedTimer t;
        t.start();
        while (partials().isEmpty() && t.elapsed() < 30000)
            QTest::qWait(50);
        QVERIFY(!partials().isEmpty());
        p.kill(); // SIGKILL: no cleanup runs
        QVERIFY(p.waitForFinished());
        QVERIFY(!QFileInfo::exists(dir));
        // The next export to the same folder succeeds and clears the leftover.
        const Run r = runCli(
            {QStringLiteral("export"), example("dac19-dnn-a.yaml"), QStringLiteral("--out"), dir});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFileInfo::exists(dir + QStringLiteral("/hls/network.cpp")));
        QVERIFY(partials().isEmpty());
    }

    void badInputExitsWithTwoAndTheLocation() {
        const QString bad = QString::fromStdString(dataPath("bad/unknown-op.yaml"));
        const QString dir = tmp_.filePath(QStringLiteral("bad"));
        Run r = runCli({QStringLiteral("export"), bad, QStringLiteral("--out"), dir});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(QRegularExpression(QStringLiteral("^codesign: .*unknown-op\\.yaml:\\d+:\\d+: "))
                     .match(r.err)
                     .hasMatch(),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir));

        r = runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("--out")));

        // A precision the 64-bit accumulators cannot hold names the layer; nothing is written.
        std::string text = readText(sourcePath("examples/dac19-dnn-a.yaml"));
        text.replace(text.find("precision: {weights: 16, activations: 8}"), 40,
                     "precision: {weights: 32, activations: 32}");
        const QString wide = writeText(tmp_.filePath(QStringLiteral("wide.yaml")), text);
        r = runCli({QStringLiteral("export"), wide, QStringLiteral("--out"), dir});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("wide.yaml:")) &&
                     r.err.contains(QStringLiteral("layer '")),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir));
    }

    void candidateNeedsAnArchive() {
        const QString dir = tmp_.filePath(QStringLiteral("candidate"));
        const QString archive = tmp_.filePath(QStringLiteral("no-archive"));
        QDir().mkpath(archive);
        Run r = runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml"),
                        QStringLiteral("--out"), dir, QStringLiteral("--candidate"),
                        QStringLiteral("7"), QStringLiteral("--from"), archive});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("holds no search archive")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("archive.csv")));
        QVERIFY(!QFileInfo::exists(dir));
        r = runCli({QStringLiteral("export"), example("dac19-dnn-a.yaml"), QStringLiteral("--out"),
                    dir, QStringLiteral("--candidate"), QStringLiteral("7")});
        QCOMPARE(r.exitCode, 2);
    }

    // A design of a real search's front exports with the accelerator it was estimated with;
    // an id that is not on the front is refused with the front's ids.
    void candidateFromSearchArchive() {
        const QString archive = tmp_.filePath(QStringLiteral("search"));
        // A copy: the search opens a QoR cache beside its project, not in the source tree.
        const QString project = tmp_.filePath(QStringLiteral("dac-sdc-explore.yaml"));
        QFile::remove(project);
        QVERIFY(QFile::copy(example("dac-sdc-explore.yaml"), project));
        Run r = runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                        QStringLiteral("benchmark"), QStringLiteral("--budget"),
                        QStringLiteral("40"), QStringLiteral("--out"), archive});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList front =
            QDir(archive + QStringLiteral("/designs")).entryList({QStringLiteral("*.yaml")});
        QVERIFY(!front.isEmpty());
        const QString id = QFileInfo(front.front()).completeBaseName();
        const QString out = tmp_.filePath(QStringLiteral("candidate-") + id);
        r = runCli({QStringLiteral("export"), project, QStringLiteral("--out"), out,
                    QStringLiteral("--candidate"), id, QStringLiteral("--from"), archive});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("-design-") + id));
        QVERIFY(QFileInfo::exists(out + QStringLiteral("/hls/cs_config.h")));

        int missing = 0;
        while (front.contains(QString::number(missing) + QStringLiteral(".yaml")))
            ++missing;
        r = runCli({QStringLiteral("export"), project, QStringLiteral("--out"),
                    tmp_.filePath(QStringLiteral("not-on-front")), QStringLiteral("--candidate"),
                    QString::number(missing), QStringLiteral("--from"), archive});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("not a design on the Pareto front")) &&
                     r.err.contains(id),
                 qPrintable(r.err));
    }

    // Weights the QoR cache holds for the design (the torch evaluator's) are the ones
    // exported; a cached file that is unreadable stops the export.
    void trainedWeightsFromTheQorCache() {
        const QString project = tmp_.filePath(QStringLiteral("trained.yaml"));
        QFile::remove(project);
        QVERIFY(QFile::copy(example("dac19-dnn-a.yaml"), project));
        Result<Project> loaded = loadProjectFile(project.toStdString());
        QVERIFY(loaded.ok());
        Result<Graph> graph = buildGraph(*loaded);
        QVERIFY(graph.ok());
        reference::WeightSet weights = reference::seededWeights(*graph, 77);
        weights.origin = "trained";
        const std::string bytes = reference::serializeWeightSet(weights);
        const QString weightsFile = tmp_.filePath(QStringLiteral("trained-weights.bin"));
        writeText(weightsFile, bytes);
        const std::string dataDir = projectDataDir(project.toStdString());
        Result<std::shared_ptr<QorCache>> cache = QorCache::open(dataDir + "/qor-cache.csv");
        QVERIFY(cache.ok());
        QorRecord record;
        record.hash = designHash(*graph);
        record.value.qor = 0.5;
        record.value.source = "torch";
        record.value.weightsPath = weightsFile.toStdString();
        record.features = designFeatures(*graph);
        QVERIFY((*cache)->store(record).ok());

        const QString out = tmp_.filePath(QStringLiteral("trained-export"));
        Run r = runCli({QStringLiteral("export"), project, QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("weights: trained")), qPrintable(r.out));
        QFile exported(out + QStringLiteral("/model/weights.bin"));
        QVERIFY(exported.open(QIODevice::ReadOnly));
        QCOMPARE(exported.readAll(), QByteArray(bytes.data(), qsizetype(bytes.size())));

        QVERIFY(QFile::remove(weightsFile));
        const QString out2 = tmp_.filePath(QStringLiteral("trained-export-2"));
        r = runCli({QStringLiteral("export"), project, QStringLiteral("--out"), out2});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("trained-weights.bin")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out2));
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "test_export.moc"
