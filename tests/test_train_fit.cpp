// Fast training on the synthetic set: a detector learns to localize (the acceptance test
// of the trainer), a classifier trains, distillation, cancellation and bad input.
#include "test_support.h"
#include "train/sample_set.h"
#include "train/trainer.h"

#include <cmath>

using namespace codesign;
using namespace codesign::testing;
using namespace codesign::train;

namespace {

const char* kBundles = R"(bundles:
  dw_pw_pool:
    - {op: dwconv, kernel: 3}
    - {op: relu}
    - {op: pwconv}
    - {op: relu}
    - {op: maxpool, kernel: 2}
)";

// A small DW3+PW1 detector (DNN-A's bundle, four downsamplings: a 4x8 grid at 64x128).
const char* kDetector = R"(  - {op: conv, kernel: 3, channels: 16}
  - {op: relu}
  - {op: maxpool, kernel: 2}
  - {bundle: dw_pw_pool, channels: 32}
  - {bundle: dw_pw_pool, channels: 64}
  - {bundle: dw_pw_pool, channels: 128}
  - {op: pwconv, channels: 10}
  - {op: bbox_head, anchors: 2}
)";

Graph graphOf(const std::string& network, const std::string& input, bool& ok) {
    const Project p = parseOrFail(projectWith(network, input, kBundles), ok);
    return ok ? graphOrFail(p, ok) : Graph{};
}

SampleSet synthetic(int count, const Shape& input) {
    SyntheticSpec spec;
    spec.count = count;
    RunControl control;
    Result<SampleSet> set = syntheticSamples(spec, input, control);
    return set.ok() ? std::move(set).value() : SampleSet{};
}

// The IoU of the best box that ignores the image: the mean box of the set, scored on the
// set itself (an upper bound for any constant prediction of the validation boxes).
double constantBoxIou(const SampleSet& set) {
    Box mean;
    for (const Box& b : set.boxes) {
        mean.x1 += b.x1 / double(set.size());
        mean.y1 += b.y1 / double(set.size());
        mean.x2 += b.x2 / double(set.size());
        mean.y2 += b.y2 / double(set.size());
    }
    double sum = 0;
    for (const Box& b : set.boxes)
        sum += boxIou(mean, b);
    return sum / double(set.size());
}

} // namespace

