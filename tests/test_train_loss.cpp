// The detection loss's targets (train/losses.h, docs/training.md "What made the QoR fall"):
// besides the cell holding the box centre, the neighbouring cells inside the box regress the
// box and share the choice's target, peaked at the centre; cells outside get neither. And
// the choice's margin: a confidence outside the box tied with the best one inside it, as
// the map's fixed-point format makes them (docs/training.md, "Why QAT lost a third"), is
// pushed below it.
#include "core/reference/weight_set.h"
#include "test_support.h"
#include "train/loss_gradients.h"
#include "train/losses.h"
#include "train/trainer.h"

#include <ATen/ATen.h>
#include <cmath>

using namespace codesign;

namespace {

constexpr int kAnchors = 2;
constexpr int kGrid = 4;

// The loss's gradient on an all-zero 4x4 map of 2 anchors, for one box whose centre lies in
// cell (1, 1) and which covers the centres of cells (0..2, 0..2) but not row or column 3.
at::Tensor gradientOnZeroMap() {
    at::Tensor map = at::zeros({1, kAnchors * 5, kGrid, kGrid}, at::kFloat).requires_grad_();
    const at::Tensor target = at::tensor({0.1f, 0.1f, 0.65f, 0.65f}).view({1, 4});
    train::detectionLoss(map, target, kAnchors).backward();
    return map.grad().view({kAnchors, 5, kGrid, kGrid}); // anchor, (tx ty w h conf), row, col
}

// The same map and box, with the confidences after training as fixed<8,4> stores them: the
// centre cell's (1, 1) and one outside the box (3, 3) tied at 0.5, every other at -1. The
// loss's gradient on the confidences [anchor][row][col] with the trainer's default margin.
at::Tensor confidenceGradientWithTie(double margin) {
    at::Tensor map = at::zeros({1, kAnchors, 5, kGrid, kGrid}, at::kFloat);
    map.select(2, 4).fill_(-1.0);
    map[0][0][4][1][1] = 0.5;
    map[0][0][4][3][3] = 0.5;
    map = map.view({1, kAnchors * 5, kGrid, kGrid}).requires_grad_();
    const at::Tensor target = at::tensor({0.1f, 0.1f, 0.65f, 0.65f}).view({1, 4});
    train::detectionLoss(map, target, kAnchors, margin).backward();
    return map.grad().view({kAnchors, 5, kGrid, kGrid}).select(1, 4);
}

double defaultMargin() {
    bool ok = false;
    const Graph g = testing::graphOrFail(
        testing::parseOrFail(testing::projectWith("  - {op: conv, channels: 10, kernel: 1}\n"
                                                  "  - {op: bbox_head, anchors: 2}\n"),
                             ok),
        ok);
    return train::TrainOptions{}.choiceMarginSteps * train::choiceStep(g);
}

} // namespace

class TestTrainLoss : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void lossGradientsMatchFiniteDifferences();
    void neighboursInsideTheBoxRegressIt() {
        const at::Tensor g = gradientOnZeroMap();
        // Anchor 0 is responsible everywhere (all boxes are empty: the first of equals).
        auto tx = [&](int row, int col) {
            return g[0][0][row][col].item<double>();
        };
        QVERIFY(tx(1, 1) < 0); // the centre cell: tx grows towards 0.5
        QVERIFY(tx(1, 2) > 0); // the right neighbour: the centre lies to its left (tx = -0.5)
        QVERIFY(tx(2, 2) > 0);
        QVERIFY(tx(0, 0) < 0);                       // the centre lies to its right (tx = 1.5)
        QCOMPARE(tx(3, 3), 0.0);                     // outside the box
        QCOMPARE(tx(1, 3), 0.0);                     // its centre (0.875) is outside the box
        QCOMPARE(g[1][0][1][1].item<double>(), 0.0); // the other anchor is not responsible
    }

    void theChoiceTargetPeaksAtTheCentre() {
        const at::Tensor g = gradientOnZeroMap();
        auto conf = [&](int row, int col) {
            return g[0][4][row][col].item<double>();
        };
        // All confidences equal: the gradient is softmax - target. Positive cells are pushed
        // up, the centre most; every other (cell, anchor) is pushed down alike.
        QVERIFY(conf(1, 1) < conf(1, 2));
        QVERIFY(conf(1, 2) < 0);
        QVERIFY(conf(0, 0) < 0);
        QVERIFY(conf(3, 3) > 0);
        QCOMPARE(conf(3, 3), g[1][4][1][1].item<double>());
    }

    void theChoiceStepIsTheMapFormatsLsb() {
        bool ok = false;
        const std::string net = "  - {op: conv, channels: 10, kernel: 1, name: map}\n"
                                "  - {op: bbox_head, anchors: 2}\n";
        const Graph a8 =
            testing::graphOrFail(testing::parseOrFail(testing::projectWith(net), ok), ok);
        QVERIFY(ok);
        QCOMPARE(train::choiceStep(a8), 1.0 / 16); // fixed<8,4>
        std::string wide = testing::projectWith(net);
        wide.replace(wide.find("activations: 8}"), 15,
                     "activations: 8, layers: {map: {activations: \"fixed<12,3>\"}}}");
        const Graph w = testing::graphOrFail(testing::parseOrFail(wide, ok), ok);
        QVERIFY(ok);
        QCOMPARE(train::choiceStep(w), 1.0 / 512);
    }

    void aConfidenceOutsideTheBoxTiedWithTheBestIsPushedBelowIt() {
        const double margin = defaultMargin();
        QVERIFY(margin >= 1.0 / 16); // at least one step of fixed<8,4>
        const at::Tensor g = confidenceGradientWithTie(margin);
        // The hinge pushes the tied outsider down and the centre up with weight 1 each; the
        // softmax alone gives the outsider only its probability (0.115 here).
        QVERIFY(g[0][3][3].item<double>() > 0.5);
        QVERIFY(g[0][1][1].item<double>() < -0.5);
        QVERIFY(confidenceGradientWithTie(0)[0][3][3].item<double>() < 0.2);
        // Cells already a margin below the best are left to the softmax.
        QCOMPARE(g[1][3][3].item<double>(), confidenceGradientWithTie(0)[1][3][3].item<double>());
    }
};

