// `codesign explore` as a user runs it: outputs, JSON, and every way it can fail.
#include "core/util/child_process.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <csignal>

using namespace codesign;
using namespace codesign::testing;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList& args, int killAfterMs = -1, const QString& workingDir = {}) {
    QProcess p;
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(QStringLiteral(CODESIGN_CLI), args);
    p.waitForStarted();
    if (killAfterMs >= 0) {
        QThread::msleep(static_cast<unsigned long>(killAfterMs));
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
    }
    p.waitForFinished(120000);
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

// The DNN-A example with a small search section, in a temporary folder (the project's
// data folder, <stem>.codesign, goes there too).
QString smallProject(const QTemporaryDir& dir, const std::string& search) {
    const QString path = dir.filePath(QStringLiteral("small.yaml"));
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(QByteArray::fromStdString(readText(sourcePath("examples/dac19-dnn-a.yaml")) + search));
    return path;
}

// The first `codesign explore net.yaml --qor command ...` of a document, as written (its
// backslash-continued lines joined), split into arguments the way a shell would.
QStringList documentedCommand(const std::string& doc) {
    const std::string text = readText(sourcePath(doc));
    std::size_t at = text.find("codesign explore net.yaml --qor command");
    if (at == std::string::npos)
        return {};
    std::string command;
    for (;;) {
        const std::size_t end = text.find('\n', at);
        std::string line = text.substr(at, end - at);
        const bool continued = !line.empty() && line.back() == '\\';
        if (continued)
            line.pop_back();
        command += line + " ";
        if (!continued || end == std::string::npos)
            break;
        at = end + 1;
    }
    Result<std::vector<std::string>> argv = splitCommandLine(command);
    QStringList args;
    if (argv.ok())
        for (std::size_t i = 1; i < argv->size(); ++i) // without "codesign"
            args << QString::fromStdString((*argv)[i]);
    return args;
}

// The user's trainer of the documented examples: checks what it is given, writes a QoR.
const char* kTrainPy = R"(import argparse, json, os
p = argparse.ArgumentParser()
p.add_argument("--model", required=True)
p.add_argument("--out", required=True)
p.add_argument("--work")
a = p.parse_args()
if os.path.getsize(a.model) == 0 or (a.work and not os.path.isdir(a.work)):
    raise SystemExit("bad arguments")
with open(a.out, "w") as f:
    json.dump({"qor": 0.4 + os.path.getsize(a.model) % 97 / 1000}, f)
)";

// archive.csv as rows of cells (quoted cells may hold commas).
QList<QStringList> readCsv(const QString& path) {
    QFile f(path);
    QList<QStringList> rows;
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    for (const QString& line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'))) {
        if (line.isEmpty())
            continue;
        QStringList cells;
        QString cell;
        bool quoted = false;
        for (qsizetype i = 0; i < line.size(); ++i) {
            const QChar c = line[i];
            if (quoted && c == QLatin1Char('"') && i + 1 < line.size() &&
                line[i + 1] == QLatin1Char('"'))
                cell += line[++i];
            else if (c == QLatin1Char('"'))
                quoted = !quoted;
            else if (c == QLatin1Char(',') && !quoted)
                cells << std::exchange(cell, QString());
            else
                cell += c;
        }
        rows << (cells << cell);
    }
    return rows;
}

const char* kSearch = "search:\n  target_fps: 25\n  channels: {min: 32, max: 96, step: 32}\n"
                      "  weight_bits: [8, 16]\n";

} // namespace

