// The detection loss's targets (train/losses.h, docs/training.md "What made the QoR fall"):
// besides the cell holding the box centre, the neighbouring cells inside the box regress the
// box and share the choice's target, peaked at the centre; cells outside get neither.
#include "test_support.h"
#include "train/losses.h"

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
};

QTEST_GUILESS_MAIN(TestTrainLoss)
#include "test_train_loss.moc"
