// ONNX import of real networks (issue 15, docs/import.md): the models that
// tests/onnx/make_models.py writes with PyTorch (torchvision's mobilenet_v2, resnet18,
// squeezenet1_1, shufflenet_v2_x0_5, mobilenet_v3_small, efficientnet_b0 at 224x224, a small
// YOLO-like net, ResNet-18 with its batch norms as nodes). Each imports; its MACs and
// parameters equal what torch counts; the fixed-point reference at 16 bits gives the float
// model's top-1 class on 20 random inputs and its outputs within the quantization error;
// the ONNX the export writes imports back to the same project and weights.
#include "core/reference/reference.h"
#include "hls_export/onnx_writer.h"
#include "low_rank_checks.h"
#include "model_io/model_reader.h"
#include "model_io/onnx/onnx_reader.h"
#include "test_support.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <thread>

using namespace codesign;
using namespace codesign::testing;

namespace {

const std::string kModels = CODESIGN_ONNX_MODELS;

struct Reference {
    QJsonObject info;
    std::vector<float> inputs;  // info.inputs images, C x H x W each
    std::vector<float> outputs; // info.inputs x info.outputs
};

std::vector<float> readFloats(const std::string& path) {
    const std::string bytes = readText(path);
    std::vector<float> v(bytes.size() / 4);
    std::memcpy(v.data(), bytes.data(), v.size() * 4);
    return v;
}

bool haveModels() {
    return std::filesystem::exists(kModels + "/stamp");
}

Reference referenceOf(const std::string& name) {
    Reference r;
    r.info =
        QJsonDocument::fromJson(QByteArray::fromStdString(readText(kModels + "/" + name + ".json")))
            .object();
    r.inputs = readFloats(kModels + "/" + name + ".inputs.bin");
    r.outputs = readFloats(kModels + "/" + name + ".outputs.bin");
    return r;
}

// Each model is imported once per run (the larger ones take a second to parse).
const modelio::ImportedModel* imported(const std::string& name) {
    static std::map<std::string, std::optional<modelio::ImportedModel>> cache;
    auto it = cache.find(name);
    if (it == cache.end()) {
        modelio::ImportOptions options;
        options.weightsFile = name + ".weights.bin";
        modelio::ImportResult r = modelio::importModel(kModels + "/" + name + ".onnx", options);
        if (!r.ok())
            qWarning("%s", r.error.format().c_str());
        it = cache.emplace(name, std::move(r.model)).first;
    }
    return it->second ? &*it->second : nullptr;
}

// Integer bits (sign included) of a format that holds `largest` times `headroom`.
int integerBitsFor(double largest, double headroom) {
    const double range = std::max(largest * headroom, 1e-9);
    return std::clamp(static_cast<int>(std::ceil(std::log2(range))) + 1, 1, 15);
}

// Per-layer 16-bit formats, as a quantization flow profiles them: each layer's weights
// by their largest magnitude (biases have a format of their own, reference::biasFormat; a
// kept bn's shift shares its scale's), its activations by their largest magnitude on a calibration
// image (not one of the test inputs) run through the reference at 24 bits, with half as
// much again for other inputs.
void calibrateFormats(Graph& g, const reference::WeightSet& weights) {
    for (const reference::LayerWeights& lw : weights.layers) {
        double largest = 0;
        for (float v : lw.weights)
            largest = std::max(largest, double(std::fabs(v)));
        const int i = g.findNode(lw.name);
        QVERIFY(i >= 0);
        if (g.nodes[std::size_t(i)].op == Op::Bn)
            for (float v : lw.bias)
                largest = std::max(largest, double(std::fabs(v)));
        g.nodes[std::size_t(i)].weights = FixedType{16, integerBitsFor(largest, 1.0)};
    }
    Graph wide = g;
    for (Node& n : wide.nodes) {
        n.activations = FixedType{24, 10};
        n.weights = FixedType{24, 6};
    }
    std::mt19937 random(7);
    std::vector<double> image(std::size_t(g.input.elements()));
    for (double& v : image)
        v = double(random() % 256) / 256;
    QVERIFY(reference::checkReferenceLimits(wide).ok());
    const std::vector<reference::FixedTensor> outs = reference::runReference(
        wide, reference::quantizeWeights(wide, weights), reference::quantizeInput(wide, image));
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        double largest = 0;
        for (std::size_t k = 0; k < outs[i].raw.size(); ++k)
            largest = std::max(largest, std::fabs(outs[i].real(k)));
        g.nodes[i].activations = FixedType{16, integerBitsFor(largest, 1.5)};
    }
}

