// The codesign binary as a user runs it: output, JSON keys and exit status.
#include "process_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>

using namespace codesign::testing;

namespace {

Run runCli(const QStringList& args) {
    return runProgram(QStringLiteral(CODESIGN_CLI), args, {}, 120000);
}

QString example(const char* name) {
    return QString::fromStdString(sourcePath(std::string("examples/") + name));
}

// An example with `edit` replaced by `with`, written into `dir`.
QString editedExample(const QTemporaryDir& dir, const char* name, const std::string& edit,
                      const std::string& with) {
    std::string text = readText(sourcePath(std::string("examples/") + name));
    const auto at = text.find(edit);
    if (at == std::string::npos)
        qFatal("edit target not found: %s", edit.c_str());
    text.replace(at, edit.size(), with);
    const QString path = dir.filePath(QString::fromLatin1(name));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(text.data(), qint64(text.size()));
    return path;
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void devicesTable() {
        const Run r = runCli({QStringLiteral("devices")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("pynq-z1")));
        QVERIFY(r.out.contains(QStringLiteral("xczu9eg")));
    }

    void devicesJson() {
        const Run r = runCli({QStringLiteral("devices"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonArray devices = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QVERIFY(devices.size() >= 6);
        bool found = false;
        for (const auto& d : devices)
            if (d[QStringLiteral("name")] == QStringLiteral("zc706")) {
                found = true;
                QCOMPARE(d[QStringLiteral("dsp")].toInt(), 900);
            }
        QVERIFY(found);
    }

    void estimateJsonHasTheDocumentedKeys() {
        const Run r = runCli(
            {QStringLiteral("estimate"), example("dac19-dnn-a.yaml"), QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.err.isEmpty());
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        for (const char* key :
             {"fps", "latency_ms", "power_w", "macs", "params", "resources", "device", "feasible",
              "violations", "bottleneck", "accelerator", "layers"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        for (const char* key : {"dsp", "bram18", "lut", "ff"}) {
            QVERIFY(o[QStringLiteral("resources")].toObject().contains(QLatin1String(key)));
            QVERIFY(o[QStringLiteral("device")].toObject().contains(QLatin1String(key)));
        }
        QCOMPARE(o[QStringLiteral("device")][QStringLiteral("name")].toString(),
                 QStringLiteral("pynq-z1"));
        QVERIFY(o[QStringLiteral("fps")].toDouble() > 0);
        QVERIFY(o[QStringLiteral("feasible")].toBool());
        const QJsonArray layers = o[QStringLiteral("layers")].toArray();
        QCOMPARE(layers.size(), 21);
        for (const char* key : {"name", "op", "out_shape", "macs", "cycles", "dsp", "bram18"})
            QVERIFY2(layers[0].toObject().contains(QLatin1String(key)), key);
        QCOMPARE(layers[2][QStringLiteral("out_shape")].toString(), QStringLiteral("48x160x360"));
        const QJsonObject acc = o[QStringLiteral("accelerator")].toObject();
        QCOMPARE(acc[QStringLiteral("arch")].toString(), QStringLiteral("tiled"));
        QVERIFY(acc[QStringLiteral("auto")].toBool());
        QVERIFY(acc[QStringLiteral("pw_in")].toInt() >= 1);
        QCOMPARE(acc[QStringLiteral("tile")].toArray().size(), 2);
    }

    // A streaming project's JSON: the partitions and the per-layer folding, squeeze layers
    // as layers of op `squeeze`, and a latency that includes the reconfigurations.
    void streamingEstimateJson_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("partitions");
        QTest::newRow("lenet") << example("streaming-lenet.yaml") << 1;
        QTest::newRow("vgg") << example("streaming-vgg-zc706.yaml") << 0; // auto: any count
    }
    void streamingEstimateJson() {
        QFETCH(QString, file);
        QFETCH(int, partitions);
        const Run r = runCli({QStringLiteral("estimate"), file, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o[QStringLiteral("accelerator")][QStringLiteral("arch")].toString(),
                 QStringLiteral("streaming"));
        const QJsonArray parts = o[QStringLiteral("partitions")].toArray();
        QVERIFY(!parts.isEmpty());
        if (partitions > 0)
            QCOMPARE(parts.size(), partitions);
        double cycles = 0;
        for (const auto& p : parts) {
            for (const char* key :
                 {"layers", "interval_cycles", "pipeline_depth_cycles", "cycles",
                  "weights_reloading", "dsp", "bram18", "lut", "ff", "bandwidth_gbps"})
                QVERIFY2(p.toObject().contains(QLatin1String(key)), key);
            QVERIFY(!p[QStringLiteral("layers")].toArray().isEmpty());
            cycles += p[QStringLiteral("cycles")].toDouble();
        }
        const double clock =
            o[QStringLiteral("accelerator")][QStringLiteral("clock_mhz")].toDouble();
        const double computeMs = cycles / (clock * 1e3);
        const double reconfigMs = o[QStringLiteral("reconfiguration_ms")].toDouble();
        QCOMPARE(reconfigMs > 0, parts.size() > 1);
        QVERIFY(std::abs(o[QStringLiteral("latency_ms")].toDouble() - (computeMs + reconfigMs)) <
                1e-6 * (computeMs + reconfigMs));
        const QJsonArray layers = o[QStringLiteral("layers")].toArray();
        int squeezes = 0;
        for (const auto& l : layers) {
            for (const char* key :
                 {"name", "op", "interval_cycles", "pipeline_depth_cycles", "coarse_in",
                  "coarse_out", "fine", "dsp", "bram18", "lut", "ff"})
                QVERIFY2(l.toObject().contains(QLatin1String(key)), key);
            squeezes += l[QStringLiteral("op")].toString() == QStringLiteral("squeeze");
        }
        QVERIFY(squeezes > 0);
        const Run text = runCli({QStringLiteral("estimate"), file});
        QCOMPARE(text.exitCode, 0);
        for (const char* s : {"streaming dataflow accelerator", "-- P1: interval", "squeeze",
                              "reconfigure", "feasible     yes"})
            QVERIFY2(text.out.contains(QLatin1String(s)), s);
    }

    // No export backend for streaming designs: the CLI says why, names the file, writes nothing.
    void exportOfAStreamingDesignSaysWhy() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        const QString file = example("streaming-lenet.yaml");
        const Run r = runCli({QStringLiteral("export"), file, QStringLiteral("--out"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("codesign: ") + file + QLatin1Char(':')),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("a streaming design has no export backend")),
                 qPrintable(r.err));
        QVERIFY(!QDir(out).exists());
    }

    void deviceOverride() {
        const Run r = runCli({QStringLiteral("estimate"), example("dac19-dnn-a.yaml"),
                              QStringLiteral("--json"), QStringLiteral("--device"),
                              QStringLiteral("ultra96-v2")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o[QStringLiteral("device")][QStringLiteral("name")].toString(),
                 QStringLiteral("ultra96-v2"));
        QCOMPARE(o[QStringLiteral("device")][QStringLiteral("dsp")].toInt(), 360);
    }

    // Issue 12, item 8: a project's clock_mhz is for its own device. --device runs another
    // device at its default clock and says so on stderr; --clock pins a clock anywhere.
    void deviceOverrideUsesTheDevicesClock() {
        auto clockOf = [](const Run& r) {
            return QJsonDocument::fromJson(r.out.toUtf8())
                .object()[QStringLiteral("accelerator")][QStringLiteral("clock_mhz")]
                .toDouble();
        };
        const QString c = example("dac19-dnn-c.yaml"); // clock_mhz: 100, pynq-z1
        const QString json = QStringLiteral("--json");
        const Run kv = runCli({QStringLiteral("estimate"), c, json, QStringLiteral("--device"),
                               QStringLiteral("kv260")});
        QCOMPARE(kv.exitCode, 0);
        QCOMPARE(clockOf(kv), 200.0);
        const QStringList note = kv.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(note.size(), 1);
        QVERIFY2(note.front().startsWith(QStringLiteral("codesign: note: on kv260 at its default "
                                                        "clock, 200 MHz: the project's clock_mhz "
                                                        "100 is for pynq-z1")),
                 qPrintable(kv.err));
        const Run own = runCli({QStringLiteral("estimate"), c, json, QStringLiteral("--device"),
                                QStringLiteral("pynq-z1")});
        QCOMPARE(clockOf(own), 100.0);
        QVERIFY(own.err.isEmpty());
        const Run pinned = runCli({QStringLiteral("estimate"), c, json, QStringLiteral("--device"),
                                   QStringLiteral("kv260"), QStringLiteral("--clock=150")});
        QCOMPARE(clockOf(pinned), 150.0);
        QVERIFY(pinned.err.isEmpty());
        QCOMPARE(clockOf(runCli({QStringLiteral("estimate"), c, json, QStringLiteral("--clock"),
                                 QStringLiteral("125.5")})),
                 125.5);
        for (const char* bad : {"0", "-5", "fast", "2001"}) {
            const Run r = runCli(
                {QStringLiteral("estimate"), c, QStringLiteral("--clock"), QLatin1String(bad)});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("--clock must be")), qPrintable(r.err));
        }
    }

    // The search and the bundle exploration take --clock too.
    void exploreAndBundlesTakeTheClock() {
        QTemporaryDir dir;
        const Run e = runCli(
            {QStringLiteral("explore"), example("dac-sdc-explore.yaml"), QStringLiteral("--qor"),
             QStringLiteral("benchmark"), QStringLiteral("--budget"), QStringLiteral("3"),
             QStringLiteral("--clock"), QStringLiteral("150"), QStringLiteral("--out"),
             dir.filePath(QStringLiteral("x")), QStringLiteral("--json")});
        QCOMPARE(e.exitCode, 0);
        const QJsonObject best =
            QJsonDocument::fromJson(e.out.toUtf8()).object()[QStringLiteral("best")].toObject();
        QCOMPARE(best[QStringLiteral("config")][QStringLiteral("accelerator")]
                     [QStringLiteral("clock_mhz")]
                         .toDouble(),
                 150.0);
        auto bundleFps = [](const QStringList& extra) {
            QStringList args{QStringLiteral("bundles"),      example("dac19-dnn-a.yaml"),
                             QStringLiteral("--qor"),        QStringLiteral("benchmark"),
                             QStringLiteral("--max-length"), QStringLiteral("1"),
                             QStringLiteral("--all"),        QStringLiteral("--json")};
            const Run r = runCli(args + extra);
            if (r.exitCode != 0)
                qFatal("bundles: %s", qPrintable(r.err));
            return QJsonDocument::fromJson(r.out.toUtf8())
                .array()[0][QStringLiteral("fps")]
                .toDouble();
        };
        const double at100 = bundleFps({});
        const double at200 = bundleFps({QStringLiteral("--clock"), QStringLiteral("200")});
        QVERIFY2(at200 > 1.5 * at100, qPrintable(QString::number(at200 / at100)));
    }

    // Issue 12, item 11: fixed factors under auto: true are named in one note on stderr;
    // the estimate runs (exit 0) with the auto-sized design.
    void fixedFieldsUnderAutoGiveANote() {
        QTemporaryDir dir;
        const QString file =
            editedExample(dir, "dac19-dnn-a.yaml", "  auto: true\n", "  auto: true\n  pw_in: 64\n");
        const Run r = runCli({QStringLiteral("estimate"), file, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.front().startsWith(QStringLiteral("codesign: note: ") + file +
                                          QStringLiteral(":29:")),
                 qPrintable(r.err));
        QVERIFY2(lines.front().contains(QStringLiteral("pw_in: 64 is ignored")), qPrintable(r.err));
        const QJsonObject acc = QJsonDocument::fromJson(r.out.toUtf8())
                                    .object()[QStringLiteral("accelerator")]
                                    .toObject();
        QVERIFY(acc[QStringLiteral("auto")].toBool());
        QVERIFY(acc[QStringLiteral("pw_in")].toInt() != 64);
    }

    // Issue 12, item 6: two 12-bit layers widen the shared activation storage; the JSON and
    // the table say which format is in use and which layers forced it.
    void estimateNamesTheLayersThatWidenTheStorage() {
        QTemporaryDir dir;
        const QString wide =
            editedExample(dir, "dac19-dnn-a.yaml", "precision: {weights: 16, activations: 8}",
                          "precision:\n  weights: 16\n  activations: 8\n  layers:\n"
                          "    B1.dwconv: {activations: 12}\n    L5.pwconv: {activations: 12}\n");
        const Run r = runCli({QStringLiteral("estimate"), wide, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject f =
            QJsonDocument::fromJson(r.out.toUtf8()).object()[QStringLiteral("formats")].toObject();
        QCOMPARE(f[QStringLiteral("activation_storage")].toString(), QStringLiteral("fixed<12,6>"));
        QCOMPARE(f[QStringLiteral("activation_ddr_bits")].toInt(), 16);
        QCOMPARE(f[QStringLiteral("activation_forced_by")].toArray(),
                 (QJsonArray{QStringLiteral("B1.dwconv"), QStringLiteral("L5.pwconv")}));
        QCOMPARE(f[QStringLiteral("weight_storage")].toString(), QStringLiteral("fixed<16,2>"));
        QCOMPARE(f[QStringLiteral("weight_forced_by")].toArray(), QJsonArray{});
        const Run t = runCli({QStringLiteral("estimate"), wide});
        QCOMPARE(t.exitCode, 0);
        QVERIFY2(t.out.contains(QStringLiteral("formats      activations fixed<12,6> for every "
                                               "layer (the project's fixed<8,4>, widened by "
                                               "B1.dwconv, L5.pwconv")),
                 qPrintable(t.out));
        const Run plain = runCli({QStringLiteral("estimate"), example("dac19-dnn-a.yaml")});
        QVERIFY2(plain.out.contains(
                     QStringLiteral("formats      activations fixed<8,4>, weights fixed<16,2>\n")),
                 qPrintable(plain.out));
    }

    void estimateTable() {
        const Run r = runCli({QStringLiteral("estimate"), example("dac19-dnn-c.yaml")});
        QCOMPARE(r.exitCode, 0);
        for (const char* s :
             {"FPS", "latency", "power", "BRAM18", "bottleneck", "B5.pwconv", "feasible     yes"})
            QVERIFY2(r.out.contains(QLatin1String(s)), s);
    }

    // Every fixture in tests/data/bad: exit 2 and exactly one line on stderr that names
    // the file and the position.
    void badInputExitsWithTwo_data() {
        QTest::addColumn<QString>("file");
        const QDir dir(QString::fromStdString(dataPath("bad")));
        const QStringList files = dir.entryList({QStringLiteral("*.yaml")}, QDir::Files);
        QVERIFY(files.size() >= 20);
        for (const QString& f : files)
            QTest::newRow(f.toUtf8().constData()) << dir.filePath(f);
    }
    void badInputExitsWithTwo() {
        QFETCH(QString, file);
        const std::string text = readText(file.toStdString());
        const auto e = text.find("# expect: ");
        const QString expect =
            QString::fromStdString(text.substr(e + 10, text.find('\n', e) - e - 10));
        const int line = std::stoi(text.substr(text.find("# expect-line: ") + 15));
        const Run r = runCli({QStringLiteral("estimate"), file});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty());
        const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        QString prefix = QStringLiteral("codesign: ") + file + QLatin1Char(':');
        if (line > 0)
            prefix += QString::number(line) + QLatin1Char(':');
        QVERIFY2(lines.front().startsWith(prefix), qPrintable(lines.front()));
        QVERIFY2(lines.front().contains(expect), qPrintable(lines.front()));
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expect");
        const QString a = example("dac19-dnn-a.yaml");
        QTest::newRow("no command") << QStringList{} << QStringLiteral("usage");
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("estimat")} << QStringLiteral("unknown command");
        QTest::newRow("no project")
            << QStringList{QStringLiteral("estimate")} << QStringLiteral("exactly one project");
        QTest::newRow("missing file")
            << QStringList{QStringLiteral("estimate"), QStringLiteral("/nonexistent.yaml")}
            << QStringLiteral("cannot open");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("estimate"), a, QStringLiteral("--jsn")}
            << QStringLiteral("unknown option '--jsn'");
        QTest::newRow("unknown device")
            << QStringList{QStringLiteral("estimate"), a, QStringLiteral("--device"),
                           QStringLiteral("pynq")}
            << QStringLiteral("--device: unknown device 'pynq'");
        QTest::newRow("option without value")
            << QStringList{QStringLiteral("estimate"), a, QStringLiteral("--device")}
            << QStringLiteral("needs a value");
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, expect);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(expect), qPrintable(r.err));
    }

    void helpAndVersion() {
        QCOMPARE(runCli({QStringLiteral("--help")}).exitCode, 0);
        QCOMPARE(runCli({QStringLiteral("estimate"), QStringLiteral("--help")}).exitCode, 0);
        const Run v = runCli({QStringLiteral("--version")});
        QCOMPARE(v.exitCode, 0);
        QVERIFY(v.out.startsWith(QStringLiteral("codesign ")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
