// codesign train as a user runs it: the JSON keys, the weights file, exit status 2 and a
// message naming the file for bad input.
#include "core/reference/weight_set.h"
#include "core/util/atomic_file.h"
#include "process_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

using namespace codesign;
using namespace codesign::testing;

namespace {

Run runCli(const QStringList& args) {
    return runProgram(QStringLiteral(CODESIGN_CLI), args, {}, 240000);
}

const char* kProject = "name: tiny\ndevice: pynq-z1\ninput: {channels: 3, height: 32, width: 64}\n"
                       "precision: {weights: 8, activations: 8}\nnetwork:\n"
                       "  - {op: conv, kernel: 3, stride: 2, channels: 8}\n"
                       "  - {op: relu}\n"
                       "  - {op: maxpool, kernel: 2}\n"
                       "  - {op: pwconv, channels: 10}\n"
                       "  - {op: bbox_head, anchors: 2}\n"
                       "accelerator: {arch: tiled, auto: true}\n";

QString s(const std::string& v) {
    return QString::fromStdString(v);
}

} // namespace

class TestTrainCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString project_;

private Q_SLOTS:
    void initTestCase() {
        project_ = dir_.filePath(QStringLiteral("tiny.yaml"));
        QVERIFY(writeFileAtomic(project_.toStdString(), kProject).ok());
    }

    void trainsAndPrintsJson() {
        const Run r =
            runCli({QStringLiteral("train"), project_, QStringLiteral("--synthetic"),
                    QStringLiteral("40"), QStringLiteral("--epochs"), QStringLiteral("2"),
                    QStringLiteral("--qat-epochs"), QStringLiteral("1"), QStringLiteral("--batch"),
                    QStringLiteral("8"), QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        for (const char* key : {"iou", "iou_untrained", "epochs", "images_per_s", "weights"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QVERIFY(!o.contains(QStringLiteral("accuracy")));
        QCOMPARE(o[QStringLiteral("epochs")].toInt(), 2);
        QCOMPARE(o[QStringLiteral("qat_epochs")].toInt(), 1);
        QCOMPARE(o[QStringLiteral("train_images")].toInt() +
                     o[QStringLiteral("validation_images")].toInt(),
                 40);
        const double iou = o[QStringLiteral("iou")].toDouble(-1);
        QVERIFY(iou >= 0 && iou <= 1);
        QVERIFY(o[QStringLiteral("images_per_s")].toDouble() > 0);
        QVERIFY(o[QStringLiteral("seconds")].toDouble() > 0);
        QVERIFY(o[QStringLiteral("peak_memory_mb")].toDouble() > 10); // libtorch alone is more
        QCOMPARE(o[QStringLiteral("resolution")].toDouble(), 1.0);
        const QString weights = o[QStringLiteral("weights")].toString();
        QVERIFY(weights.startsWith(dir_.filePath(QStringLiteral("tiny.codesign/weights/"))));
        QVERIFY(weights.endsWith(QStringLiteral(".train.bin")));
        QVERIFY(reference::parseWeightSet(readText(weights.toStdString())).ok());
        QVERIFY(r.err.contains(QStringLiteral("epoch 2/2"))); // progress on stderr
    }

    void fastTrainingAtHalfResolution() {
        // --fast sets the recipe (256 images, 4 + 1 epochs, half resolution); the options
        // given override its parts.
        const Run r =
            runCli({QStringLiteral("train"), project_, QStringLiteral("--fast"),
                    QStringLiteral("--synthetic"), QStringLiteral("24"), QStringLiteral("--epochs"),
                    QStringLiteral("1"), QStringLiteral("--batch"), QStringLiteral("8"),
                    QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o[QStringLiteral("resolution")].toDouble(), 0.5);
        QCOMPARE(o[QStringLiteral("epochs")].toInt(), 1);
        QCOMPARE(o[QStringLiteral("qat_epochs")].toInt(), 1);
        QCOMPARE(o[QStringLiteral("train_images")].toInt() +
                     o[QStringLiteral("validation_images")].toInt(),
                 24);
        QVERIFY(r.err.contains(QStringLiteral("qat     epoch 1/1")));
        // A resolution the network cannot be built at is bad input, named.
        const Run tiny = runCli({QStringLiteral("train"), project_, QStringLiteral("--resolution"),
                                 QStringLiteral("0.05")});
        QCOMPARE(tiny.exitCode, 2);
        QVERIFY2(tiny.err.contains(QStringLiteral("of the input resolution")),
                 qPrintable(tiny.err));
        const Run outside = runCli({QStringLiteral("train"), project_,
                                    QStringLiteral("--resolution"), QStringLiteral("2")});
        QCOMPARE(outside.exitCode, 2);
        QVERIFY2(outside.err.contains(QStringLiteral("--resolution")), qPrintable(outside.err));
    }

    void trainsOnADacSdcFolder() {
        const QString out = dir_.filePath(QStringLiteral("w.bin"));
        const Run r = runCli({QStringLiteral("train"), project_, QStringLiteral("--data"),
                              s(dataPath("train/dac-sdc")), QStringLiteral("--epochs"),
                              QStringLiteral("1"), QStringLiteral("--qat-epochs"),
                              QStringLiteral("0"), QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("IoU")));
        QVERIFY(QFile::exists(out));
    }

    void badInputExitsWithTwo() {
        struct Case {
            QStringList args;
            QString message;
        };
        const std::vector<Case> cases = {
            {{QStringLiteral("--epochs"), QStringLiteral("many")}, QStringLiteral("--epochs")},
            {{QStringLiteral("--data"), s(dataPath("train/missing"))},
             QStringLiteral("train/missing")},
            {{QStringLiteral("--data"), s(dataPath("train/boxes-bad.csv"))},
             QStringLiteral("boxes-bad.csv:3:27: y1 'twenty' is not a number")},
            {{QStringLiteral("--data"), s(dataPath("train/dac-sdc-bad"))},
             QStringLiteral("malformed.xml:9:")},
            {{QStringLiteral("--optimizer"), QStringLiteral("lbfgs")},
             QStringLiteral("adam or sgd")},
            {{QStringLiteral("--synthetic"), QStringLiteral("8"), QStringLiteral("--data"),
              QStringLiteral("x")},
             QStringLiteral("not both")},
        };
        for (const Case& c : cases) {
            const Run r = runCli(QStringList{QStringLiteral("train"), project_} + c.args);
            QVERIFY2(r.exitCode == 2, qPrintable(c.args.join(QLatin1Char(' ')) + r.err));
            QVERIFY2(r.err.contains(c.message), qPrintable(r.err));
        }
        const Run noProject = runCli({QStringLiteral("train")});
        QCOMPARE(noProject.exitCode, 2);
        const Run missing =
            runCli({QStringLiteral("train"), dir_.filePath(QStringLiteral("no.yaml"))});
        QCOMPARE(missing.exitCode, 2);
    }

    void skipBadFilesTrainsOnTheRest() {
        const Run r =
            runCli({QStringLiteral("train"), project_, QStringLiteral("--data"),
                    s(dataPath("train/dac-sdc-bad")), QStringLiteral("--skip-bad"),
                    QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--qat-epochs"),
                    QStringLiteral("0"), QStringLiteral("--out"),
                    dir_.filePath(QStringLiteral("s.bin")), QStringLiteral("--json")});
        // One good image is left: training needs two, and says so.
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("skipped")));
        QVERIFY(r.err.contains(QStringLiteral("truncated.jpg")));
        QVERIFY(r.err.contains(QStringLiteral("at least 2 images")));
    }

    // explore --qor torch trains each new design once; a second explore of the same
    // project (a new process) finds every design in the QoR cache and trains none.
    void exploreTrainsEachDesignOnce() {
        const QString project = dir_.filePath(QStringLiteral("tiny-search.yaml"));
        QVERIFY(writeFileAtomic(project.toStdString(),
                                std::string(kProject) +
                                    "search: {weight_bits: [6, 8], activation_bits: [8]}\n")
                    .ok());
        const QStringList args{QStringLiteral("explore"),     project,
                               QStringLiteral("--qor"),       QStringLiteral("torch"),
                               QStringLiteral("--synthetic"), QStringLiteral("32"),
                               QStringLiteral("--epochs"),    QStringLiteral("1"),
                               QStringLiteral("--batch"),     QStringLiteral("8"),
                               QStringLiteral("--budget"),    QStringLiteral("2"),
                               QStringLiteral("--json")};
        const QString cache = dir_.filePath(QStringLiteral("tiny-search.codesign/qor-cache.csv"));
        const Run first = runCli(args);
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        const QJsonObject o = QJsonDocument::fromJson(first.out.toUtf8()).object();
        QCOMPARE(o[QStringLiteral("evaluations")].toInt(), 2);
        QCOMPARE(o[QStringLiteral("qor_evaluator")].toString(), QStringLiteral("torch"));
        QFile f(cache);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray afterFirst = f.readAll();
        f.close();
        QCOMPARE(afterFirst.count('\n'), 3); // header and the two designs
        QCOMPARE(QDir(dir_.filePath(QStringLiteral("tiny-search.codesign/weights")))
                     .entryList({QStringLiteral("*.bin")})
                     .size(),
                 2);

        const Run second = runCli(args);
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), afterFirst); // nothing trained, nothing stored
        const QJsonObject o2 = QJsonDocument::fromJson(second.out.toUtf8()).object();
        QCOMPARE(o2[QStringLiteral("pareto")].toArray().size(),
                 o[QStringLiteral("pareto")].toArray().size());
    }

    void helpAndTheNetworkMustHaveAHead() {
        const Run help = runCli({QStringLiteral("train"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("--synthetic")));
        const QString headless = dir_.filePath(QStringLiteral("headless.yaml"));
        std::string text = kProject;
        text = text.substr(0, text.find("  - {op: bbox_head")) +
               "accelerator: {arch: tiled, auto: true}\n";
        QVERIFY(writeFileAtomic(headless.toStdString(), text).ok());
        const Run r = runCli({QStringLiteral("train"), headless});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("bbox_head")));
    }
};

QTEST_GUILESS_MAIN(TestTrainCli)
#include "test_train_cli.moc"
