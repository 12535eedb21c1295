// Quantization-aware training's fake quantization against the bit-exact fixed-point
// reference (core/reference): the same weights and input give the same outputs, within
// one LSB per value, for every layer of the vocabulary.
#include "core/reference/fixed_point.h"
#include "core/reference/reference.h"
#include "test_support.h"
#include "tied_box_map.h"
#include "train/fake_quant_inference.h"
#include "train/graph_net.h"

#include <ATen/ATen.h>
#include <array>
#include <cmath>

using namespace codesign;
using namespace codesign::testing;

namespace {

// Every op: strided and grouped conv, bn, relu6, dwconv, both fuse variants, a skip
// (add), concat, 3x3 average pooling (a reciprocal that is not a power of two), max
// pooling, reorg, upsample, bbox_head.
const char* kDetectionNetwork = R"(
  - {op: conv, kernel: 3, stride: 2, channels: 8}
  - {op: bn}
  - {op: relu6}
  - {op: dwconv, kernel: 3}
  - {op: relu, id: a}
  - {op: fuse, kernel: 3, variant: half}
  - {op: fuse, kernel: 3, variant: full}
  - {op: pwconv, channels: 8, id: b}
  - {op: add, from: b, inputs: [a]}
  - {op: conv, kernel: 3, channels: 8, groups: 2}
  - {op: concat, inputs: [a]}
  - {op: avgpool, kernel: 3, stride: 1, padding: 1}
  - {op: maxpool, kernel: 2}
  - {op: reorg, factor: 2}
  - {op: upsample, factor: 2}
  - {op: avgpool, kernel: 2}
  - {op: pwconv, channels: 10}
  - {op: bbox_head, anchors: 2}
)";

// Classification tail: global average pooling (a 36-value window) and fc.
const char* kClassifierNetwork = R"(
  - {op: conv, kernel: 5, stride: 2, padding: 2, channels: 6, bias: false}
  - {op: relu}
  - {op: global_avgpool}
  - {op: fc, channels: 4}
)";

std::string project(const std::string& network, const std::string& precision,
                    const std::string& input) {
    return "name: q\ndevice: pynq-z1\ninput: " + input + "\nprecision: " + precision +
           "\nnetwork:\n" + network + "accelerator: {arch: tiled, auto: true}\n";
}

struct Comparison {
    std::int64_t values = 0;
    std::int64_t exact = 0;
    std::int64_t maxLsb = 0;
    std::int64_t nonZero = 0;   // values that exercise the arithmetic at all
    std::int64_t saturated = 0; // at the format's largest or smallest value
    std::string worst;          // the layer with the largest difference
};

Comparison compare(const Graph& g, std::uint64_t seed) {
    const reference::WeightSet weights = reference::seededWeights(g, seed);
    const std::vector<double> input = reference::seededInput(g.input, seed);
    Result<std::vector<reference::FixedTensor>> ref =
        reference::runReference(g, weights, reference::quantizeInput(g, input));
    Result<std::vector<std::vector<double>>> fq = train::runFakeQuant(g, weights, input);
    Comparison c;
    if (!ref.ok() || !fq.ok()) {
        qWarning("%s", (!ref.ok() ? ref.error() : fq.error()).format().c_str());
        c.maxLsb = -1;
        return c;
    }
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const reference::FixedTensor& r = (*ref)[i];
        const std::vector<double>& v = (*fq)[i];
        if (v.size() != r.raw.size()) {
            c.maxLsb = -1;
            c.worst = g.nodes[i].name + " (size)";
            return c;
        }
        const int frac = reference::fracBits(r.type);
        for (std::size_t k = 0; k < v.size(); ++k) {
            const double raw = std::ldexp(v[k], frac);
            std::int64_t diff = std::llabs(std::llround(raw) - r.raw[k]);
            if (g.nodes[i].quant.overflow == Overflow::Wrap) // one step across the wrap
                diff = std::min(diff, (std::int64_t(1) << r.type.width) - diff);
            if (raw != std::round(raw))
                diff = 1 << 30; // not even on the format's grid
            ++c.values;
            c.exact += diff == 0;
            c.nonZero += r.raw[k] != 0;
            c.saturated +=
                r.raw[k] == reference::maxRaw(r.type) || r.raw[k] == reference::minRaw(r.type);
            if (diff > c.maxLsb) {
                c.maxLsb = diff;
                c.worst = g.nodes[i].name;
            }
        }
    }
    return c;
}

} // namespace

class TestTrainQuant : public QObject {
    Q_OBJECT

    void run(const char* network, const std::string& input) {
        QFETCH(QString, precision);
        bool ok = false;
        const Project p = parseOrFail(project(network, precision.toStdString(), input), ok);
        QVERIFY(ok);
        const Graph g = graphOrFail(p, ok);
        QVERIFY(ok);
        for (std::uint64_t seed : {1u, 2u, 3u}) {
            const Comparison c = compare(g, seed);
            QVERIFY2(c.maxLsb >= 0, c.worst.c_str());
            const std::string what =
                std::to_string(c.exact) + " of " + std::to_string(c.values) + " values exact (" +
                std::to_string(c.nonZero) + " non-zero, " + std::to_string(c.saturated) +
                " at a limit); largest difference " + std::to_string(c.maxLsb) + " LSB" +
                (c.worst.empty() ? "" : " at " + c.worst);
            QVERIFY2(c.maxLsb <= 1, what.c_str());
            QVERIFY2(c.nonZero > c.values / 4, what.c_str()); // not a network of zeros
            qInfo("seed %d: %s", int(seed), what.c_str());
        }
    }

