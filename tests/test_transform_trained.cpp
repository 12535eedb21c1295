// The low-rank transform on a trained DAC-SDC network (issue 15, acceptance): the test trains
// DNN-A briefly with `codesign train` (64 synthetic images, three float epochs, half
// resolution, about half a minute: the conv weights' shapes do not depend on the resolution),
// then decomposes it. Each layer's error equals the tail of its singular values (an independent
// SVD, within 1e-5 relative), its MACs before and after are pinned against the layer's shapes, the
// reverted layers are listed; the CLI reports the same. Skipped, with the reason, when this
// build has no trainer (libtorch).
#include "core/transform/low_rank.h"
#include "low_rank_checks.h"
#include "process_test_support.h"
#include "test_support.h"

#ifdef CODESIGN_HAVE_TRAINER
#include "train/loss_gradients.h"
#include "train/train_plugin.h"
#endif

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>
#include <fstream>

using namespace codesign;
using namespace codesign::testing;

namespace {

const std::string kDnnA = std::string(CODESIGN_SOURCE_DIR) + "/examples/dac19-dnn-a.yaml";

// A report's table (cmd_transform_low_rank.cpp): layer -> rank (0: left whole), importance,
// MACs before and after.
struct ReportRow {
    int rank = 0;
    double importance = 0;
    long long macsBefore = 0, macsAfter = 0;
};

std::map<std::string, ReportRow> reportRows(const QString& out, const Graph& g) {
    std::map<std::string, ReportRow> rows;
    const bool taylor = out.contains(QStringLiteral("ranks: taylor importance"));
    for (const QString& line : out.split(QLatin1Char('\n'))) {
        const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() < 7 || g.findNode(f[0].toStdString()) < 0)
            continue;
        ReportRow r;
        const bool whole = f.last() == QStringLiteral("reverted");
        r.rank = whole ? 0 : f[2].toInt();
        const int macs = taylor ? 6 : 5;
        r.importance = taylor ? f[5].toDouble() : 0;
        r.macsBefore = f[macs].toLongLong();
        r.macsAfter = f[macs + 1].toLongLong();
        rows[f[0].toStdString()] = r;
    }
    return rows;
}

// Two layers of rank r: HW r (C Kh Kw + F); the layer: HW F C Kh Kw.
std::int64_t factoredMacs(const Node& n, int rank) {
    return std::int64_t(n.out.h) * n.out.w * rank *
           (std::int64_t(n.in.c) * n.kernelH * n.kernelW + n.out.c);
}

} // namespace

class TestTransformTrained : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string weightsPath_;