QTEST_GUILESS_MAIN(TestTrainLoss)

// lossGradients (train/loss_gradients.h), the Taylor ranks' input, against central
// differences of the loss it reports, batch by batch: along a direction D over a layer's
// weights, <g_b, D> = (L_b(W + eD) - L_b(W - eD)) / 2e to within the differences' error. A
// small classifier on 8 synthetic images in batches of 4.
void TestTrainLoss::lossGradientsMatchFiniteDifferences() {
    bool ok = false;
    const Graph g = testing::graphOrFail(
        testing::parseOrFail(
            testing::projectWith("  - {op: conv, channels: 6, kernel: 3, padding: 1}\n"
                                 "  - {op: relu}\n"
                                 "  - {op: conv, channels: 4, kernel: 3, padding: 1}\n"
                                 "  - {op: global_avgpool}\n",
                                 "{channels: 3, height: 16, width: 16}"),
            ok),
        ok);
    QVERIFY(ok);
    train::GradientRequest request;
    request.graph = g;
    request.weights = reference::seededWeights(g, 4);
    request.data.synthetic.count = 8;
    request.batch = 4;
    int reported = 0, total = 0;
    request.progress = [&](int done, int of) {
        reported = done;
        total = of;
    };
    Result<train::LossGradients> at = train::lossGradients(request);
    QVERIFY2(at.ok(), at.ok() ? "" : at.error().format().c_str());
    QCOMPARE(reported, 2);
    QCOMPARE(total, 2);
    QCOMPARE(at->losses.size(), std::size_t(2));
    QCOMPARE(at->layers.size(), std::size_t(2)); // the two convs
    request.progress = {};
    const double eps = 1e-2;
    for (const auto& [name, perBatch] : at->layers) {
        QCOMPARE(perBatch.size(), std::size_t(2));
        const std::vector<float>& w = request.weights.find(name)->weights;
        train::GradientRequest plus = request, minus = request;
        std::vector<double> analytic(2, 0.0);
        for (std::size_t k = 0; k < w.size(); ++k) {
            const double d = std::sin(0.7 * double(k) + 1.0);
            for (std::size_t b = 0; b < 2; ++b) {
                QCOMPARE(perBatch[b].size(), w.size());
                analytic[b] += double(perBatch[b][k]) * d;
            }
            for (auto* r : {&plus, &minus})
                for (auto& l : r->weights.layers)
                    if (l.name == name)
                        l.weights[k] = float(double(w[k]) + (r == &plus ? eps : -eps) * d);
        }
        Result<train::LossGradients> up = train::lossGradients(plus);
        Result<train::LossGradients> down = train::lossGradients(minus);
        QVERIFY(up.ok() && down.ok());
        for (std::size_t b = 0; b < 2; ++b) {
            const double numeric = (up->losses[b] - down->losses[b]) / (2 * eps);
            qInfo("batch %zu, %s: loss %.6f, <g, D> %.6f, central difference %.6f", b, name.c_str(),
                  at->losses[b], analytic[b], numeric);
            QVERIFY(std::fabs(analytic[b]) > 1e-4); // the loss depends on the layer
            QVERIFY(std::fabs(numeric - analytic[b]) <= 0.02 * std::fabs(analytic[b]) + 1e-4);
        }
    }
}

#include "test_train_loss.moc"
