// The torch QoR evaluator behind the QoR cache: results and trained weights are stored by
// design hash, survive a restart, and a second evaluation of a design trains nothing.
#include "core/qor/design_hash.h"
#include "core/qor/qor_cache.h"
#include "core/util/atomic_file.h"
#include "test_support.h"
#include "train/torch_qor_evaluator.h"

#include <QTemporaryDir>
#include <filesystem>

using namespace codesign;
using namespace codesign::testing;
using namespace codesign::train;

namespace {

std::string tinyDetector(int activationBits) {
    return "name: tiny\ndevice: pynq-z1\ninput: {channels: 3, height: 32, width: 64}\n"
           "precision: {weights: 8, activations: " +
           std::to_string(activationBits) +
           "}\nnetwork:\n"
           "  - {op: conv, kernel: 3, stride: 2, channels: 8}\n"
           "  - {op: relu}\n"
           "  - {op: maxpool, kernel: 2}\n"
           "  - {op: pwconv, channels: 10}\n"
           "  - {op: bbox_head, anchors: 2}\n"
           "accelerator: {arch: tiled, auto: true}\n";
}

TorchQorOptions quickOptions() {
    TorchQorOptions o;
    o.data.synthetic.count = 48;
    o.train.epochs = 1;
    o.train.qatEpochs = 1;
    o.train.batch = 16;
    return o;
}

struct Design {
    Project project;
    Graph graph;
    std::string hash;
    QorQuery query() const { return {hash, &project, &graph}; }
};

Design load(const std::string& path, bool& ok) {
    Design d;
    Result<Project> p = loadProjectFile(path);
    ok = p.ok();
    if (!ok)
        return d;
    d.project = std::move(p).value();
    d.graph = graphOrFail(d.project, ok);
    d.hash = designHash(d.graph);
    return d;
}

} // namespace

class TestTrainQor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void cacheSurvivesRestartAndTrainsNothingTwice() {
        QTemporaryDir dir;
        const std::string projectPath = dir.filePath(QStringLiteral("tiny.yaml")).toStdString();
        QVERIFY(writeFileAtomic(projectPath, tinyDetector(8)).ok());
        bool ok = false;
        const Design design = load(projectPath, ok);
        QVERIFY(ok);
        const std::string cachePath = projectDataDir(projectPath) + "/qor-cache.csv";
        const std::string weightsPath =
            projectDataDir(projectPath) + "/weights/" + design.hash + ".bin";
        const QorQuery queries[] = {design.query()};

        QorValue first;
        { // first run: trains
            Result<std::shared_ptr<QorCache>> cache = QorCache::open(cachePath);
            QVERIFY(cache.ok());
            Result<std::unique_ptr<TorchQorEvaluator>> torch =
                TorchQorEvaluator::create(quickOptions());
            QVERIFY(torch.ok());
            CachedQorEvaluator cached(**torch, *cache);
            QCOMPARE(cached.name(), std::string("torch"));
            QVERIFY(!cached.predicts());
            RunControl control;
            int progressCalls = 0;
            const std::vector<QorValue> v =
                cached.evaluate(queries, control, [&](int, int) { ++progressCalls; });
            QCOMPARE(v.size(), std::size_t(1));
            QVERIFY2(v[0].ok(), v[0].error.c_str());
            QCOMPARE(v[0].source, std::string("torch"));
            QVERIFY(!v[0].predicted);
            QVERIFY(v[0].qor >= 0 && v[0].qor <= 1);
            QCOMPARE(v[0].weightsPath, weightsPath);
            QCOMPARE((*torch)->trainedDesigns(), 1);
            QCOMPARE(progressCalls, 1);
            first = v[0];
        }
        // The weights file is a complete weight set for the design.
        Result<reference::WeightSet> weights = reference::parseWeightSet(readText(weightsPath));
        QVERIFY(weights.ok());
        QCOMPARE(weights->origin, std::string("trained"));
        QVERIFY(reference::checkWeightsFit(*weights, design.graph).ok());