private Q_SLOTS:
    void initTestCase() {
#ifndef CODESIGN_HAVE_TRAINER
        QSKIP("this build has no trainer (configured without libtorch): the trained DAC-SDC "
              "network cannot be made");
#endif
        QVERIFY(dir_.isValid());
        weightsPath_ = dir_.filePath(QStringLiteral("dnn-a.trained.bin")).toStdString();
        const Run run = runProgram(
            QStringLiteral(CODESIGN_CLI),
            {QStringLiteral("train"), QString::fromStdString(kDnnA), QStringLiteral("--synthetic"),
             QStringLiteral("64"), QStringLiteral("--epochs"), QStringLiteral("3"),
             QStringLiteral("--qat-epochs"), QStringLiteral("0"), QStringLiteral("--resolution"),
             QStringLiteral("0.5"), QStringLiteral("--seed"), QStringLiteral("3"),
             QStringLiteral("--json"), QStringLiteral("--out"),
             QString::fromStdString(weightsPath_)});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QJsonObject json = QJsonDocument::fromJson(run.out.toUtf8()).object();
        QCOMPARE(json[QStringLiteral("weights")].toString().toStdString(), weightsPath_);
        const double iou = json[QStringLiteral("iou")].toDouble();
        const double untrained = json[QStringLiteral("iou_untrained")].toDouble();
        qInfo("trained DNN-A: validation IoU %.4f (untrained %.4f)", iou, untrained);
        QVERIFY(iou > untrained); // it learnt (measured: 0.134 against 0.006)
    }

    // The core function on the trained weights: errors against the singular values' tail,
    // MACs per layer against the shapes, the full-rank layer reverted and listed.
    void trainedDnnA() {
        Result<reference::WeightSet> weights = reference::readWeightSetFile(weightsPath_);
        QVERIFY2(weights.ok(), weights.ok() ? "" : weights.error().format().c_str());
        QCOMPARE(weights->origin, std::string("trained"));
        Result<Project> p = parseProject(readText(kDnnA), "dnn-a.yaml");
        QVERIFY(p.ok());
        bool ok = false;
        const Graph g = graphOrFail(*p, ok);
        QVERIFY(ok);
        QVERIFY(reference::checkWeightsFit(*weights, g).ok());
        // Training moved every conv away from its initial weights (the trainer starts from
        // seededWeights with --seed).
        const reference::WeightSet initial = reference::seededWeights(g, 3);
        for (const Node& n : g.nodes)
            if (n.op == Op::PwConv) {
                const auto& a = weights->find(n.name)->weights;
                const auto& b = initial.find(n.name)->weights;
                QCOMPARE(a.size(), b.size());
                double moved = 0, norm = 0;
                for (std::size_t k = 0; k < a.size(); ++k) {
                    moved += double(a[k] - b[k]) * double(a[k] - b[k]);
                    norm += double(b[k]) * double(b[k]);
                }
                qInfo("%s: trained weights moved %.2f %% from the initial ones", n.name.c_str(),
                      100 * std::sqrt(moved / norm));
                QVERIFY(moved > 0);
            }
        // Every pwconv at a quarter of its full rank, the head at full rank (reverted).
        transform::LowRankOptions options;
        std::map<std::string, int> expectedRank;
        std::string head;
        for (const Node& n : g.nodes)
            if (n.op == Op::PwConv) {
                const int full = std::min(n.in.c, n.out.c);
                const bool isHead = n.out.c == 10;
                expectedRank[n.name] = isHead ? full : std::max(1, full / 4);
                if (isHead)
                    head = n.name;
            }
        QCOMPARE(expectedRank.size(), std::size_t(5));
        options.ranks = expectedRank;
        Result<transform::LowRankResult> r = transform::lowRankTransform(*p, g, *weights, options);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        int decomposed = 0;
        checkLowRank(g, *weights, *r, decomposed);
        QCOMPARE(decomposed, 4);
        for (const transform::LowRankLayer& l : r->layers) {
            const Node& n = g.nodes[std::size_t(g.findNode(l.name))];
            QCOMPARE(l.rank, expectedRank.at(l.name));
            QCOMPARE(l.macsBefore,
                     std::int64_t(n.out.h) * n.out.w * n.out.c * n.in.c * n.kernelH * n.kernelW);
            const bool reverted = l.outcome == transform::LayerOutcome::Reverted;
            QCOMPARE(reverted, l.name == head);
            QCOMPARE(l.macsAfter, reverted ? l.macsBefore : factoredMacs(n, l.rank));
            if (!reverted)
                QVERIFY2(l.error > 0 && l.error < 1, l.name.c_str());
            qInfo("%s: rank %d of %d, error %.6f, MACs %lld -> %lld%s", l.name.c_str(), l.rank,
                  l.fullRank, l.error, static_cast<long long>(l.macsBefore),
                  static_cast<long long>(l.macsAfter), reverted ? " (reverted)" : "");
        }
        qInfo("network MACs %lld -> %lld", static_cast<long long>(r->macsBefore),
              static_cast<long long>(r->macsAfter));
    }

    // The command as a user runs it on the trained weights: the report and the new project.
    void cliOnTrainedWeights() {
        const QString out = dir_.filePath(QStringLiteral("dnn-a-lr.yaml"));
        const Run run =
            runProgram(QStringLiteral(CODESIGN_CLI),
                       {QStringLiteral("transform"), QString::fromStdString(kDnnA),
                        QStringLiteral("--low-rank"), QStringLiteral("--ops-budget"),
                        QStringLiteral("0.5"), QStringLiteral("--weights"),
                        QString::fromStdString(weightsPath_), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("MACs before")));
        QVERIFY(run.out.contains(QStringLiteral("network MACs:")));
        QVERIFY(QFile::exists(dir_.filePath(QStringLiteral("dnn-a-lr.weights.bin"))));
        qInfo("%s", qPrintable(run.out));
        Result<Project> written = parseProject(readText(out.toStdString()), "dnn-a-lr.yaml");
        QVERIFY(written.ok());
        QVERIFY(buildGraph(*written).ok());
    }

    // Taylor ranks (issue 15): `--synthetic 16` takes the loss gradients of the trained
    // network from the trainer's plugin. The ranks are those the core chooses from the
    // plugin's gradients (fetched here the same way), they differ from the per-layer budget
    // rule's, and the layers' MACs stay within the joint budget. Judged by MACs (--by-macs)
    // so that no revert by cycles moves the MACs after the choice.
    void taylorRanksFromSyntheticData() {
#ifdef CODESIGN_HAVE_TRAINER
        Result<Project> p = parseProject(readText(kDnnA), "dnn-a.yaml");
        QVERIFY(p.ok());
        bool ok = false;
        const Graph g = graphOrFail(*p, ok);
        QVERIFY(ok);
        const auto run = [&](bool taylor) {
            QStringList args{QStringLiteral("transform"),
                             QString::fromStdString(kDnnA),
                             QStringLiteral("--low-rank"),
                             QStringLiteral("--scheme"),
                             QStringLiteral("s1"),
                             QStringLiteral("--ops-budget"),
                             QStringLiteral("0.3"),
                             QStringLiteral("--by-macs"),
                             QStringLiteral("--weights"),
                             QString::fromStdString(weightsPath_),
                             QStringLiteral("--force"),
                             QStringLiteral("--out"),
                             dir_.filePath(taylor ? QStringLiteral("taylor.yaml")
                                                  : QStringLiteral("budget.yaml"))};
            if (taylor)
                args << QStringLiteral("--synthetic") << QStringLiteral("16");
            return runProgram(QStringLiteral(CODESIGN_CLI), args);
        };
        const Run taylor = run(true), budget = run(false);
        QVERIFY2(taylor.exitCode == 0, qPrintable(taylor.err));
        QVERIFY2(budget.exitCode == 0, qPrintable(budget.err));
        qInfo("%s", qPrintable(taylor.out));
        QVERIFY(taylor.out.contains(QStringLiteral("ranks: taylor importance")));
        QVERIFY(budget.out.contains(QStringLiteral("ranks: budget per layer")));
        QVERIFY(taylor.err.contains(QStringLiteral("batch 2 of 2"))); // progress on stderr
        const auto t = reportRows(taylor.out, g), b = reportRows(budget.out, g);
        std::size_t decomposable = 0; // convs with one group and pwconvs
        for (const Node& n : g.nodes)
            decomposable += (n.op == Op::Conv && n.groups == 1) || n.op == Op::PwConv ? 1 : 0;
        QCOMPARE(t.size(), decomposable);
        QCOMPARE(b.size(), t.size());

        // The same gradients, through the plugin, into the core.
        Result<const train::TrainPlugin*> plugin = train::loadTrainPlugin();
        QVERIFY2(plugin.ok(), plugin.ok() ? "" : plugin.error().format().c_str());
        train::GradientRequest request;
        request.graph = g;
        Result<reference::WeightSet> weights = reference::readWeightSetFile(weightsPath_);
        QVERIFY(weights.ok());
        request.weights = *weights;
        request.data.synthetic.count = 16;
        request.data.maxImages = 16;
        Result<train::LossGradients> gradients = (*plugin)->lossGradients(request);
        QVERIFY2(gradients.ok(), gradients.ok() ? "" : gradients.error().format().c_str());
        transform::LowRankOptions options;
        options.scheme = "s1";
        options.opsBudget = 0.3;
        options.gradients = &gradients->layers;
        Result<transform::LowRankResult> core =
            transform::lowRankTransform(*p, g, *weights, options);
        QVERIFY2(core.ok(), core.ok() ? "" : core.error().format().c_str());

        long long before = 0, after = 0;
        int differ = 0;
        for (const transform::LowRankLayer& l : core->layers) {
            const ReportRow& row = t.at(l.name);
            const bool whole = l.outcome == transform::LayerOutcome::Reverted;
            QCOMPARE(row.rank, whole ? 0 : l.rank);
            QVERIFY(std::fabs(row.importance - l.importance) <= 1e-3 * (1 + l.importance));
            QCOMPARE(row.macsAfter, static_cast<long long>(l.macsAfter));
            before += row.macsBefore;
            after += row.macsAfter;
            differ += row.rank != b.at(l.name).rank ? 1 : 0;
            qInfo("%s: taylor rank %d (importance %.4g), budget rule rank %d", l.name.c_str(),
                  row.rank, row.importance, b.at(l.name).rank);
        }
        QVERIFY2(differ > 0, "the gradients chose the per-layer rule's ranks everywhere");
        QVERIFY(after <= static_cast<long long>(std::floor(0.3 * double(before))));
        QCOMPARE(after, static_cast<long long>(core->chosenMacs));
#else
        QSKIP("this build has no trainer");
#endif
    }

    // Bad input to the Taylor ranks: exit 2, a message naming the cause, nothing written.
    void taylorBadInput() {
        const QString out = dir_.filePath(QStringLiteral("bad.yaml"));
        const QStringList common{QStringLiteral("transform"),
                                 QString::fromStdString(kDnnA),
                                 QStringLiteral("--low-rank"),
                                 QStringLiteral("--weights"),
                                 QString::fromStdString(weightsPath_),
                                 QStringLiteral("--out"),
                                 out};
        const QString missing = dir_.filePath(QStringLiteral("no-such-folder"));
        const std::vector<std::pair<QStringList, QString>> cases{
            {{QStringLiteral("--ops-budget"), QStringLiteral("0.5"), QStringLiteral("--data"),
              missing},
             missing},
            {{QStringLiteral("--ops-budget"), QStringLiteral("0.5"), QStringLiteral("--synthetic"),
              QStringLiteral("0")},
             QStringLiteral("--synthetic")},
            {{QStringLiteral("--ops-budget"), QStringLiteral("0.5"), QStringLiteral("--synthetic"),
              QStringLiteral("4"), QStringLiteral("--data"), missing},
             QStringLiteral("not both")},
            {{QStringLiteral("--ranks"), QStringLiteral("r.txt"), QStringLiteral("--synthetic"),
              QStringLiteral("4")},
             QStringLiteral("--ops-budget")},
        };
        for (const auto& [extra, expected] : cases) {
            const Run run = runProgram(QStringLiteral(CODESIGN_CLI), common + extra);
            QVERIFY2(run.exitCode == 2,
                     qPrintable(extra.join(QLatin1Char(0x20)) + QStringLiteral(": ") + run.err));
            QVERIFY2(run.err.contains(expected), qPrintable(run.err));
            QVERIFY(!QFile::exists(out));
        }
    }
};

QTEST_GUILESS_MAIN(TestTransformTrained)
#include "test_transform_trained.moc"
