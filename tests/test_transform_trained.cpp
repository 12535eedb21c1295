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

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cmath>
#include <fstream>

using namespace codesign;
using namespace codesign::testing;

namespace {

const std::string kDnnA = std::string(CODESIGN_SOURCE_DIR) + "/examples/dac19-dnn-a.yaml";

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
};

QTEST_GUILESS_MAIN(TestTransformTrained)
#include "test_transform_trained.moc"