        { // "restart": a new cache object from the file, a new evaluator
            Result<std::shared_ptr<QorCache>> cache = QorCache::open(cachePath);
            QVERIFY(cache.ok());
            QCOMPARE((*cache)->size(), std::size_t(1));
            Result<std::unique_ptr<TorchQorEvaluator>> torch =
                TorchQorEvaluator::create(quickOptions());
            QVERIFY(torch.ok());
            CachedQorEvaluator cached(**torch, *cache);
            RunControl control;
            const std::vector<QorValue> v = cached.evaluate(queries, control);
            QVERIFY(v[0].ok());
            QCOMPARE((*torch)->trainedDesigns(), 0); // nothing trained
            QCOMPARE(cached.hits(), 1);
            QCOMPARE(v[0].qor, first.qor);
            QCOMPARE(v[0].weightsPath, weightsPath);

            // Another precision is another design: it is trained.
            const std::string otherPath = dir.filePath(QStringLiteral("tiny6.yaml")).toStdString();
            QVERIFY(writeFileAtomic(otherPath, tinyDetector(6)).ok());
            const Design other = load(otherPath, ok);
            QVERIFY(ok);
            QVERIFY(other.hash != design.hash);
            const QorQuery both[] = {design.query(), other.query()};
            const std::vector<QorValue> w = cached.evaluate(both, control);
            QVERIFY(w[0].ok() && w[1].ok());
            QCOMPARE((*torch)->trainedDesigns(), 1);
            QCOMPARE((*cache)->size(), std::size_t(2));
        }
    }

    void cancelledDesignsAreNotTrained() {
        QTemporaryDir dir;
        const std::string projectPath = dir.filePath(QStringLiteral("tiny.yaml")).toStdString();
        QVERIFY(writeFileAtomic(projectPath, tinyDetector(8)).ok());
        bool ok = false;
        const Design design = load(projectPath, ok);
        QVERIFY(ok);
        Result<std::unique_ptr<QorEvaluator>> torch = makeTorchQorEvaluator(quickOptions());
        QVERIFY(torch.ok());
        RunControl control;
        control.stop();
        const QorQuery queries[] = {design.query()};
        const std::vector<QorValue> v = (*torch)->evaluate(queries, control);
        QCOMPARE(v[0].error, std::string("cancelled"));
        QVERIFY(!std::filesystem::exists(projectDataDir(projectPath) + "/weights"));
    }

    void reducedResolutionReportsProgressAndWritesNoWeights() {
        // The seed's fast training: the design trains at half its input resolution, each
        // epoch and batch reaches the progress callback with the design's number, and no
        // weights are written (they belong to the smaller network).
        QTemporaryDir dir;
        const std::string projectPath = dir.filePath(QStringLiteral("tiny.yaml")).toStdString();
        QVERIFY(writeFileAtomic(projectPath, tinyDetector(8)).ok());
        bool ok = false;
        const Design design = load(projectPath, ok);
        QVERIFY(ok);
        TorchQorOptions o = quickOptions();
        o.resolution = 0.5;
        std::vector<std::string> phases;
        int batches = 0, prepared = 0, lastDesign = 0;
        o.progress = [&](int d, const std::string& hash, const TrainProgress& p) {
            QCOMPARE(hash, design.hash);
            lastDesign = d;
            if (p.phase == "prepare")
                ++prepared;
            else if (p.batch > 0)
                ++batches;
            else
                phases.push_back(p.phase);
        };
        Result<std::unique_ptr<QorEvaluator>> torch = makeTorchQorEvaluator(o);
        QVERIFY(torch.ok());
        RunControl control;
        const QorQuery queries[] = {design.query()};
        const std::vector<QorValue> v = (*torch)->evaluate(queries, control);
        QVERIFY2(v[0].ok(), v[0].error.c_str());
        QVERIFY(v[0].qor >= 0 && v[0].qor <= 1);
        QVERIFY(v[0].weightsPath.empty());
        QVERIFY(!std::filesystem::exists(projectDataDir(projectPath) + "/weights"));
        QCOMPARE(lastDesign, 1);
        QCOMPARE(prepared, 48); // the synthetic images, at 16x32
        QCOMPARE(phases, (std::vector<std::string>{"float", "qat"}));
        QCOMPARE(batches, 2 * 3); // 38 training images in batches of 16, two epochs
    }

    void badDataIsReportedAtCreation() {
        TorchQorOptions o = quickOptions();
        o.data.path = dataPath("train/no-such-folder");
        Result<std::unique_ptr<QorEvaluator>> e = makeTorchQorEvaluator(o);
        QVERIFY(!e.ok());
        QVERIFY(e.error().format().find("no-such-folder") != std::string::npos);

        o.data.path = dataPath("train/boxes-bad.csv"); // fails at its line 3
        e = makeTorchQorEvaluator(o);
        QVERIFY(!e.ok());
        QCOMPARE(e.error().pos.line, 3);
    }

    void weightsPathRules() {
        Project p;
        QCOMPARE(weightsPathFor("", p, "abc"), std::string());
        p.sourceFile = "/x/y/net.yaml";
        QCOMPARE(weightsPathFor("", p, "abc"), std::string("/x/y/net.codesign/weights/abc.bin"));
        QCOMPARE(weightsPathFor("/w", p, "abc"), std::string("/w/abc.bin"));
    }
};

QTEST_GUILESS_MAIN(TestTrainQor)
#include "test_train_qor.moc"