class TestCliExplore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesArchiveAndFront() {
        QTemporaryDir dir;
        const QString project = smallProject(dir, kSearch);
        const QString out = dir.filePath(QStringLiteral("run"));
        const Run r = runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                              QStringLiteral("benchmark"), QStringLiteral("--budget"),
                              QStringLiteral("60"), QStringLiteral("--seed"), QStringLiteral("3"),
                              QStringLiteral("--out"), out, QStringLiteral("--json")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        for (const char* key : {"evaluations", "hypervolume", "pareto", "best", "strategy", "seed",
                                "feasible", "cancelled"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o[QStringLiteral("evaluations")].toInt(), 60);
        QCOMPARE(o[QStringLiteral("strategy")].toString(), QStringLiteral("scd"));
        QVERIFY(o[QStringLiteral("hypervolume")].toDouble() > 0);
        const QJsonArray front = o[QStringLiteral("pareto")].toArray();
        QVERIFY(!front.isEmpty());
        for (const char* key :
             {"id", "qor", "fps", "power_w", "dsp", "bram18", "lut", "ff", "config"})
            QVERIFY2(front[0].toObject().contains(QLatin1String(key)), key);
        QVERIFY(
            front[0][QStringLiteral("config")].toObject().contains(QStringLiteral("B1.channels")));
        // Files: the archive has every design, the front's projects are ready to export.
        QFile csv(out + QStringLiteral("/archive.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 61);
        QVERIFY(QFile::exists(out + QStringLiteral("/pareto.json")));
        const int id = front[0][QStringLiteral("id")].toInt();
        const QString design = out + QStringLiteral("/designs/%1.yaml").arg(id);
        QVERIFY(QFile::exists(design));
        const Run e = runCli({QStringLiteral("estimate"), design, QStringLiteral("--json")});
        QCOMPARE(e.exitCode, 0);
        const QJsonObject est = QJsonDocument::fromJson(e.out.toUtf8()).object();
        QCOMPARE(est[QStringLiteral("fps")].toDouble(), front[0][QStringLiteral("fps")].toDouble());
    }

    // --front runs SCD over a ladder of FPS targets and says so in pareto.json; nsga2 is a
    // strategy of its own.
    void frontModeAndNsga2() {
        QTemporaryDir dir;
        const QString project = smallProject(dir, kSearch);
        auto explore = [&](const QStringList& extra, const QString& out) {
            return runCli(QStringList{QStringLiteral("explore"), project, QStringLiteral("--qor"),
                                      QStringLiteral("benchmark"), QStringLiteral("--budget"),
                                      QStringLiteral("40"), QStringLiteral("--json"),
                                      QStringLiteral("--out"), dir.filePath(out)} +
                          extra);
        };
        const Run front = explore({QStringLiteral("--front")}, QStringLiteral("front"));
        QCOMPARE(front.exitCode, 0);
        const QJsonObject f = QJsonDocument::fromJson(front.out.toUtf8()).object();
        QCOMPARE(f[QStringLiteral("strategy")].toString(), QStringLiteral("scd"));
        QCOMPARE(f[QStringLiteral("front")].toBool(false), true);
        QCOMPARE(f[QStringLiteral("evaluations")].toInt(), 40);
        QFile json(dir.filePath(QStringLiteral("front/pareto.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(json.readAll())[QStringLiteral("front")].toBool(false),
                 true);
        const Run nsga2 =
            explore({QStringLiteral("--strategy"), QStringLiteral("nsga2")}, QStringLiteral("n"));
        QCOMPARE(nsga2.exitCode, 0);
        const QJsonObject n = QJsonDocument::fromJson(nsga2.out.toUtf8()).object();
        QCOMPARE(n[QStringLiteral("strategy")].toString(), QStringLiteral("nsga2"));
        QCOMPARE(n[QStringLiteral("front")].toBool(true), false);
        QCOMPARE(n[QStringLiteral("evaluations")].toInt(), 40);
    }

    void sameSeedSameResult() {
        QTemporaryDir dir;
        const QString project = smallProject(dir, kSearch);
        QStringList args{QStringLiteral("explore"),        project,
                         QStringLiteral("--qor"),          QStringLiteral("benchmark"),
                         QStringLiteral("--budget"),       QStringLiteral("40"),
                         QStringLiteral("--strategy"),     QStringLiteral("anneal"),
                         QStringLiteral("--json"),         QStringLiteral("--out"),
                         dir.filePath(QStringLiteral("a"))};
        const Run a = runCli(args);
        args.last() = dir.filePath(QStringLiteral("b"));
        const Run b = runCli(args);
        auto strip = [](const QString& s) {
            QJsonObject o = QJsonDocument::fromJson(s.toUtf8()).object();
            o.remove(QStringLiteral("seconds"));
            return o;
        };
        QCOMPARE(strip(a.out), strip(b.out));
    }

    void badInput_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("expect");
        QTest::newRow("unknown strategy")
            << QStringList{QStringLiteral("--strategy"), QStringLiteral("greedy")} << 2
            << QStringLiteral("unknown strategy 'greedy'");
        QTest::newRow("front with another strategy")
            << QStringList{QStringLiteral("--strategy"), QStringLiteral("random"),
                           QStringLiteral("--front")}
            << 2 << QStringLiteral("--front is a mode of the scd strategy");
        QTest::newRow("budget 0") << QStringList{QStringLiteral("--budget"), QStringLiteral("0")}
                                  << 2 << QStringLiteral("--budget must be");
        QTest::newRow("unknown qor")
            << QStringList{QStringLiteral("--qor"), QStringLiteral("oracle")} << 2
            << QStringLiteral("unknown QoR evaluator");
        QTest::newRow("surrogate without data")
            << QStringList{QStringLiteral("--qor"), QStringLiteral("surrogate")} << 2
            << QStringLiteral("the surrogate needs at least 10");
        QTest::newRow("command without template")
            << QStringList{QStringLiteral("--qor"), QStringLiteral("command")} << 2
            << QStringLiteral("needs --command");
        QTest::newRow("template without out_json")
            << QStringList{QStringLiteral("--qor"), QStringLiteral("command"),
                           QStringLiteral("--command"), QStringLiteral("train {model_yaml}")}
            << 2 << QStringLiteral("must write its result to {out_json}");
        QTest::newRow("constraints nothing meets")
            << QStringList{QStringLiteral("--qor"), QStringLiteral("benchmark"),
                           QStringLiteral("--target-fps"), QStringLiteral("100000")}
            << 3 << QStringLiteral("no design met the constraints; the closest");
        QTest::newRow("command fails")
            << QStringList{QStringLiteral("--qor"), QStringLiteral("command"),
                           QStringLiteral("--command"), QStringLiteral("sh -c 'exit 4' {out_json}")}
            << 3 << QStringLiteral("the command exited with status 4");
        QTest::newRow("command prints garbage")
            << QStringList{QStringLiteral("--qor"), QStringLiteral("command"),
                           QStringLiteral("--command"),
                           QStringLiteral("sh -c 'echo garbage > $0' {out_json}")}
            << 3 << QStringLiteral("is not JSON of the form");
        QTest::newRow("command hangs") << QStringList{QStringLiteral("--qor"),
                                                      QStringLiteral("command"),
                                                      QStringLiteral("--command"),
                                                      QStringLiteral("sh -c 'sleep 20' {out_json}"),
                                                      QStringLiteral("--timeout"),
                                                      QStringLiteral("0.2")}
                                       << 3 << QStringLiteral("timed out after 0.2 s");
    }
    void badInput() {
        QFETCH(QStringList, extra);
        QFETCH(int, exitCode);
        QFETCH(QString, expect);
        QTemporaryDir dir;
        const QString project = smallProject(dir, kSearch);
        const QString out = dir.filePath(QStringLiteral("run"));
        QStringList args{QStringLiteral("explore"),  project,
                         QStringLiteral("--budget"), QStringLiteral("3"),
                         QStringLiteral("--out"),    out};
        args += extra; // a later --budget wins
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(expect), qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        // A search that ran still leaves its archive; one refused up front writes nothing.
        QCOMPARE(QFile::exists(out + QStringLiteral("/archive.csv")), exitCode == 3);
    }

    // The README's and docs/search.md's command-QoR examples run as written, from a copy of
    // examples/, with the project named relative to the current folder (and train.py too).
    void documentedCommandExamplesRun_data() {
        QTest::addColumn<QString>("doc");
        QTest::newRow("README.md") << QStringLiteral("README.md");
        QTest::newRow("docs/search.md") << QStringLiteral("docs/search.md");
    }
    void documentedCommandExamplesRun() {
        QFETCH(QString, doc);
        const QStringList command = documentedCommand(doc.toStdString());
        QVERIFY2(command.size() > 4 && command.contains(QStringLiteral("--command")),
                 qPrintable(command.join(QLatin1Char(' '))));
        QTemporaryDir dir;
        for (const QString& name :
             QDir(QString::fromStdString(sourcePath("examples"))).entryList(QDir::Files))
            QVERIFY(QFile::copy(QString::fromStdString(sourcePath("examples/")) + name,
                                dir.filePath(name)));
        QVERIFY(QFile::copy(dir.filePath(QStringLiteral("dac-sdc-explore.yaml")),
                            dir.filePath(QStringLiteral("net.yaml"))));
        QFile train(dir.filePath(QStringLiteral("train.py")));
        QVERIFY(train.open(QIODevice::WriteOnly));
        train.write(kTrainPy);
        train.close();
        const Run r = runCli(command + QStringList{QStringLiteral("--budget"), QStringLiteral("6"),
                                                   QStringLiteral("--json"),
                                                   QStringLiteral("--out"), QStringLiteral("r1")},
                             -1, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o[QStringLiteral("evaluations")].toInt(), 6);
        QCOMPARE(o[QStringLiteral("qor_evaluator")].toString(), QStringLiteral("command"));
        QFile csv(dir.filePath(QStringLiteral("r1/archive.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QString archive = QString::fromUtf8(csv.readAll());
        QVERIFY2(!archive.contains(QStringLiteral("QoR unknown")), qPrintable(archive));
        QVERIFY(QDir(dir.filePath(QStringLiteral("net.codesign/runs"))).count() > 2);
    }

    // A network with skips (an add joining bundle instances, a concat): 3,000 designs, all
    // of them build; the note names what the joins tie.
    void skipConnectionsGiveOnlyValidDesigns() {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("skips.yaml"));
        QVERIFY(QFile::copy(QString::fromStdString(dataPath("skips.yaml")), project));
        const QString out = dir.filePath(QStringLiteral("run"));
        const Run r = runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                              QStringLiteral("benchmark"), QStringLiteral("--budget"),
                              QStringLiteral("3000"), QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> rows = readCsv(out + QStringLiteral("/archive.csv"));
        QCOMPARE(rows.size(), 3001);
        const qsizetype objective = rows[0].indexOf(QStringLiteral("objective"));
        int invalid = 0;
        for (qsizetype i = 1; i < rows.size(); ++i)
            invalid += rows[i][objective].toDouble() <= -1000 ? 1 : 0;
        QCOMPARE(invalid, 0);
        QVERIFY2(
            r.err.contains(QStringLiteral("B2+B3.channels, B4+B5.channels, B4+B6.downsample tied")),
            qPrintable(r.err));
    }

    // An invalid design records why in archive.csv's violations column.
    void invalidDesignsRecordTheirReason() {
        QTemporaryDir dir;
        const QString project = smallProject(
            dir, "search:\n  channels: {min: 32, max: 32, step: 32}\n  repeat: {min: 1, max: 9}\n");
        const QString out = dir.filePath(QStringLiteral("run"));
        const Run r = runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                              QStringLiteral("benchmark"), QStringLiteral("--strategy"),
                              QStringLiteral("random"), QStringLiteral("--budget"),
                              QStringLiteral("40"), QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<QStringList> rows = readCsv(out + QStringLiteral("/archive.csv"));
        const qsizetype objective = rows[0].indexOf(QStringLiteral("objective"));
        const qsizetype violations = rows[0].indexOf(QStringLiteral("violations"));
        int invalid = 0;
        for (qsizetype i = 1; i < rows.size(); ++i)
            if (rows[i][objective].toDouble() <= -1000) {
                ++invalid;
                QVERIFY2(rows[i][violations].startsWith(QStringLiteral("invalid network: ")),
                         qPrintable(rows[i].join(QLatin1Char(','))));
            }
        QVERIFY(invalid > 0);
    }

    // A run owns its --out folder: a second run into it is refused without --force; with
    // --force the folder holds the new run only (no design of the first one to export).
    void reusedOutFolderNeedsForceAndHoldsOneRun() {
        QTemporaryDir dir;
        const QString project = smallProject(dir, kSearch);
        const QString out = dir.filePath(QStringLiteral("same"));
        auto explore = [&](const QString& budget, const QStringList& extra) {
            return runCli(QStringList{QStringLiteral("explore"), project, QStringLiteral("--qor"),
                                      QStringLiteral("benchmark"), QStringLiteral("--strategy"),
                                      QStringLiteral("random"), QStringLiteral("--budget"), budget,
                                      QStringLiteral("--json"), QStringLiteral("--out"), out} +
                          extra);
        };
        auto frontIds = [](const Run& r) {
            QSet<QString> ids;
            const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
            for (const QJsonValue& v : o[QStringLiteral("pareto")].toArray())
                ids << QString::number(v[QStringLiteral("id")].toInt()) + QStringLiteral(".yaml");
            return ids;
        };
        auto designs = [&] {
            const QStringList files = QDir(out + QStringLiteral("/designs")).entryList(QDir::Files);
            return QSet<QString>(files.begin(), files.end());
        };
        const Run first = explore(QStringLiteral("80"), {});
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QCOMPARE(designs(), frontIds(first));

        const Run refused =
            explore(QStringLiteral("10"), {QStringLiteral("--seed"), QStringLiteral("9")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QStringLiteral("is not empty (it holds an earlier run)")) &&
                     refused.err.contains(QStringLiteral("--force")),
                 qPrintable(refused.err));
        QCOMPARE(designs(), frontIds(first)); // untouched

        const Run second =
            explore(QStringLiteral("10"),
                    {QStringLiteral("--seed"), QStringLiteral("9"), QStringLiteral("--force")});
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        QCOMPARE(designs(), frontIds(second));
        QFile csv(out + QStringLiteral("/archive.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().count('\n'), 11);
        // A design of the first run only is not exported from the second's folder.
        QSet<QString> gone = frontIds(first) - frontIds(second);
        QVERIFY(!gone.isEmpty());
        const QString id = gone.values().front().section(QLatin1Char('.'), 0, 0);
        const Run e = runCli({QStringLiteral("export"), project, QStringLiteral("--candidate"), id,
                              QStringLiteral("--from"), out, QStringLiteral("--out"),
                              dir.filePath(QStringLiteral("x"))});
        QCOMPARE(e.exitCode, 2);
        QVERIFY2(e.err.contains(QStringLiteral("not a design on the Pareto front")),
                 qPrintable(e.err));

        // Never a folder that holds the project (a run would replace it).
        const Run mine =
            runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                    QStringLiteral("benchmark"), QStringLiteral("--budget"), QStringLiteral("3"),
                    QStringLiteral("--out"), dir.path(), QStringLiteral("--force")});
        QCOMPARE(mine.exitCode, 2);
        QVERIFY2(mine.err.contains(QStringLiteral("holds the project")), qPrintable(mine.err));
        QVERIFY(QFile::exists(project));
    }

    // export --candidate ID --from DIR takes the design of the project DIR was explored
    // from; another project is refused (it would export DIR's design with its own QoR cache).
    void exportChecksTheExploredProject() {
        QTemporaryDir dir;
        const QString project = smallProject(dir, kSearch);
        const QString out = dir.filePath(QStringLiteral("run"));
        const Run r =
            runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                    QStringLiteral("benchmark"), QStringLiteral("--budget"), QStringLiteral("20"),
                    QStringLiteral("--out"), out, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QString id =
            QString::number(o[QStringLiteral("pareto")].toArray()[0][QStringLiteral("id")].toInt());
        const QString other = dir.filePath(QStringLiteral("other.yaml"));
        QVERIFY(
            QFile::copy(QString::fromStdString(sourcePath("examples/dac19-dnn-b.yaml")), other));
        const Run refused = runCli({QStringLiteral("export"), other, QStringLiteral("--candidate"),
                                    id, QStringLiteral("--from"), out, QStringLiteral("--out"),
                                    dir.filePath(QStringLiteral("x"))});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(QStringLiteral("was explored from another project (") +
                                      QFileInfo(project).absoluteFilePath()),
                 qPrintable(refused.err));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x"))));
        QCOMPARE(o[QStringLiteral("project_file")].toString(),
                 QFileInfo(project).absoluteFilePath());
        const Run exported =
            runCli({QStringLiteral("export"), project, QStringLiteral("--candidate"), id,
                    QStringLiteral("--from"), out, QStringLiteral("--out"),
                    dir.filePath(QStringLiteral("y"))});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    }

    // A project without a search: section is explored with the default ranges, and says so
    // in one line; one with a search: section says nothing of it.
    void defaultRangesAreAnnounced() {
        QTemporaryDir dir;
        const QString bare = smallProject(dir, "");
        const Run r =
            runCli({QStringLiteral("explore"), bare, QStringLiteral("--qor"),
                    QStringLiteral("benchmark"), QStringLiteral("--budget"), QStringLiteral("3"),
                    QStringLiteral("--out"), dir.filePath(QStringLiteral("a"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(r.err.contains(QStringLiteral("has no search: section; exploring the defaults: "
                                               "every bundle instance's channels 16..512 step "
                                               "16")) &&
                     r.err.contains(QStringLiteral("no FPS target")),
                 qPrintable(r.err));
        const Run s =
            runCli({QStringLiteral("explore"), smallProject(dir, kSearch), QStringLiteral("--qor"),
                    QStringLiteral("benchmark"), QStringLiteral("--budget"), QStringLiteral("3"),
                    QStringLiteral("--out"), dir.filePath(QStringLiteral("b"))});
        QCOMPARE(s.exitCode, 0);
        QVERIFY2(!s.err.contains(QStringLiteral("search:")), qPrintable(s.err));
    }

    // explore --help names every QoR evaluator.
    void helpNamesEveryQorEvaluator() {
        const Run r = runCli({QStringLiteral("explore"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QStringLiteral("--qor surrogate|command|benchmark|torch")),
                 qPrintable(r.out));
    }

    // A surrogate fitted to 10 scattered measurements predicts with a large standard
    // deviation: the summary shows it, as pareto.json has it, and a note says what it means.
    void surrogateSummaryShowsItsUncertainty() {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("ten.csv"));
        QFile f(data);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("qor,depth,log2_macs,log2_params,log2_mean_width,log2_max_width,weight_bits,"
                "activation_bits,log2_input_pixels\n"
                "0.2992,6,25.2554,14.3585,5.6904,6.1112,8,12,15.388\n"
                "0.2734,4,25.9009,14.1132,5.4691,5.5924,8,8,15.0066\n"
                "0.4559,5,25.1821,14.8675,5.3894,5.7704,8,8,15.309\n"
                "0.8692,4,25.0018,14.8714,5.2095,5.3172,8,8,15.1447\n"
                "0.389,6,25.8761,14.6257,5.1817,5.6659,8,12,15.1494\n"
                "0.3843,4,25.9358,14.2638,5.3319,5.7406,8,12,15.033\n"
                "0.1183,5,25.4807,14.3158,5.4812,5.8336,8,12,15.4875\n"
                "0.6662,6,25.3576,14.4043,5.5491,5.7585,16,8,15.2264\n"
                "0.8142,6,25.9552,14.1965,5.7557,6.2206,16,12,15.2562\n"
                "0.8827,5,25.7756,14.1081,5.7484,6.147,16,8,15.2165\n");
        f.close();
        const QString project = dir.filePath(QStringLiteral("net.yaml"));
        QVERIFY(QFile::copy(QString::fromStdString(sourcePath("examples/dac-sdc-explore.yaml")),
                            project));
        const QString out = dir.filePath(QStringLiteral("run"));
        const Run r = runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                              QStringLiteral("surrogate"), QStringLiteral("--qor-data"), data,
                              QStringLiteral("--budget"), QStringLiteral("20"),
                              QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile pareto(out + QStringLiteral("/pareto.json"));
        QVERIFY(pareto.open(QIODevice::ReadOnly));
        const QJsonObject best =
            QJsonDocument::fromJson(pareto.readAll()).object()[QStringLiteral("best")].toObject();
        const double sigma = best[QStringLiteral("qor_uncertainty")].toDouble();
        QVERIFY(sigma > 0.1);
        const QString expected = QStringLiteral("QoR %1 \u00b1 %2 (predicted)")
                                     .arg(best[QStringLiteral("qor")].toDouble(), 0, 'f', 3)
                                     .arg(sigma, 0, 'f', 3);
        QVERIFY2(r.out.contains(expected), qPrintable(r.out + QStringLiteral(" / ") + expected));
        QVERIFY2(r.err.contains(QStringLiteral("too uncertain to rank designs")),
                 qPrintable(r.err));
    }

    void interruptKeepsTheArchive() {
        QTemporaryDir dir;
        const QString project =
            smallProject(dir, "search:\n  channels: {min: 16, max: 512, step: 16}\n");
        const QString out = dir.filePath(QStringLiteral("run"));
        const Run r = runCli({QStringLiteral("explore"), project, QStringLiteral("--qor"),
                              QStringLiteral("benchmark"), QStringLiteral("--strategy"),
                              QStringLiteral("random"), QStringLiteral("--budget"),
                              QStringLiteral("100000000"), QStringLiteral("--out"), out},
                             500);
        QCOMPARE(r.exitCode, 130);
        QVERIFY(r.err.contains(QStringLiteral("interrupted")));
        QVERIFY(QFile::exists(out + QStringLiteral("/archive.csv")));
        QVERIFY(QFile::exists(out + QStringLiteral("/pareto.json")));
    }
};

QTEST_GUILESS_MAIN(TestCliExplore)
#include "test_cli_explore.moc"