void addModels() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<bool>("classifier");
    for (const char* m : {"mobilenet_v2", "resnet18", "squeezenet1_1", "shufflenet_v2_x0_5",
                          "mobilenet_v3_small", "efficientnet_b0"})
        QTest::newRow(m) << QString::fromUtf8(m) << true;
    QTest::newRow("tiny_yolo") << QStringLiteral("tiny_yolo") << false;
}

void addModelsWithBatchNorms() {
    addModels();
    QTest::newRow("resnet18_bn") << QStringLiteral("resnet18_bn") << true;
}

} // namespace

class TestOnnxModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        if (!haveModels())
            QSKIP("no generated models: /usr/bin/python3 lacks torch, torchvision or onnx "
                  "(apt-get install python3-torch python3-torchvision python3-onnx), so the "
                  "test onnx_models_generate made none");
    }

    void countsEqualTorch_data() { addModelsWithBatchNorms(); }
    void countsEqualTorch() {
        QFETCH(QString, model);
        const Reference ref = referenceOf(model.toStdString());
        const modelio::ImportedModel* m = imported(model.toStdString());
        QVERIFY(m);
        // The script counts with torch: MACs by forward hooks, parameters as torchvision
        // does, less one per channel of each batch norm folded into the conv before it.
        QCOMPARE(m->report.macs, ref.info[QStringLiteral("macs")].toInteger());
        QCOMPARE(m->report.params, ref.info[QStringLiteral("params_folded")].toInteger());
        bool ok = false;
        const Graph g = graphOrFail(m->project, ok);
        QVERIFY(ok);
        QCOMPARE(g.totalMacs, ref.info[QStringLiteral("macs")].toInteger());
        QCOMPARE(g.totalParams, ref.info[QStringLiteral("params_folded")].toInteger());
        // The project reads back as written, and every weighted layer has its weights.
        Result<Project> again = parseProject(projectToYaml(m->project), "again.yaml");
        QVERIFY(again.ok());
        QVERIFY(*again == m->project);
        QVERIFY(reference::checkWeightsFit(m->weights, g).ok());
        QVERIFY(!m->project.bundles.empty());
    }

    // ResNet-18 exported with its batch norms as nodes: the reader's folding gives the
    // network and, to float rounding, the weights of torch's own folding.
    void batchNormsFoldLikeTorch() {
        const modelio::ImportedModel* folded = imported("resnet18");
        const modelio::ImportedModel* kept = imported("resnet18_bn");
        QVERIFY(folded && kept);
        QCOMPARE(kept->project.network, folded->project.network);
        QCOMPARE(kept->project.bundles, folded->project.bundles);
        QCOMPARE(kept->report.foldedBatchNorms, 20);
        QCOMPARE(kept->weights.layers.size(), folded->weights.layers.size());
        double worst = 0;
        for (std::size_t i = 0; i < kept->weights.layers.size(); ++i) {
            const reference::LayerWeights& a = kept->weights.layers[i];
            const reference::LayerWeights& b = folded->weights.layers[i];
            QCOMPARE(a.name, b.name);
            QCOMPARE(a.weights.size(), b.weights.size());
            QCOMPARE(a.bias.size(), b.bias.size());
            for (std::size_t k = 0; k < a.weights.size(); ++k)
                worst = std::max(worst, std::fabs(double(a.weights[k]) - double(b.weights[k])) /
                                            std::max(1.0, std::fabs(double(b.weights[k]))));
            for (std::size_t k = 0; k < a.bias.size(); ++k)
                worst = std::max(worst, std::fabs(double(a.bias[k]) - double(b.bias[k])) /
                                            std::max(1.0, std::fabs(double(b.bias[k]))));
        }
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
    }

    // The low-rank transform on the imported ResNet-18 (docs/transforms.md): the stem, a
    // 3x3 conv of each stage and a downsampling 1x1 at full rank (reverted).
    void lowRankOnResnet18() {
        const modelio::ImportedModel* m = imported("resnet18");
        QVERIFY(m);
        bool ok = false;
        const Graph g = graphOrFail(m->project, ok);
        QVERIFY(ok);
        transform::LowRankOptions options;
        options.ranks = {{"B1.conv", 16},
                         {"B2.conv_2", 24},
                         {"B5.conv", 48},
                         {"B8.conv_2", 128},
                         {"B4.pwconv", 64}};
        Result<transform::LowRankResult> r =
            transform::lowRankTransform(m->project, g, m->weights, options);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        int decomposed = 0;
        checkLowRank(g, m->weights, *r, decomposed);
        QCOMPARE(decomposed, 4);
        for (const transform::LowRankLayer& l : r->layers) {
            qInfo("%s: rank %d of %d, error %.5f, MACs %lld -> %lld%s", l.name.c_str(), l.rank,
                  l.fullRank, l.error, static_cast<long long>(l.macsBefore),
                  static_cast<long long>(l.macsAfter),
                  l.outcome == transform::LayerOutcome::Reverted ? " (reverted)" : "");
            QCOMPARE(l.outcome == transform::LayerOutcome::Reverted, l.name == "B4.pwconv");
        }
        qInfo("network MACs %lld -> %lld", static_cast<long long>(r->macsBefore),
              static_cast<long long>(r->macsAfter));
    }

    // As the command runs it: the scheme chosen per layer by the vote (`auto`), judged on the
    // project's design, on the stem, two 3x3 convs of the first stages and a downsampling
    // 1x1 (the independent Jacobi SVD of the check is too slow for the 512-channel layers'
    // unfoldings). Each layer's error is the tail of its scheme's unfolding; the reverted
    // layers are listed, each with its cycles not falling.
    void lowRankAutoOnResnet18() {
        const modelio::ImportedModel* m = imported("resnet18");
        QVERIFY(m);
        bool ok = false;
        const Graph g = graphOrFail(m->project, ok);
        QVERIFY(ok);
        transform::LowRankOptions options;
        options.scheme = "auto";
        options.ranks = {{"B1.conv", 8}, {"B2.conv_2", 16}, {"B5.conv", 8}, {"B4.pwconv", 32}};
        options.devices = &DeviceLibrary::standard();
        Result<transform::LowRankResult> r =
            transform::lowRankTransform(m->project, g, m->weights, options);
        QVERIFY2(r.ok(), r.ok() ? "" : r.error().format().c_str());
        qInfo("judged on %s", r->design.c_str());
        int decomposed = 0;
        checkLowRank(g, m->weights, *r, decomposed);
        QVERIFY(decomposed > 0);
        std::map<std::string, int> schemes;
        for (const transform::LowRankLayer& l : r->layers) {
            const bool reverted = l.outcome == transform::LayerOutcome::Reverted;
            qInfo("%s: %s rank %d of %d, error %.5f, MACs %lld -> %lld, cycles %lld -> %lld%s",
                  l.name.c_str(), l.scheme.c_str(), l.rank, l.fullRank, l.error,
                  static_cast<long long>(l.macsBefore), static_cast<long long>(l.macsAfter),
                  static_cast<long long>(l.cyclesBefore), static_cast<long long>(l.cyclesAfter),
                  reverted ? " (reverted)" : "");
            QVERIFY(l.cyclesBefore > 0 && l.cyclesAfter > 0);
            QCOMPARE(reverted, l.cyclesAfter >= l.cyclesBefore);
            ++schemes[l.scheme];
        }
        for (const auto& [scheme, count] : schemes)
            qInfo("%s: %d layers", scheme.c_str(), count);
        qInfo("network MACs %lld -> %lld", static_cast<long long>(r->macsBefore),
              static_cast<long long>(r->macsAfter));
    }

    void referenceMatchesTorch_data() { addModels(); }
    void referenceMatchesTorch() {
        QFETCH(QString, model);
        QFETCH(bool, classifier);
        const Reference ref = referenceOf(model.toStdString());
        const modelio::ImportedModel* m = imported(model.toStdString());
        QVERIFY(m);
        bool ok = false;
        Graph g = graphOrFail(m->project, ok);
        QVERIFY(ok);
        calibrateFormats(g, m->weights);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(reference::checkReferenceLimits(g).ok());
        const int count = ref.info[QStringLiteral("inputs")].toInt();
        const std::size_t inSize = static_cast<std::size_t>(g.input.elements());
        const std::size_t outSize =
            static_cast<std::size_t>(ref.info[QStringLiteral("outputs")].toInt());
        QCOMPARE(ref.inputs.size(), inSize * std::size_t(count));
        const std::vector<reference::QuantizedLayer> q = reference::quantizeWeights(g, m->weights);
        double worst = 0, largest = 0;
        int sameTop = 0;
        std::vector<std::pair<int, double>> differing; // input, torch's top-1 lead over ours
        // The inputs on two threads (the CI machine's two cores), compared afterwards.
        std::vector<std::vector<double>> results(static_cast<std::size_t>(count));
        const auto run = [&](int first) {
            for (int k = first; k < count; k += 2) {
                const auto begin = ref.inputs.begin() + std::ptrdiff_t(inSize * std::size_t(k));
                const std::vector<double> image(begin, begin + std::ptrdiff_t(inSize));
                const reference::FixedTensor out =
                    reference::runReference(g, q, reference::quantizeInput(g, image)).back();
                for (std::size_t i = 0; i < out.raw.size(); ++i)
                    results[std::size_t(k)].push_back(out.real(i));
            }
        };
        std::thread second(run, 1);
        run(0);
        second.join();
        for (int k = 0; k < count; ++k) {
            const std::vector<double>& out = results[std::size_t(k)];
            QCOMPARE(out.size(), outSize);
            const float* want = ref.outputs.data() + outSize * std::size_t(k);
            std::size_t topRef = 0, topTorch = 0;
            for (std::size_t i = 0; i < outSize; ++i) {
                worst = std::max(worst, std::fabs(out[i] - double(want[i])));
                largest = std::max(largest, std::fabs(double(want[i])));
                topRef = out[i] > out[topRef] ? i : topRef;
                topTorch = want[i] > want[topTorch] ? i : topTorch;
            }
            if (topRef == topTorch)
                ++sameTop;
            else
                differing.emplace_back(k, double(want[topTorch]) - double(want[topRef]));
        }
        qInfo("%s: 16-bit per-layer formats (output %s): largest output %.4f, largest error "
              "%.5f (%.3f %%), top-1 equal on %d of %d",
              qPrintable(model), formatFixedType(g.outputNode().activations).c_str(), largest,
              worst, 100 * worst / largest, sameTop, count);
        // The quantization error: through 20 to 80 layers of 16-bit arithmetic, at most 2 %
        // of the output's range (measured: 0.1 to 1.4 %).
        QVERIFY2(worst <= 0.02 * largest, qPrintable(QString::number(worst)));
        // A classifier's top-1 class is torch's on every input (issue 15's acceptance; with
        // biases in their weights' format ResNet-18 missed one, a near tie: torch's lead
        // 0.00123, the error 0.0073). Each miss is listed.
        for (const auto& [k, lead] : differing)
            qInfo("  input %d: torch's top-1 leads the reference's by %.5f", k, lead);
        if (classifier)
            QCOMPARE(sameTop, count);
    }

    void exportedOnnxImportsBack_data() { addModelsWithBatchNorms(); }
    void exportedOnnxImportsBack() {
        QFETCH(QString, model);
        const modelio::ImportedModel* found = imported(model.toStdString());
        QVERIFY(found);
        const modelio::ImportedModel& m = *found;
        bool ok = false;
        const Graph g = graphOrFail(m.project, ok);
        QVERIFY(ok);
        Result<std::string> bytes = hls::onnxModel(g, m.weights, m.project.name);
        QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.error().format().c_str());
        modelio::ImportOptions options;
        options.weightsFile = m.project.weights;
        options.projectName = m.project.name;
        modelio::ImportResult back =
            modelio::readOnnxBytes(*bytes, model.toStdString() + ".onnx", options);
        QVERIFY2(back.ok(), back.error.format().c_str());
        QCOMPARE(back.model->project.network, m.project.network);
        QCOMPARE(back.model->project.bundles, m.project.bundles);
        QVERIFY(back.model->project.input == m.project.input);
        QVERIFY(back.model->project.precision == m.project.precision);
        QCOMPARE(back.model->weights.layers.size(), m.weights.layers.size());
        for (std::size_t i = 0; i < m.weights.layers.size(); ++i) {
            QCOMPARE(back.model->weights.layers[i].name, m.weights.layers[i].name);
            QVERIFY(back.model->weights.layers[i].weights == m.weights.layers[i].weights);
            QVERIFY(back.model->weights.layers[i].bias == m.weights.layers[i].bias);
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnxModels)
#include "test_onnx_models.moc"
