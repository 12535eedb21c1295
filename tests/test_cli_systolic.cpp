// The systolic family and the family comparison from the command line, as a user runs them:
// `codesign estimate` (text and --json) of the MobileNet-V1 examples, `export` refusing with
// the reason, `transform` on a systolic project, and `codesign compare`.
#include "core/estimate/family_compare.h"
#include "core/util/atomic_file.h"
#include "process_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace codesign;
using namespace codesign::testing;

namespace {

Run cli(const QStringList& args) {
    return runProgram(QStringLiteral(CODESIGN_CLI), args, {}, 120000);
}

QString example(const char* name) {
    return QString::fromStdString(sourcePath(std::string("examples/") + name));
}

QJsonObject jsonOf(const Run& r) {
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(r.out.left(200)));
    return o;
}

QStringList registeredFamilies() {
    QStringList names;
    for (const std::string& n : familyNames())
        names << QString::fromStdString(n);
    return names;
}

} // namespace

class TestCliSystolic : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void estimateJsonHasTheSystolicKeys() {
        for (const char* name : {"mobilenet-v1-systolic.yaml", "mobilenet-v1-fuse.yaml"}) {
            const Run r =
                cli({QStringLiteral("estimate"), example(name), QStringLiteral("--json")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
            const QJsonObject o = jsonOf(r);
            for (const char* key : {"fps", "latency_ms", "power_w", "resources", "device",
                                    "bottleneck", "accelerator", "array", "layers"})
                QVERIFY2(o.contains(QLatin1String(key)), key);
            const QJsonObject acc = o[QStringLiteral("accelerator")].toObject();
            QCOMPARE(acc[QStringLiteral("arch")].toString(), QStringLiteral("systolic"));
            QCOMPARE(acc[QStringLiteral("rows")].toInt(), 64);
            QCOMPARE(acc[QStringLiteral("auto")].toBool(), false);
            const QJsonArray layers = o[QStringLiteral("layers")].toArray();
            QCOMPARE(layers.size(), 83); // every node of MobileNet-V1
            bool sawArray = false;
            for (const auto& v : layers) {
                const QJsonObject l = v.toObject();
                for (const char* key : {"name", "op", "unit", "gemm", "folds", "compute_cycles",
                                        "stall_cycles", "mapping_efficiency", "utilization",
                                        "sram_reads", "sram_writes", "dram_bytes"})
                    QVERIFY2(l.contains(QLatin1String(key)), key);
                if (l[QStringLiteral("name")].toString() == QStringLiteral("B2.pwconv")) {
                    sawArray = true;
                    const QJsonObject g = l[QStringLiteral("gemm")].toObject();
                    QCOMPARE(g[QStringLiteral("sr")].toInt(), 64);  // WS: window = Cin
                    QCOMPARE(g[QStringLiteral("sc")].toInt(), 128); // filters
                    QCOMPARE(g[QStringLiteral("t")].toInt(), 56 * 56);
                    QCOMPARE(l[QStringLiteral("folds")].toInt(), 2);
                }
            }
            QVERIFY(sawArray);
        }
    }

    // SCALE-Sim's golden as a user checks it: codesign estimate of the committed project.
    void scaleSimGoldenFromTheCommandLine() {
        const QString project =
            QString::fromStdString(sourcePath("tests/data/scalesim-golden.yaml"));
        const Run r = cli({QStringLiteral("estimate"), project, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject l = jsonOf(r)[QStringLiteral("layers")].toArray().at(0).toObject();
        QCOMPARE(l[QStringLiteral("compute_cycles")].toInteger(), 112283);
        QCOMPARE(l[QStringLiteral("stall_cycles")].toInteger(), 0);
        QCOMPARE(l[QStringLiteral("folds")].toInteger(), 36);
        QCOMPARE(l[QStringLiteral("mapping_efficiency")].toDouble(), 0.9453125);
        QVERIFY(qAbs(l[QStringLiteral("utilization")].toDouble() - 0.9168) < 5e-5);
        const Run text = cli({QStringLiteral("estimate"), project});
        QVERIFY2(text.out.contains(QStringLiteral("112.3 kcycles compute, 0.0 kcycles DRAM "
                                                  "stalls, utilization 91.7 %")),
                 qPrintable(text.out));
    }

    void estimateTextNamesTheArray() {
        const Run r = cli({QStringLiteral("estimate"), example("mobilenet-v1-fuse.yaml")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("systolic array at 200 MHz")));
        QVERIFY(r.out.contains(QStringLiteral("accelerator: 64x64 WS array with FuSe rows")));
        QVERIFY(r.out.contains(QStringLiteral("GEMM (Sr x Sc x T)")));
        QVERIFY(r.out.contains(QStringLiteral("B1.fuse")));
        QVERIFY(r.out.contains(QStringLiteral("utilization")));
        QVERIFY(r.out.contains(QStringLiteral("feasible     yes")));
    }

    // No export backend writes systolic arrays yet: exit 2 with the reason, nothing written.
    void exportSaysWhyNot() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("export"));
        const Run r = cli({QStringLiteral("export"), example("mobilenet-v1-systolic.yaml"),
                           QStringLiteral("--out"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("a systolic design has no export backend yet")),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("mobilenet-v1-systolic.yaml:")), qPrintable(r.err));
        QVERIFY(!QDir(out).exists());
    }

    // The transform keeps the accelerator: a systolic project stays one, and estimates.
    void transformKeepsTheSystolicAccelerator() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("full.yaml"));
        Run r =
            cli({QStringLiteral("transform"), example("mobilenet-v1-systolic.yaml"),
                 QStringLiteral("--fuse"), QStringLiteral("full"), QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // The plain array (fuse_rows: false) is kept, and the user is told what it means.
        QVERIFY2(r.out.contains(QStringLiteral("note: the accelerator keeps fuse_rows: false")),
                 qPrintable(r.out));
        QVERIFY(readText(out.toStdString()).find("arch: systolic") != std::string::npos);
        r = cli({QStringLiteral("estimate"), out, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = jsonOf(r);
        QCOMPARE(o[QStringLiteral("accelerator")].toObject()[QStringLiteral("arch")].toString(),
                 QStringLiteral("systolic"));
        QVERIFY(r.out.contains(QStringLiteral("\"B1.fuse\"")));
    }

    // With fuse_rows: true there is nothing to say; a tiled project has no rows to name.
    void transformNotesOnlyThePlainArray() {
        QTemporaryDir dir;
        std::string text = readText(sourcePath("examples/mobilenet-v1-systolic.yaml"));
        const std::string plain = "fuse_rows: false";
        text.replace(text.find(plain), plain.size(), "fuse_rows: true ");
        const QString rows = dir.filePath(QStringLiteral("rows.yaml"));
        QVERIFY(writeFileAtomic(rows.toStdString(), text).ok());
        for (const QString& project : {rows, example("dac19-dnn-a.yaml")}) {
            const QString out = dir.filePath(QStringLiteral("out.yaml"));
            const Run r = cli({QStringLiteral("transform"), project, QStringLiteral("--fuse"),
                               QStringLiteral("half"), QStringLiteral("--out"), out,
                               QStringLiteral("--force")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(!r.out.contains(QStringLiteral("note:")), qPrintable(r.out));
        }
    }

    // ---- codesign compare ------------------------------------------------------------------

    // Every registered family on the DAC-SDC examples and MobileNet-V1: one table row and
    // one JSON object each, each sized automatically on the project's device.
    void compareEveryFamily_data() {
        QTest::addColumn<QString>("project");
        for (const char* name : {"dac19-dnn-a.yaml", "dac19-dnn-b.yaml", "dac19-dnn-c.yaml",
                                 "mobilenet-v1-systolic.yaml"})
            QTest::newRow(name) << example(name);
    }

    void compareEveryFamily() {
        QFETCH(QString, project);
        const QStringList families = registeredFamilies();
        QCOMPARE(families, (QStringList{QStringLiteral("tiled"), QStringLiteral("streaming"),
                                        QStringLiteral("systolic")}));
        Run r = cli({QStringLiteral("compare"), project, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = jsonOf(r);
        const QJsonArray rows = o[QStringLiteral("families")].toArray();
        QCOMPARE(rows.size(), families.size());
        for (int i = 0; i < rows.size(); ++i) {
            const QJsonObject f = rows[i].toObject();
            QCOMPARE(f[QStringLiteral("arch")].toString(), families[i]);
            QVERIFY2(!f.contains(QStringLiteral("error")),
                     qPrintable(f[QStringLiteral("error")].toString()));
            for (const char* key : {"fps", "latency_ms", "power_w", "resources", "bottleneck",
                                    "feasible", "design", "accelerator"})
                QVERIFY2(f.contains(QLatin1String(key)), key);
            QVERIFY(f[QStringLiteral("fps")].toDouble() > 0);
            const QJsonObject acc = f[QStringLiteral("accelerator")].toObject();
            QCOMPARE(acc[QStringLiteral("arch")].toString(), families[i]);
            QCOMPARE(acc[QStringLiteral("auto")].toBool(), true);
        }
        r = cli({QStringLiteral("compare"), project});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("each family sized automatically")));
        for (const QString& f : families)
            QVERIFY2(r.out.contains(QLatin1Char('\n') + f + QLatin1Char(' ')), qPrintable(r.out));
    }

    // The figures are estimate's: `compare --arch systolic` equals `estimate` of the project
    // with auto: true.
    void compareAgreesWithEstimate() {
        QTemporaryDir dir;
        const QString sized = dir.filePath(QStringLiteral("auto.yaml"));
        std::string text = readText(sourcePath("examples/mobilenet-v1-systolic.yaml"));
        text.replace(text.find("auto: false"), 11, "auto: true");
        QVERIFY(writeFileAtomic(sized.toStdString(), text).ok());
        const Run e = cli({QStringLiteral("estimate"), sized, QStringLiteral("--json")});
        const Run c =
            cli({QStringLiteral("compare"), example("mobilenet-v1-systolic.yaml"),
                 QStringLiteral("--arch"), QStringLiteral("systolic"), QStringLiteral("--json")});
        QVERIFY2(e.exitCode == 0 && c.exitCode == 0, qPrintable(e.err + c.err));
        const QJsonObject f = jsonOf(c)[QStringLiteral("families")].toArray()[0].toObject();
        QCOMPARE(f[QStringLiteral("fps")].toDouble(), jsonOf(e)[QStringLiteral("fps")].toDouble());
        QCOMPARE(f[QStringLiteral("accelerator")].toObject(),
                 jsonOf(e)[QStringLiteral("accelerator")].toObject());
    }

    // A family that is not registered is named with the ones that are; exit 2.
    void compareUnknownFamilyExitsTwo() {
        const QString a = example("dac19-dnn-a.yaml");
        const Run r = cli({QStringLiteral("compare"), a, QStringLiteral("--arch"),
                           QStringLiteral("tiled,dataflow9")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("unknown accelerator family 'dataflow9' (the "
                                               "families: ") +
                                registeredFamilies().join(QStringLiteral(", ")) + QLatin1Char(')')),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        for (const QStringList& args :
             {QStringList{QStringLiteral("compare")},
              QStringList{QStringLiteral("compare"), a, QStringLiteral("--arch"),
                          QStringLiteral("tiled,")},
              QStringList{QStringLiteral("compare"),
                          QString::fromStdString(dataPath("bad/unknown-op.yaml"))}}) {
            const Run bad = cli(args);
            QVERIFY2(bad.exitCode == 2, qPrintable(args.join(QLatin1Char(' '))));
            QVERIFY(!bad.err.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestCliSystolic)
#include "test_cli_systolic.moc"
