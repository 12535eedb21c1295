// QoR evaluators: design hash, cache, surrogate and the command evaluator.
#include "core/qor/command_evaluator.h"
#include "core/qor/design_hash.h"
#include "core/qor/qor_cache.h"
#include "core/qor/surrogate.h"
#include "core/util/child_process.h"
#include "test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <fstream>
#include <random>
#include <sstream>

using namespace codesign;
using namespace codesign::testing;

namespace {

struct Design {
    Project project;
    Graph graph;
    std::string hash;
};

Design design(int channels, int weightBits = 8) {
    const std::string text = projectWith("  - {op: conv, channels: " + std::to_string(channels) +
                                         ", weights: " + std::to_string(weightBits) + "}\n");
    bool ok = false;
    Design d;
    d.project = parseOrFail(text, ok);
    d.graph = graphOrFail(d.project, ok);
    d.hash = designHash(d.graph);
    return d;
}

QorQuery query(const Design& d) {
    return {d.hash, &d.project, &d.graph};
}

// Counts what reaches it, to see the cache at work.
class CountingEvaluator : public QorEvaluator {
public:
    std::string name() const override { return "counting"; }
    std::vector<QorValue> evaluate(std::span<const QorQuery> batch, RunControl&,
                                   const QorProgress&) override {
        std::vector<QorValue> out;
        for (const QorQuery& q : batch) {
            ++calls;
            QorValue v;
            v.qor = 0.01 * q.graph->nodes[0].out.c;
            v.source = "counting";
            out.push_back(v);
        }
        return out;
    }
    int calls = 0;
};

QorValue runCommand(const std::string& command, const Design& d, double timeout = 30,
                    const QString& dir = QString()) {
    CommandEvaluatorOptions o;
    o.commandTemplate = command;
    o.runsDir = dir.toStdString();
    o.timeoutSeconds = timeout;
    CommandQorEvaluator e(o);
    RunControl control;
    const QorQuery q = query(d);
    return e.evaluate(std::span<const QorQuery>(&q, 1), control).front();
}

} // namespace

