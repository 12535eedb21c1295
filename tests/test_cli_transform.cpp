// `codesign transform` as a user runs it: the file it writes, what it says, and its errors.
#include "core/model/transforms/fuse_transform.h"
#include "process_test_support.h"
#include "test_support.h"

#include <QFile>
#include <QTemporaryDir>

using namespace codesign;
using namespace codesign::testing;

namespace {

Run cli(const QStringList& args) {
    return runProgram(QStringLiteral(CODESIGN_CLI), args, {}, 120000);
}

QString source(const char* path) {
    return QString::fromStdString(sourcePath(path));
}

} // namespace

class TestCliTransform : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesTheTransformedProject() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("fuse.yaml"));
        const Run r =
            cli({QStringLiteral("transform"), source("tests/data/mobilenet-v1.yaml"),
                 QStringLiteral("--fuse"), QStringLiteral("half"), QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("rewrote 13 depthwise layers into fuse half")));
        QVERIFY(r.out.contains(QStringLiteral("MACs 568.7 M -> 557.1 M")));
        // The file is the core transform's project, in the canonical YAML, under a name of
        // its own (it kept the original's, so that train --teacher printed one name twice).
        bool ok = false;
        Project written = parseOrFail(readText(out.toStdString()), ok);
        QVERIFY(ok);
        const Project original = parseOrFail(readText(dataPath("mobilenet-v1.yaml")), ok);
        QCOMPARE(written.name, original.name + "-fuse-half");
        written.name = original.name;
        FuseTransformOptions o;
        QVERIFY(written == fuseTransform(original, o)->project);
    }

    // DNN-A with FuSe-Full in its first two bundles estimates (the tiled family runs fuse).
    void resultEstimates() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("a-fuse.yaml"));
        Run r = cli({QStringLiteral("transform"), source("examples/dac19-dnn-a.yaml"),
                     QStringLiteral("--fuse"), QStringLiteral("full"), QStringLiteral("--first"),
                     QStringLiteral("2"), QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("B1.dwconv B2.dwconv\n")));
        r = cli({QStringLiteral("estimate"), out, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("B1.fuse")));
    }

    void refusesToOverwriteWithoutForce() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("keep.yaml"));
        QFile f(out);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("precious\n");
        f.close();
        const QStringList args{QStringLiteral("transform"), source("examples/dac19-dnn-a.yaml"),
                               QStringLiteral("--fuse"),    QStringLiteral("half"),
                               QStringLiteral("--out"),     out};
        Run r = cli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains(QStringLiteral("--force")));
        QCOMPARE(readText(out.toStdString()), std::string("precious\n"));
        r = cli(args + QStringList{QStringLiteral("--force")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(readText(out.toStdString()).find("fuse") != std::string::npos);
    }

    void badInputExitsTwo() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("x.yaml"));
        const QString a = source("examples/dac19-dnn-a.yaml");
        const QString t = QStringLiteral("transform");
        const QString o = QStringLiteral("--out");
        struct Case {
            QStringList args;
            const char* says;
        };
        const Case cases[] = {
            {{t, a, o, out}, "needs a transform: --low-rank or --fuse half|full"},
            {{t, a, QStringLiteral("--fuse"), QStringLiteral("third"), o, out}, "half or full"},
            {{t, a, QStringLiteral("--fuse"), QStringLiteral("half")}, "--out"},
            {{t, a, QStringLiteral("--fuse"), QStringLiteral("half"), QStringLiteral("--first"),
              QStringLiteral("1"), QStringLiteral("--layers"), QStringLiteral("B1"), o, out},
             "not both"},
            {{t, a, QStringLiteral("--fuse"), QStringLiteral("half"), QStringLiteral("--first"),
              QStringLiteral("0"), o, out},
             "positive integer"},
            {{t, a, QStringLiteral("--fuse"), QStringLiteral("half"), QStringLiteral("--layers"),
              QStringLiteral("B1.pwconv"), o, out},
             "layer 'B1.pwconv'"},
            {{t, a, QStringLiteral("--fuse"), QStringLiteral("half"), QStringLiteral("--first"),
              QStringLiteral("9"), o, out},
             "the network has 4"},
            {{t, QString::fromStdString(dataPath("bad/unknown-key.yaml")), QStringLiteral("--fuse"),
              QStringLiteral("half"), o, out},
             "unknown-key.yaml:"},
        };
        for (const Case& c : cases) {
            const Run r = cli(c.args);
            QVERIFY2(r.exitCode == 2, qPrintable(c.args.join(QLatin1Char(' '))));
            QVERIFY2(r.err.contains(QLatin1String(c.says)), qPrintable(r.err));
            QVERIFY(!QFile::exists(out));
        }
    }
};

QTEST_GUILESS_MAIN(TestCliTransform)
#include "test_cli_transform.moc"
