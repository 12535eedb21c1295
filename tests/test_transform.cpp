// The low-rank transform (docs/transforms.md): on DAC-SDC network DNN-A with seeded
// weights, each decomposed layer's error equals the tail of its singular values (within
// 1e-5 relative, by an independent SVD), its MACs are the transformed graph's, layers whose
// factors cost more are reverted and listed; the CLI writes the project and its weights.
// (test_onnx_models does the same on the imported ResNet-18.)
#include "core/transform/low_rank.h"
#include "low_rank_checks.h"
#include "process_test_support.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <fstream>

using namespace codesign;
using namespace codesign::testing;

namespace {

struct Loaded {
    Project project;
    Graph graph;
    reference::WeightSet weights;
};

Loaded dnnA(bool& ok) {
    Loaded l;
    Result<Project> p = parseProject(
        readText(std::string(CODESIGN_SOURCE_DIR) + "/examples/dac19-dnn-a.yaml"), "dnn-a.yaml");
    ok = p.ok();
    if (!ok)
        return l;
    l.project = *p;
    l.graph = graphOrFail(l.project, ok);
    l.weights = reference::seededWeights(l.graph, 15);
    return l;
}

} // namespace

class TestTransform : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tailOfSingularValues() {
        const std::vector<double> s{4, 3, 0};
        QCOMPARE(transform::tailError(s, 0), 1.0);
        QCOMPARE(transform::tailError(s, 1), 0.6);
        QCOMPARE(transform::tailError(s, 2), 0.0);
    }

    // A matrix of rank 2 is reproduced exactly at rank 2.
    void exactAtItsRank() {
        const std::vector<float> w{1, 2, 3, 2, 4, 6, 0, 1, 1, 1, 3, 4}; // 4 x 3, rank 2
        const transform::Factors f = transform::factorize(w, 4, 3, 2);
        QVERIFY(f.error < 1e-7);
        QVERIFY(transform::factorize(w, 4, 3, 1).error > 0.01);
    }

    void budgetOnDnnA() {
        bool ok = false;
        const Loaded l = dnnA(ok);
        QVERIFY(ok);
        transform::LowRankOptions options;
        options.opsBudget = 0.5;
        Result<transform::LowRankResult> r =
            transform::lowRankTransform(l.project, l.graph, l.weights, options);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        int decomposed = 0;
        checkLowRank(l.graph, l.weights, *r, decomposed);
        QVERIFY(decomposed > 0);
        QVERIFY(r->macsAfter < r->macsBefore);
        for (const transform::LowRankLayer& layer : r->layers)
            qInfo("%s: rank %d of %d, error %.5f, MACs %lld -> %lld%s", layer.name.c_str(),
                  layer.rank, layer.fullRank, layer.error, static_cast<long long>(layer.macsBefore),
                  static_cast<long long>(layer.macsAfter),
                  layer.outcome == transform::LayerOutcome::Reverted ? " (reverted)" : "");
    }

    // Full rank costs more than the layer: reverted, listed, the layer left as it was.
    void fullRankReverted() {
        bool ok = false;
        const Loaded l = dnnA(ok);
        QVERIFY(ok);
        std::string pw, other;
        for (const Node& n : l.graph.nodes)
            if (n.op == Op::PwConv && n.in.c >= 32 && n.out.c >= 32) {
                (pw.empty() ? pw : other) = n.name;
                if (!other.empty())
                    break;
            }
        QVERIFY(!pw.empty() && !other.empty());
        const Node& n = l.graph.nodes[std::size_t(l.graph.findNode(pw))];
        transform::LowRankOptions options;
        options.ranks = {{pw, std::min(n.in.c, n.out.c)}, {other, 8}};
        Result<transform::LowRankResult> r =
            transform::lowRankTransform(l.project, l.graph, l.weights, options);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        QCOMPARE(r->layers.size(), std::size_t(2));
        const auto& reverted = r->layers[0].name == pw ? r->layers[0] : r->layers[1];
        const auto& kept = r->layers[0].name == pw ? r->layers[1] : r->layers[0];
        QCOMPARE(reverted.outcome, transform::LayerOutcome::Reverted);
        QVERIFY(!reverted.why.empty());
        QCOMPARE(kept.outcome, transform::LayerOutcome::Decomposed);
        QCOMPARE(kept.rank, 8);
        int decomposed = 0;
        checkLowRank(l.graph, l.weights, *r, decomposed);
        QCOMPARE(decomposed, 1);
        Result<Graph> after = buildGraph(r->project);
        QVERIFY(after.ok());
        QCOMPARE(after->nodes.size(), l.graph.nodes.size() + 1);
    }

    void badRanks() {
        bool ok = false;
        const Loaded l = dnnA(ok);
        QVERIFY(ok);
        transform::LowRankOptions options;
        options.ranks = {{"nowhere", 4}};
        Result<transform::LowRankResult> r =
            transform::lowRankTransform(l.project, l.graph, l.weights, options);
        QVERIFY(!r.ok());
        QVERIFY(r.error().format().find("'nowhere'") != std::string::npos);
        Result<std::map<std::string, int>> parsed =
            transform::parseRanks("B1.pwconv 4\nB2.pwconv four\n", "ranks.txt");
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().format().find("ranks.txt:2:") != std::string::npos,
                 parsed.error().format().c_str());
    }

    void cli() {
        QTemporaryDir dir;
        bool ok = false;
        const Loaded l = dnnA(ok);
        QVERIFY(ok);
        Project p = l.project;
        p.weights = "a.weights.bin";
        const std::string base = dir.path().toStdString();
        std::ofstream(base + "/a.yaml") << projectToYaml(p);
        std::ofstream(base + "/a.weights.bin", std::ios::binary)
            << reference::serializeWeightSet(l.weights);
        const QString cli = QStringLiteral(CODESIGN_CLI);
        const QString project = dir.filePath(QStringLiteral("a.yaml"));
        const QString out = dir.filePath(QStringLiteral("b.yaml"));
        Run run = runProgram(cli, {QStringLiteral("transform"), project,
                                   QStringLiteral("--low-rank"), QStringLiteral("--ops-budget"),
                                   QStringLiteral("0.4"), QStringLiteral("--out"), out});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.contains(QStringLiteral("MACs before")));
        QVERIFY(run.out.contains(QStringLiteral("network MACs:")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("b.weights.bin"))));
        Result<Project> written = parseProject(readText(out.toStdString()), "b.yaml");
        QVERIFY(written.ok());
        QVERIFY(buildGraph(*written).ok());
        // Refusals: exit 2 with the reason, nothing written.
        const QString other = dir.filePath(QStringLiteral("c.yaml"));
        run = runProgram(cli, {QStringLiteral("transform"), project, QStringLiteral("--low-rank"),
                               QStringLiteral("--scheme"), QStringLiteral("s2"),
                               QStringLiteral("--ops-budget"), QStringLiteral("0.5"),
                               QStringLiteral("--out"), other});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.err.contains(QStringLiteral("only s0")));
        run = runProgram(cli, {QStringLiteral("transform"), project, QStringLiteral("--low-rank"),
                               QStringLiteral("--ops-budget"), QStringLiteral("1.5"),
                               QStringLiteral("--out"), other});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(!QFile::exists(other));
    }
};

QTEST_GUILESS_MAIN(TestTransform)
#include "test_transform.moc"
