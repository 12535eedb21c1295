// The detection loss's targets (train/losses.h, docs/training.md "What made the QoR fall"):
// besides the cell holding the box centre, the neighbouring cells inside the box regress the
// box and share the choice's target, peaked at the centre; cells outside get neither. And
// the choice's margin: a confidence outside the box tied with the best one inside it, as
// the map's fixed-point format makes them (docs/training.md, "Why QAT lost a third"), is
// pushed below it.
#include "test_support.h"
#include "train/losses.h"
#include "train/trainer.h"

#include <ATen/ATen.h>

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
#include "test_train_loss.moc"