class TestTrainFit : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void detectorLearnsToLocalize() {
        bool ok = false;
        const Graph g = graphOf(kDetector, "{channels: 3, height: 64, width: 128}", ok);
        QVERIFY(ok);
        const SampleSet data = synthetic(256, g.input);
        QCOMPARE(data.size(), std::size_t(256));
        TrainOptions o;
        o.epochs = 20;
        o.qatEpochs = 2;
        o.batch = 8;
        o.learningRate = 3e-3;
        RunControl control;
        int epochEnds = 0;
        Result<TrainResult> r = trainNetwork(
            g, data, o, control, [&](const TrainProgress& p) { epochEnds += p.batch == 0; });
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        const double baseline = constantBoxIou(data);
        qInfo("validation IoU %.3f at W8/A8 (float %.3f, untrained %.3f, constant box %.3f), "
              "%.0f images/s",
              r->metric, r->metricFloat, r->metricUntrained, baseline, r->imagesPerSecond);
        QCOMPARE(r->task, TrainTask::Detection);
        QVERIFY(r->quantized);
        QCOMPARE(r->trainImages + r->validationImages, std::size_t(256));
        QCOMPARE(r->validationImages, std::size_t(51));
        QCOMPARE(epochEnds, 22);
        QCOMPARE(r->history.size(), std::size_t(22));
        // The margins. Untrained, the network picks an arbitrary cell and box: IoU near 0
        // for this seed (up to 0.17 for others). Training must add at least 0.15 to that,
        // and beat by 0.1 the best box that ignores the pixels (the set's mean box, 0.11),
        // so that the gain is localisation, not the prior. Measured for this seed: 0.51
        // (float 0.50; with the centre-only loss 0.41, float 0.45); seeds 2-4 of the initial
        // weights and split gave 0.29-0.36 with 15
        // epochs. The 51 validation images leave the mean uncertain by about +-0.04.
        QVERIFY(r->metric >= r->metricUntrained + 0.15);
        QVERIFY(r->metric >= baseline + 0.1);
        // QAT at W8/A8 (box quantized to 1/16 of the image) costs a few points at most.
        QVERIFY(r->metric >= r->metricFloat - 0.1);
        QCOMPARE(r->weights.origin, std::string("trained"));
        QVERIFY(reference::checkWeightsFit(r->weights, g).ok());
        QVERIFY(r->imagesPerSecond > 0);
        // The weights reproduce the measurement.
        Result<double> again = evaluateNetwork(g, r->weights, data, true);
        QVERIFY(again.ok());
        QVERIFY(*again > baseline + 0.1);
    }

    void classifierTrains() {
        bool ok = false;
        const Graph g = graphOf(R"(  - {op: conv, kernel: 3, channels: 16}
  - {op: relu}
  - {op: maxpool, kernel: 2}
  - {bundle: dw_pw_pool, channels: 32}
  - {op: global_avgpool}
  - {op: fc, channels: 4}
)",
                                "{channels: 3, height: 32, width: 64}", ok);
        QVERIFY(ok);
        QCOMPARE(*taskOf(g), TrainTask::Classification);
        TrainOptions o;
        o.epochs = 4;
        o.qatEpochs = 1;
        o.batch = 16;
        o.learningRate = 1e-2;
        RunControl control;
        Result<TrainResult> r = trainNetwork(g, synthetic(128, g.input), o, control);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        QCOMPARE(std::string(metricName(r->task)), std::string("accuracy"));
        QVERIFY(r->metric >= 0 && r->metric <= 1);
        // The shape classes are learnt slowly; what is checked is that the loss falls.
        QVERIFY(r->history.back().loss < r->history.front().loss);
        QCOMPARE(r->history.back().phase, std::string("qat"));
    }

    void distillationTrainsTheTeacherFirst() {
        bool ok = false;
        const std::string input = "{channels: 3, height: 32, width: 64}";
        const Graph teacher = graphOf(R"(  - {op: conv, kernel: 3, stride: 2, channels: 8}
  - {op: dwconv, kernel: 3}
  - {op: relu}
  - {op: pwconv, channels: 16}
  - {op: maxpool, kernel: 2}
  - {op: pwconv, channels: 10}
  - {op: bbox_head, anchors: 2}
)",
                                      input, ok);
        QVERIFY(ok);
        const Graph student = graphOf(R"(  - {op: conv, kernel: 3, stride: 2, channels: 8}
  - {op: fuse, kernel: 3}
  - {op: relu}
  - {op: pwconv, channels: 16}
  - {op: maxpool, kernel: 2}
  - {op: pwconv, channels: 10}
  - {op: bbox_head, anchors: 2}
)",
                                      input, ok);
        QVERIFY(ok);
        TrainOptions o;
        o.epochs = 2;
        o.qatEpochs = 0;
        o.batch = 16;
        o.teacher = TeacherSpec{teacher, std::nullopt, 0.5, 4};
        RunControl control;
        const SampleSet data = synthetic(64, student.input);
        Result<TrainResult> r = trainNetwork(student, data, o, control);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        QCOMPARE(r->history.size(), std::size_t(4));
        QCOMPARE(r->history[0].phase, std::string("teacher"));
        QCOMPARE(r->history[2].phase, std::string("float"));
        QVERIFY(!r->quantized);
        QVERIFY(reference::checkWeightsFit(r->weights, student).ok());

        // Given teacher weights, the teacher is not trained again.
        o.teacher->weights = reference::seededWeights(teacher, 9);
        r = trainNetwork(student, data, o, control);
        QVERIFY(r.ok());
        QCOMPARE(r->history.size(), std::size_t(2));

        // A teacher with another output shape cannot teach.
        const Graph other = graphOf(R"(  - {op: conv, kernel: 3, stride: 2, channels: 8}
  - {op: pwconv, channels: 10}
  - {op: bbox_head, anchors: 2}
)",
                                    input, ok);
        QVERIFY(ok);
        o.teacher = TeacherSpec{other, std::nullopt, 0.5, 4};
        r = trainNetwork(student, data, o, control);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("distillation needs the same") != std::string::npos);
    }

    void cancelStopsBetweenBatches() {
        bool ok = false;
        const Graph g = graphOf(kDetector, "{channels: 3, height: 64, width: 128}", ok);
        QVERIFY(ok);
        TrainOptions o;
        o.epochs = 50;
        o.batch = 8;
        RunControl control;
        int batches = 0;
        Result<TrainResult> r =
            trainNetwork(g, synthetic(64, g.input), o, control, [&](const TrainProgress& p) {
                if (p.batch > 0 && ++batches == 3)
                    control.stop();
            });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, std::string("cancelled"));
        QCOMPARE(batches, 3);
    }

    void badInputIsReported() {
        bool ok = false;
        const Graph map = graphOf("  - {op: conv, kernel: 3, channels: 4}\n",
                                  "{channels: 3, height: 16, width: 16}", ok);
        QVERIFY(ok);
        Result<TrainTask> task = taskOf(map);
        QVERIFY(!task.ok());
        QVERIFY(task.error().message.find("bbox_head") != std::string::npos);

        const Graph g = graphOf(kDetector, "{channels: 3, height: 64, width: 128}", ok);
        RunControl control;
        TrainOptions o;
        Result<TrainResult> wrongSize = trainNetwork(g, synthetic(8, Shape{3, 32, 64}), o, control);
        QVERIFY(!wrongSize.ok());
        QVERIFY(wrongSize.error().message.find("3x32x64") != std::string::npos);
        Result<TrainResult> tooFew = trainNetwork(g, synthetic(1, g.input), o, control);
        QVERIFY(!tooFew.ok());
        o.validationFraction = 1.5;
        QVERIFY(!trainNetwork(g, synthetic(8, g.input), o, control).ok());
    }
};

QTEST_GUILESS_MAIN(TestTrainFit)
#include "test_train_fit.moc"