class TestQor : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hashFollowsTheNetworkNotItsSpelling() {
        const Design a = design(16);
        QCOMPARE(a.hash.size(), std::size_t(16));
        QCOMPARE(design(16).hash, a.hash);
        QVERIFY(design(32).hash != a.hash);
        QVERIFY(design(16, 11).hash != a.hash);
        // The same layers written as a bundle instance hash the same.
        bool ok = false;
        Project viaBundle = parseOrFail(
            projectWith("  - {bundle: b, channels: 16}\n", "{channels: 3, height: 32, width: 32}",
                        "bundles:\n  b:\n    - {op: conv, weights: 8}\n"),
            ok);
        QVERIFY(ok);
        QCOMPARE(designHash(graphOrFail(viaBundle, ok)), a.hash);
    }

    void cacheSurvivesARestart() {
        QTemporaryDir dir;
        const std::string path =
            dir.filePath(QStringLiteral("p.codesign/qor-cache.csv")).toStdString();
        {
            Result<std::shared_ptr<QorCache>> cache = QorCache::open(path);
            QVERIFY(cache.ok());
            QorRecord r{"abc", {}, {}};
            r.value.qor = 0.625;
            r.value.source = "command";
            // Where the torch evaluator puts weights: beside the cache.
            r.value.weightsPath =
                dir.filePath(QStringLiteral("p.codesign/weights/abc.bin")).toStdString();
            r.features.values[0] = 7;
            QVERIFY((*cache)->store(r).ok());
        }
        {
            // The file holds the path relative to the cache's folder (the folder may move).
            std::ifstream in(path);
            std::stringstream text;
            text << in.rdbuf();
            QVERIFY(text.str().find(",weights/abc.bin,") != std::string::npos);
        }
        // A crash mid-line leaves garbage at the end; it is skipped.
        { std::ofstream(path, std::ios::app) << "def,0.5,0,comm"; }
        Result<std::shared_ptr<QorCache>> again = QorCache::open(path);
        QVERIFY(again.ok());
        QCOMPARE((*again)->size(), std::size_t(1));
        QCOMPARE((*again)->skippedLines(), 1);
        const auto hit = (*again)->find("abc");
        QVERIFY(hit.has_value());
        QCOMPARE(hit->value.qor, 0.625);
        QCOMPARE(QString::fromStdString(hit->value.weightsPath),
                 QDir::cleanPath(dir.filePath(QStringLiteral("p.codesign/weights/abc.bin"))));
        QCOMPARE(hit->features.values[0], 7.0);
    }

    void cachedEvaluatorMeasuresOnce() {
        QTemporaryDir dir;
        auto cache = QorCache::open(dir.filePath(QStringLiteral("c.csv")).toStdString());
        CountingEvaluator inner;
        CachedQorEvaluator cached(inner, *cache);
        const Design a = design(16), b = design(24);
        const std::vector<QorQuery> batch{query(a), query(b)};
        RunControl control;
        auto first = cached.evaluate(batch, control);
        auto second = cached.evaluate(batch, control);
        QCOMPARE(inner.calls, 2);
        QCOMPARE(cached.hits(), 2);
        QCOMPARE(second[1].qor, first[1].qor);
        // And across a restart of the program.
        auto reopened = QorCache::open(dir.filePath(QStringLiteral("c.csv")).toStdString());
        CountingEvaluator inner2;
        CachedQorEvaluator again(inner2, *reopened);
        again.evaluate(batch, control);
        QCOMPARE(inner2.calls, 0);
    }

    void qorCsvErrorsNameTheLine() {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("q.csv")).toStdString();
        std::ofstream(path) << qorCsvHeader()
                            << "\nh,0.5,0,x,,1,2,3,4,5,6,7,8\nh2,zero,0,x,,1,2,3,4,5,6,7,8\n";
        Result<std::vector<QorRecord>> r = readQorCsv(path);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().pos.line, 3);
        std::ofstream(path) << "qor,depth\n0.5,3\n";
        r = readQorCsv(path);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("log2_macs") != std::string::npos);
    }

    // A known linear function of the features, with noise of 0.01: the surrogate recovers it
    // on unseen designs and knows its own uncertainty.
    void surrogateRecoversASyntheticFunction() {
        std::mt19937 rng(11);
        std::uniform_real_distribution<double> u(0, 1);
        std::normal_distribution<double> noise(0, 0.01);
        // Chosen so that the truth stays within 0.28..0.66, away from the clamp at 0 and 1.
        const std::array<double, DesignFeatures::kCount> w{0.005, 0.01,  -0.008, 0.015,
                                                           0.0,   0.002, 0.003,  0.005};
        auto truth = [&](const DesignFeatures& f) {
            double y = 0.1;
            for (std::size_t j = 0; j < f.values.size(); ++j)
                y += w[j] * f.values[j];
            return y;
        };
        auto sample = [&] {
            DesignFeatures f;
            f.values = {4 + 12 * u(rng), 20 + 10 * u(rng), 12 + 10 * u(rng), 4 + 4 * u(rng),
                        5 + 5 * u(rng),  4 + 12 * u(rng),  4 + 12 * u(rng),  12 + 4 * u(rng)};
            return f;
        };
        std::vector<QorRecord> train;
        for (int i = 0; i < 200; ++i) {
            QorRecord r;
            r.features = sample();
            r.value.qor = truth(r.features) + noise(rng);
            train.push_back(r);
        }
        SurrogateModel m;
        QVERIFY(m.fit(train, 1e-6).ok());
        QVERIFY(std::abs(m.residualSd() - 0.01) < 0.003);
        double worst = 0;
        int covered = 0;
        for (int i = 0; i < 100; ++i) {
            const DesignFeatures f = sample();
            const QorValue v = m.predict(f);
            QVERIFY(v.predicted);
            QCOMPARE(v.source, std::string("surrogate"));
            const double err = std::abs(v.qor - truth(f));
            worst = std::max(worst, err);
            covered += err <= 2 * v.uncertainty ? 1 : 0;
        }
        QVERIFY2(worst < 0.01, qPrintable(QString::number(worst)));
        QVERIFY(covered >= 90); // the 2-sigma band holds the truth
    }

    void surrogateNeedsData() {
        SurrogateModel m;
        Status s = m.fit({});
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.find("at least 10") != std::string::npos);
        QVERIFY(!m.predict({}).ok());
    }

    void commandSuccess() {
        QTemporaryDir dir;
        const QorValue v = runCommand("sh -c 'test -s {model_yaml} && echo \"{\\\"qor\\\": 0.42, "
                                      "\\\"uncertainty\\\": 0.01}\" > {out_json}'",
                                      design(16), 30, dir.path());
        QVERIFY2(v.ok(), v.error.c_str());
        QCOMPARE(v.qor, 0.42);
        QCOMPARE(v.uncertainty, 0.01);
        QCOMPARE(v.source, std::string("command"));
        QVERIFY(!v.predicted);
    }

    void commandFailures_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("expect");
        QTest::newRow("exit status") << "sh -c 'echo oops >&2; exit 3'"
                                     << "exited with status 3";
        QTest::newRow("garbage") << "sh -c 'echo \"not json {{\" > {out_json}'"
                                 << "is not JSON of the form";
        QTest::newRow("no qor") << "sh -c 'echo \"{\\\"iou\\\": 0.5}\" > {out_json}'"
                                << "has no \"qor\" field";
        QTest::newRow("not a fraction") << "sh -c 'echo \"{\\\"qor\\\": 57.3}\" > {out_json}'"
                                        << "not a fraction";
        QTest::newRow("no output") << "true {out_json}"
                                   << "wrote no out.json";
        QTest::newRow("no program") << "/nonexistent/train {out_json}"
                                    << "cannot run '/nonexistent/train'";
    }
    void commandFailures() {
        QFETCH(QString, command);
        QFETCH(QString, expect);
        QTemporaryDir dir;
        const QorValue v = runCommand(command.toStdString(), design(16), 30, dir.path());
        QVERIFY(!v.ok());
        QVERIFY2(v.error.find(expect.toStdString()) != std::string::npos, v.error.c_str());
    }

    // A relative runs folder (the CLI's <stem>.codesign/runs for a project named without a
    // folder) still gives the command absolute paths and a log it can open.
    void commandWithARelativeRunsFolder() {
        QTemporaryDir dir;
        const QString before = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        CommandEvaluatorOptions o;
        o.commandTemplate = "sh -c 'case \"$0\" in /*) ;; *) exit 9;; esac; case \"$1\" in /*) ;; "
                            "*) exit 9;; esac; test -s \"$0\" && echo \"{\\\"qor\\\": 0.3}\" > "
                            "\"$1\"' {model_yaml} {out_json}";
        o.runsDir = "net.codesign/runs";
        CommandQorEvaluator e(o);
        RunControl control;
        const Design d = design(16);
        const QorQuery q = query(d);
        const QorValue v = e.evaluate(std::span<const QorQuery>(&q, 1), control).front();
        QVERIFY(QDir::setCurrent(before));
        QVERIFY2(v.ok(), v.error.c_str());
        QCOMPARE(v.qor, 0.3);
        QVERIFY(QFile::exists(dir.filePath(
            QStringLiteral("net.codesign/runs/%1/log.txt").arg(QString::fromStdString(d.hash)))));
    }

    // A process that cannot start says which step failed: not the program when the log is
    // what could not be opened.
    void childStartFailuresNameTheStep() {
        Result<ChildProcess> noLog = ChildProcess::start({"true"}, {}, "/nonexistent/log.txt");
        QVERIFY(!noLog.ok());
        QVERIFY2(noLog.error().message.find("cannot open the log file '/nonexistent/log.txt'") !=
                     std::string::npos,
                 noLog.error().message.c_str());
        Result<ChildProcess> noFolder = ChildProcess::start({"true"}, "/nonexistent", {});
        QVERIFY(!noFolder.ok());
        QVERIFY(noFolder.error().message.find("cannot enter the folder '/nonexistent'") !=
                std::string::npos);
        Result<ChildProcess> noProgram = ChildProcess::start({"no-such-program-xyz"}, {}, {});
        QVERIFY(!noProgram.ok());
        QVERIFY2(noProgram.error().message.find("'no-such-program-xyz': no such program on the "
                                                "PATH") != std::string::npos,
                 noProgram.error().message.c_str());
    }

    void commandTimeoutKillsTheRun() {
        QTemporaryDir dir;
        const QorValue v =
            runCommand("sh -c 'sleep 30; echo {out_json}'", design(16), 0.3, dir.path());
        QVERIFY(!v.ok());
        QVERIFY2(v.error.find("timed out after 0.3 s") != std::string::npos, v.error.c_str());
    }

    void commandTemplatesAreChecked() {
        QVERIFY(!CommandQorEvaluator::validateTemplate("train --model {model_yaml}").ok());
        QVERIFY(!CommandQorEvaluator::validateTemplate("train 'unbalanced {out_json}").ok());
        QVERIFY(!CommandQorEvaluator::validateTemplate("   ").ok());
        QVERIFY(CommandQorEvaluator::validateTemplate("train {model_yaml} {out_json}").ok());
    }

    void parallelJobsAllComplete() {
        QTemporaryDir dir;
        CommandEvaluatorOptions o;
        o.commandTemplate = "sh -c 'sleep 0.1; echo \"{\\\"qor\\\": 0.5}\" > {out_json}'";
        o.runsDir = dir.path().toStdString();
        o.jobs = 4;
        CommandQorEvaluator e(o);
        std::vector<Design> designs;
        for (int c = 8; c < 16; ++c)
            designs.push_back(design(c));
        std::vector<QorQuery> batch;
        for (const Design& d : designs)
            batch.push_back(query(d));
        RunControl control;
        int lastDone = 0;
        const auto values = e.evaluate(batch, control, [&](int done, int total) {
            QCOMPARE(total, 8);
            lastDone = done;
        });
        QCOMPARE(lastDone, 8);
        for (const QorValue& v : values)
            QVERIFY2(v.ok() && v.qor == 0.5, v.error.c_str());
    }

    void cancelEndsRunningCommands() {
        QTemporaryDir dir;
        CommandEvaluatorOptions o;
        o.commandTemplate = "sh -c 'sleep 30; echo {out_json}'";
        o.runsDir = dir.path().toStdString();
        o.jobs = 2;
        CommandQorEvaluator e(o);
        const Design a = design(8), b = design(9), c = design(10);
        const std::vector<QorQuery> batch{query(a), query(b), query(c)};
        RunControl control;
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            control.stop();
        });
        const auto values = e.evaluate(batch, control);
        stopper.join();
        for (const QorValue& v : values)
            QCOMPARE(v.error, std::string("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestQor)
#include "test_qor.moc"
