// The ONNX importer's refusals and its robustness (issue 15, docs/import.md): each fixture
// of tests/data/onnx (tests/onnx/make_fixtures.py) gives its expected message, the CLI
// lists every unsupported node and exits 2, and 1,000 mutations of the fixtures (bytes
// flipped, spans cut, protobuf fields removed) import or fail with a message, never crash.
// Runs under AddressSanitizer and UBSan in .ci/run (label core).
#include "model_io/model_reader.h"
#include "model_io/onnx/onnx_reader.h"
#include "process_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <onnx/onnx_pb.h>
#include <random>
#include <set>
#include <sstream>

using namespace codesign;
using namespace codesign::testing;

namespace {

const std::string kFixtures = std::string(CODESIGN_TEST_DATA) + "/onnx";

struct Fixture {
    std::string name;
    std::string expected; // empty: the model imports
};

std::vector<Fixture> fixtures() {
    std::vector<Fixture> list;
    std::istringstream lines(readText(kFixtures + "/expected.tsv"));
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        const std::size_t tab = line.find('\t');
        list.push_back({line.substr(0, tab), tab == std::string::npos ? "" : line.substr(tab + 1)});
    }
    return list;
}

std::string bytesOf(const std::string& name) {
    return readText(kFixtures + "/" + name + ".onnx");
}

// Removes one field, chosen at random among every set field at every depth of the model.
void removeRandomField(google::protobuf::Message& root, std::mt19937& random) {
    struct Site {
        google::protobuf::Message* message;
        const google::protobuf::FieldDescriptor* field;
    };
    std::vector<Site> sites;
    std::vector<google::protobuf::Message*> pending{&root};
    while (!pending.empty()) {
        google::protobuf::Message* m = pending.back();
        pending.pop_back();
        const google::protobuf::Reflection* r = m->GetReflection();
        std::vector<const google::protobuf::FieldDescriptor*> fields;
        r->ListFields(*m, &fields);
        for (const google::protobuf::FieldDescriptor* f : fields) {
            sites.push_back({m, f});
            if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE)
                continue;
            if (f->is_repeated())
                for (int i = 0; i < r->FieldSize(*m, f); ++i)
                    pending.push_back(r->MutableRepeatedMessage(m, f, i));
            else
                pending.push_back(r->MutableMessage(m, f));
        }
    }
    if (sites.empty())
        return;
    const Site s = sites[random() % sites.size()];
    const google::protobuf::Reflection* r = s.message->GetReflection();
    if (s.field->is_repeated() && r->FieldSize(*s.message, s.field) > 1) {
        // Drop one element: swap it to the end, then remove the last.
        const int n = r->FieldSize(*s.message, s.field);
        r->SwapElements(s.message, s.field, int(random() % unsigned(n)), n - 1);
        r->RemoveLast(s.message, s.field);
    } else {
        r->ClearField(s.message, s.field);
    }
}

// Mutant k of a seed model: flipped bytes, a cut span, or a removed field (2 in 5).
std::string mutate(const std::string& seed, int k, std::mt19937& random) {
    std::string bytes = seed;
    switch (k % 5) {
    case 0:
    case 1: { // flip 1 to 8 bytes
        const int flips = 1 + int(random() % 8);
        for (int i = 0; i < flips; ++i)
            bytes[random() % bytes.size()] ^= char(1 + random() % 255);
        break;
    }
    case 2: { // cut a span of 1 to 64 bytes
        const std::size_t at = random() % bytes.size();
        bytes.erase(at, 1 + random() % 64);
        break;
    }
    default: { // remove one or two fields of the parsed model
        onnx::ModelProto model;
        if (!model.ParseFromString(seed))
            break;
        removeRandomField(model, random);
        if (k % 5 == 4)
            removeRandomField(model, random);
        bytes = model.SerializeAsString();
    }
    }
    return bytes;
}