    void precisions() {
        QTest::addColumn<QString>("precision");
        QTest::newRow("W8/A8") << QStringLiteral("{weights: 8, activations: 8}");
        QTest::newRow("W11/A9") << QStringLiteral("{weights: 11, activations: 9}");
        QTest::newRow("W8/A8 convergent, wrap")
            << QStringLiteral("{weights: 8, activations: 8, rounding: convergent, overflow: wrap}");
        QTest::newRow("W6/A10 truncate")
            << QStringLiteral("{weights: 6, activations: 10, rounding: truncate}");
    }

private Q_SLOTS:
    void detectionNetworkMatchesReference_data() { precisions(); }
    void detectionNetworkMatchesReference() {
        run(kDetectionNetwork, "{channels: 3, height: 16, width: 16}");
    }

    void classifierMatchesReference_data() { precisions(); }
    void classifierMatchesReference() {
        run(kClassifierNetwork, "{channels: 3, height: 12, width: 12}");
    }

    // The trainer's bbox_head decode (its metric's and runFakeQuant's) breaks a tied top
    // confidence as the reference does: the tied entry nearest the ties' centroid
    // (core/reference/bbox_choice.h), not the first tied.
    void tiedConfidencesChooseAsTheReference() {
        bool ok = false;
        const Graph g = graphOrFail(parseOrFail(tiedBoxProject(), ok), ok);
        QVERIFY(ok);
        const reference::WeightSet weights = reference::seededWeights(g, 1);
        const std::pair<std::vector<std::array<int, 3>>, std::array<int, 3>> cases[] = {
            {tiedPlateau(), {2, 3, 0}}, {tiedScattered(), {2, 4, 0}}};
        for (const auto& [tied, entry] : cases) {
            const std::vector<double> map = tiedBoxMap(tied);
            Result<std::vector<std::vector<double>>> fq = train::runFakeQuant(g, weights, map);
            QVERIFY(fq.ok());
            Result<std::vector<reference::FixedTensor>> ref =
                reference::runReference(g, weights, reference::quantizeInput(g, map));
            QVERIFY(ref.ok());
            const std::vector<double>& box = fq->back();
            QCOMPARE(chosenEntry(box), entry);
            for (std::size_t k = 0; k < 5; ++k)
                QCOMPARE(box[k], ref->back().real(k));
        }
    }

    // The diagnostics' per-layer mask (GraphNet::setQuantizedLayers): nothing quantized is
    // the float pass, everything is the fixed pass, and quantizing one layer changes the
    // output (its values are not on the format's grid in float).
    void quantizedLayersMaskSelectsLayers() {
        bool ok = false;
        const Graph g =
            graphOrFail(parseOrFail(project(kClassifierNetwork, "{weights: 8, activations: 8}",
                                            "{channels: 3, height: 12, width: 12}"),
                                    ok),
                        ok);
        QVERIFY(ok);
        train::GraphNet net(g);
        QVERIFY(net.setWeights(reference::seededWeights(g, 3)).ok());
        const std::vector<double> seeded = reference::seededInput(g.input, 3);
        const at::Tensor x = at::tensor(seeded).to(at::kFloat).view({1, 3, 12, 12});
        at::NoGradGuard noGrad;
        const at::Tensor full = net.forward(x, train::Precision::Fixed);
        const at::Tensor plain = net.forward(x, train::Precision::Float);
        QVERIFY(!at::equal(full, plain));
        net.setQuantizedLayers(std::vector<bool>(g.nodes.size(), false), false);
        QVERIFY(at::equal(net.forward(x, train::Precision::Fixed), plain));
        std::vector<bool> first(g.nodes.size(), false);
        first[0] = true;
        net.setQuantizedLayers(first, false);
        const at::Tensor one = net.forward(x, train::Precision::Fixed);
        QVERIFY(!at::equal(one, plain));
        QVERIFY(!at::equal(one, full));
        net.setQuantizedLayers({}, true);
        QVERIFY(at::equal(net.forward(x, train::Precision::Fixed), full));
    }

    void inputSizeIsChecked() {
        bool ok = false;
        const Graph g =
            graphOrFail(parseOrFail(project(kClassifierNetwork, "{weights: 8, activations: 8}",
                                            "{channels: 3, height: 12, width: 12}"),
                                    ok),
                        ok);
        QVERIFY(ok);
        const std::vector<double> input(10, 0.5);
        QVERIFY(!train::runFakeQuant(g, reference::seededWeights(g, 1), input).ok());
        reference::WeightSet none;
        QVERIFY(!train::runFakeQuant(g, none, reference::seededInput(g.input, 1)).ok());
    }
};

QTEST_GUILESS_MAIN(TestTrainQuant)
#include "test_train_quant.moc"