// `model` with every bias (Conv's and Gemm's third input, BatchNormalization's beta)
// multiplied by `factor`.
std::string scaledBiases(const std::string& bytes, float factor) {
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes))
        qFatal("not a model");
    std::set<std::string> names;
    for (const onnx::NodeProto& n : model.graph().node())
        if ((n.op_type() == "Conv" || n.op_type() == "Gemm" ||
             n.op_type() == "BatchNormalization") &&
            n.input_size() > 2)
            names.insert(n.input(2));
    for (onnx::TensorProto& t : *model.mutable_graph()->mutable_initializer()) {
        if (!names.count(t.name()))
            continue;
        std::string& raw = *t.mutable_raw_data();
        for (std::size_t at = 0; at + 4 <= raw.size(); at += 4) {
            float v;
            std::memcpy(&v, raw.data() + at, 4);
            v *= factor;
            std::memcpy(raw.data() + at, &v, 4);
        }
    }
    return model.SerializeAsString();
}

} // namespace

class TestImport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixtureMessages_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        for (const Fixture& f : fixtures())
            QTest::newRow(f.name.c_str())
                << QString::fromStdString(f.name) << QString::fromStdString(f.expected);
    }
    void fixtureMessages() {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        modelio::ImportResult r =
            modelio::importModel(kFixtures + "/" + name.toStdString() + ".onnx", {});
        if (expected.isEmpty()) {
            QVERIFY2(r.ok(), r.error.format().c_str());
            return;
        }
        QVERIFY(!r.ok());
        const QString message = QString::fromStdString(r.error.format());
        QVERIFY2(message.contains(expected), qPrintable(message));
        // The message names the file.
        QVERIFY2(message.contains(name + QStringLiteral(".onnx")), qPrintable(message));
    }

    // Every unsupported node is listed, grouped by op type and reason, with counts.
    void everyUnsupportedNodeListed() {
        modelio::ImportResult r = modelio::importModel(kFixtures + "/many_unsupported.onnx", {});
        QVERIFY(!r.ok());
        QCOMPARE(r.unsupported.size(), std::size_t(2));
        QCOMPARE(r.unsupported[0].opType, std::string("Tanh"));
        QCOMPARE(r.unsupported[0].nodes, (std::vector<std::string>{"t1", "t2"}));
        QCOMPARE(r.unsupported[1].opType, std::string("Elu"));
        QCOMPARE(r.unsupported[1].nodes, (std::vector<std::string>{"e1"}));
        const std::string message = r.error.format();
        QVERIFY2(message.find("Tanh x2: no project op for it: t1, t2") != std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("Elu x1: no project op for it: e1") != std::string::npos,
                 message.c_str());
    }

    void valid_smallImports() {
        modelio::ImportResult r = modelio::importModel(kFixtures + "/valid_small.onnx", {});
        QVERIFY2(r.ok(), r.error.format().c_str());
        QCOMPARE(r.model->report.foldedBatchNorms, 1);
        // conv1 8x8x8 x 4x3x3, conv2 8x4x4 x 8, fc 16 x 10.
        QCOMPARE(r.model->report.macs, std::int64_t(512 * 36 + 128 * 8 + 160));
        QCOMPARE(r.model->report.params, std::int64_t(8 * 36 + 8 + 64 + 160 + 10));
    }

    // The project's weight format holds the weights alone: biases (folded from batch norms
    // or not) have a format of their own (reference::biasFormat). Biases 100 times larger
    // leave it as it is.
    void weightFormatIgnoresBiases() {
        modelio::ImportResult plain = modelio::importModel(kFixtures + "/valid_small.onnx", {});
        QVERIFY2(plain.ok(), plain.error.format().c_str());
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("large_bias.onnx")).toStdString();
        std::ofstream(path, std::ios::binary) << scaledBiases(bytesOf("valid_small"), 100);
        modelio::ImportResult large = modelio::importModel(path, {});
        QVERIFY2(large.ok(), large.error.format().c_str());
        const FixedType format = large.model->project.precision.weights;
        double largestBias = 0;
        for (const reference::LayerWeights& l : large.model->weights.layers)
            for (float b : l.bias)
                largestBias = std::max(largestBias, double(std::fabs(b)));
        QVERIFY2(largestBias >= std::ldexp(1.0, format.integer - 1), // beyond the format
                 qPrintable(QString::number(largestBias)));
        QCOMPARE(format, plain.model->project.precision.weights);
    }

    // The CLI: exit 2 with the whole list on stderr, and no project written.
    void cliRefusesWithTheList() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("p.yaml"));
        const Run run = runProgram(QStringLiteral(CODESIGN_CLI),
                                   {QStringLiteral("import"),
                                    QString::fromStdString(kFixtures + "/many_unsupported.onnx"),
                                    QStringLiteral("--out"), out});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(QStringLiteral("3 nodes cannot be imported")),
                 qPrintable(run.err));
        QVERIFY(run.err.contains(QStringLiteral("Tanh x2: no project op for it: t1, t2")));
        QVERIFY(run.err.contains(QStringLiteral("Elu x1: no project op for it: e1")));
        QVERIFY(!QFile::exists(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    }

    // The input size as CxHxW (`--input`, the studio's import dialog): one parser.
    void inputShapes() {
        QCOMPARE(modelio::parseInputShape("3x224x224"), std::optional<Shape>(Shape{3, 224, 224}));
        QCOMPARE(modelio::parseInputShape("1x1x1000000"),
                 std::optional<Shape>(Shape{1, 1, 1000000}));
        for (const char* bad : {"", "3x224", "3x224x224x1", "3x0x224", "-3x2x2", "3 x2x2", "3x2x",
                                "x2x2", "3x2x2000000", "3x2x2.5", "axbxc"})
            QVERIFY2(!modelio::parseInputShape(bad), bad);
        QCOMPARE(modelio::declaredInput(kFixtures + "/valid_small.onnx"),
                 std::optional<Shape>(Shape{4, 8, 8}));
        QVERIFY(!modelio::declaredInput(kFixtures + "/not_onnx.onnx"));
        QVERIFY(!modelio::declaredInput(kFixtures + "/missing.onnx"));
    }

    // 1,000 mutants, in process (the CLI's code path): each imports, or fails with a
    // message; none crashes (ASan and UBSan watch in .ci/run). Then 20 through the CLI:
    // exit 0 or 2.
    void mutationsNeverCrash() {
        std::vector<std::string> seeds;
        for (const Fixture& f : fixtures())
            seeds.push_back(bytesOf(f.name));
        std::mt19937 random(15);
        int imported = 0, refused = 0;
        QTemporaryDir dir;
        int cliRuns = 0;
        for (int k = 0; k < 1000; ++k) {
            // Half the mutants start from the model that imports, so that they reach past
            // the parser into the lowering and the builder.
            const std::string& seed =
                k % 2 ? seeds[random() % seeds.size()] : bytesOf("valid_small");
            const std::string bytes = mutate(seed, k, random);
            modelio::ImportResult r = modelio::readOnnxBytes(bytes, "mutant.onnx", {});
            if (r.ok()) {
                ++imported;
                QVERIFY(r.model->report.layers > 0);
            } else {
                ++refused;
                QVERIFY2(!r.error.message.empty(), qPrintable(QString::number(k)));
            }
            if (k % 50 == 0) {
                const QString path = dir.filePath(QStringLiteral("m%1.onnx").arg(k));
                std::ofstream(path.toStdString(), std::ios::binary) << bytes;
                const Run run = runProgram(QStringLiteral(CODESIGN_CLI),
                                           {QStringLiteral("import"), path, QStringLiteral("--out"),
                                            dir.filePath(QStringLiteral("m%1.yaml").arg(k))});
                QVERIFY2(run.exitCode == 0 || run.exitCode == 2,
                         qPrintable(QStringLiteral("mutant %1: exit %2: %3")
                                        .arg(k)
                                        .arg(run.exitCode)
                                        .arg(run.err)));
                ++cliRuns;
            }
        }
        qInfo("1000 mutants: %d imported, %d refused with a message; %d through the CLI", imported,
              refused, cliRuns);
        QVERIFY(imported > 0);
        QVERIFY(refused > 0);
    }
};

QTEST_GUILESS_MAIN(TestImport)
#include "test_import.moc"
