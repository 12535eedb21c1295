// Layer vocabulary, shape inference, MAC/parameter counts, bundles and skips.
#include "core/model/fixed_type.h"
#include "core/model/op.h"
#include "test_support.h"

using namespace codesign;
using namespace codesign::testing;

class TestModel : public QObject {
    Q_OBJECT

    Graph build(const std::string& network,
                const std::string& input = "{channels: 3, height: 32, width: 32}",
                const std::string& bundles = "") {
        bool ok = false;
        Project p = parseOrFail(projectWith(network, input, bundles), ok);
        if (!ok)
            return {};
        return graphOrFail(p, ok);
    }

private Q_SLOTS:
    void opNamesRoundTrip() {
        QCOMPARE(allOps().size(), std::size_t(23));
        for (Op op : allOps())
            QCOMPARE(opFromName(opName(op)), std::optional<Op>(op));
        QVERIFY(!opFromName("convolution"));
    }

    void fixedTypes() {
        auto w = parseFixedType("8", defaultWeightIntegerBits);
        QVERIFY(w.ok());
        QCOMPARE(w->width, 8);
        QCOMPARE(w->integer, 2);
        auto a = parseFixedType("fixed<12,5>", defaultActivationIntegerBits);
        QVERIFY(a.ok());
        QCOMPARE(a->width, 12);
        QCOMPARE(a->integer, 5);
        QVERIFY(parseFixedType("ap_fixed<16,6>", defaultActivationIntegerBits).ok());
        QVERIFY(!parseFixedType("0", defaultWeightIntegerBits).ok());
        QVERIFY(!parseFixedType("65", defaultWeightIntegerBits).ok());
        QVERIFY(parseFixedType("64", defaultWeightIntegerBits).ok());
        QVERIFY(!parseFixedType("fixed<8,9>", defaultWeightIntegerBits).ok());
        QVERIFY(!parseFixedType("eight", defaultWeightIntegerBits).ok());
        QCOMPARE(formatFixedType({11, 3}), std::string("fixed<11,3>"));
    }

    // A project that stops building at an add still tells the shapes of the groups
    // before it (the GUI's network table shows them).
    void failedBuildKeepsTheResolvedGroups() {
        bool ok = false;
        const Project p = parseOrFail(projectWith("  - {op: conv, channels: 16, kernel: 3, id: a}\n"
                                                  "  - {op: pwconv, channels: 8}\n"
                                                  "  - {op: add, inputs: [a]}\n"
                                                  "  - {op: pwconv, channels: 4}\n"),
                                      ok);
        QVERIFY(ok);
        Graph resolved;
        const Result<Graph> g = buildGraph(p, &resolved);
        QVERIFY(!g.ok());
        QCOMPARE(g.error().layer, std::string("L3.add"));
        QCOMPARE(resolved.groups.size(), std::size_t(2));
        QCOMPARE(resolved.nodes.size(), std::size_t(2));
        QCOMPARE(resolved.nodes[0].out, (Shape{16, 32, 32}));
        QCOMPARE(resolved.nodes[1].out, (Shape{8, 32, 32}));
        // A project that builds leaves `resolved` alone.
        Graph untouched;
        QVERIFY(
            buildGraph(parseOrFail(projectWith("  - {op: conv, channels: 16}\n"), ok), &untouched)
                .ok());
        QVERIFY(untouched.nodes.empty());
    }

    void convShapeAndCounts() {
        Graph g = build("  - {op: conv, kernel: 3, stride: 2, channels: 16}\n");
        QCOMPARE(g.nodes.size(), std::size_t(1));
        const Node& n = g.nodes[0];
        QCOMPARE(n.out, (Shape{16, 16, 16})); // (32 + 2*1 - 3) / 2 + 1 = 16
        QCOMPARE(n.macs, std::int64_t(16) * 16 * 16 * 3 * 9);
        QCOMPARE(n.params, std::int64_t(16) * 3 * 9 + 16);
    }

    void groupedConv() {
        Graph g = build("  - {op: conv, kernel: 3, channels: 8, groups: 2}\n",
                        "{channels: 4, height: 8, width: 8}");
        QCOMPARE(g.nodes[0].out, (Shape{8, 8, 8}));
        QCOMPARE(g.nodes[0].macs, std::int64_t(8) * 8 * 8 * 2 * 9);
        QCOMPARE(g.nodes[0].params, std::int64_t(8) * 2 * 9 + 8);
    }

    void depthwiseAndPointwise() {
        Graph g = build("  - {op: dwconv, kernel: 3, stride: 2, bias: false}\n"
                        "  - {op: pwconv, channels: 24}\n");
        QCOMPARE(g.nodes[0].out, (Shape{3, 16, 16}));
        QCOMPARE(g.nodes[0].macs, std::int64_t(3) * 16 * 16 * 9);
        QCOMPARE(g.nodes[0].params, std::int64_t(27));
        QCOMPARE(g.nodes[1].out, (Shape{24, 16, 16}));
        QCOMPARE(g.nodes[1].macs, std::int64_t(24) * 16 * 16 * 3);
        QCOMPARE(g.nodes[1].params, std::int64_t(3 * 24 + 24));
    }

    void fuseVariants() {
        Graph half = build("  - {op: fuse, kernel: 3, variant: half}\n",
                           "{channels: 8, height: 10, width: 10}");
        QCOMPARE(half.nodes[0].out, (Shape{8, 10, 10}));
        QCOMPARE(half.nodes[0].macs, std::int64_t(8) * 100 * 3);
        QCOMPARE(half.nodes[0].params, std::int64_t(8 * 3 + 8));
        Graph full = build("  - {op: fuse, kernel: 5, variant: full}\n",
                           "{channels: 8, height: 10, width: 10}");
        QCOMPARE(full.nodes[0].out, (Shape{16, 10, 10}));
        QCOMPARE(full.nodes[0].macs, std::int64_t(16) * 100 * 5);
    }

    void poolingAndElementwise() {
        Graph g = build("  - {op: maxpool}\n"
                        "  - {op: avgpool, kernel: 3, stride: 2, padding: 1}\n"
                        "  - {op: bn}\n"
                        "  - {op: relu6}\n"
                        "  - {op: global_avgpool}\n"
                        "  - {op: fc, channels: 10}\n");
        QCOMPARE(g.nodes[0].out, (Shape{3, 16, 16}));
        QCOMPARE(g.nodes[1].out, (Shape{3, 8, 8}));
        QCOMPARE(g.nodes[2].params, std::int64_t(6));
        QCOMPARE(g.nodes[3].out, (Shape{3, 8, 8}));
        QCOMPARE(g.nodes[4].out, (Shape{3, 1, 1}));
        QCOMPARE(g.nodes[5].out, (Shape{10, 1, 1}));
        QCOMPARE(g.nodes[5].params, std::int64_t(3 * 10 + 10));
    }

    void fcFlattensItsInput() {
        Graph g = build("  - {op: fc, channels: 5}\n", "{channels: 2, height: 3, width: 4}");
        QCOMPARE(g.nodes[0].macs, std::int64_t(24 * 5));
    }

    void reorgUpsampleConcatAdd() {
        Graph g = build("  - {op: conv, channels: 4, kernel: 1, id: a}\n"
                        "  - {op: reorg, factor: 2}\n"
                        "  - {op: upsample, factor: 2}\n"
                        "  - {op: concat, inputs: [a], id: c}\n"
                        "  - {op: conv, channels: 20, kernel: 1}\n"
                        "  - {op: add, inputs: [c]}\n",
                        "{channels: 3, height: 8, width: 8}");
        QCOMPARE(g.nodes[1].out, (Shape{16, 4, 4}));
        QCOMPARE(g.nodes[2].out, (Shape{16, 8, 8}));
        QCOMPARE(g.nodes[3].out, (Shape{20, 8, 8}));
        QCOMPARE(g.nodes[3].inputs, (std::vector<int>{2, 0}));
        QCOMPARE(g.nodes[5].out, (Shape{20, 8, 8}));
        QCOMPARE(g.nodes[5].inputs, (std::vector<int>{4, 3}));
    }

    void fromRedirectsTheInput() {
        Graph g = build("  - {op: conv, channels: 4, id: first}\n"
                        "  - {op: conv, channels: 6}\n"
                        "  - {op: conv, channels: 5, from: first}\n");
        QCOMPARE(g.nodes[2].inputs, std::vector<int>{0});
        QCOMPARE(g.nodes[2].in.c, 4);
    }

    void bboxHead() {
        Graph g = build("  - {op: pwconv, channels: 10}\n  - {op: bbox_head, anchors: 2}\n");
        QCOMPARE(g.nodes[1].out, (Shape{5, 1, 1}));
        QCOMPARE(g.nodes[1].macs, std::int64_t(0));
    }

    void bundlesExpandWithNamesAndChannels() {
        const std::string bundles = "bundles:\n"
                                    "  dwpw:\n"
                                    "    - {op: dwconv}\n"
                                    "    - {op: relu}\n"
                                    "    - {op: pwconv}\n"
                                    "    - {op: relu}\n"
                                    "    - {op: maxpool}\n";
        Graph g = build("  - {bundle: dwpw, channels: 16}\n"
                        "  - {bundle: dwpw, channels: 32, repeat: 2}\n"
                        "  - {op: pwconv, channels: 10}\n",
                        "{channels: 3, height: 64, width: 64}", bundles);
        QCOMPARE(g.nodes.size(), std::size_t(16));
        QCOMPARE(g.groups.size(), std::size_t(4));
        QCOMPARE(g.nodes[0].name, std::string("B1.dwconv"));
        QCOMPARE(g.nodes[3].name, std::string("B1.relu_2"));
        QCOMPARE(g.nodes[7].name, std::string("B2.pwconv"));
        QCOMPARE(g.nodes[12].name, std::string("B3.pwconv"));
        QCOMPARE(g.nodes[15].name, std::string("L3.pwconv"));
        QCOMPARE(g.nodes[2].out, (Shape{16, 64, 64}));
        QCOMPARE(g.nodes[14].out, (Shape{32, 8, 8}));
        QCOMPARE(g.groups[2].first, 10);
        QCOMPARE(g.groups[2].last, 14);
        QCOMPARE(g.groups[2].bundle, std::string("dwpw"));
    }

    // A layer may not take a name another layer has: the second one is refused, named and
    // placed, in networks of any length (the builder keeps the names in a buffer of its
    // own up to some hundred layers, then on the heap).
    void aSecondLayerWithTheSameNameIsRefused() {
        const std::string bundles = "bundles:\n  b:\n    - {op: pwconv}\n    - {op: relu}\n";
        for (int before : {1, 400}) {
            std::string network;
            for (int i = 0; i < before; ++i)
                network += "  - {bundle: b, channels: 8}\n";
            network += "  - {op: relu, name: B" + std::to_string(before) + ".relu}\n";
            bool ok = false;
            const Project p = parseOrFail(
                projectWith(network, "{channels: 3, height: 8, width: 8}", bundles), ok);
            QVERIFY(ok);
            const Result<Graph> g = buildGraph(p);
            QVERIFY(!g.ok());
            const std::string name = "B" + std::to_string(before) + ".relu";
            QCOMPARE(g.error().message, "two layers are named '" + name + "'");
            QCOMPARE(g.error().layer, name);
            QVERIFY(g.error().pos.known());
            // The same network without the clash builds, every name distinct.
            network.resize(network.rfind("  - {op: relu"));
            network += "  - {op: relu, name: last}\n";
            const Project fine = parseOrFail(
                projectWith(network, "{channels: 3, height: 8, width: 8}", bundles), ok);
            QVERIFY(ok);
            const Result<Graph> built = buildGraph(fine);
            QVERIFY(built.ok());
            QCOMPARE(built->nodes.size(), std::size_t(2 * before + 1));
            QCOMPARE(built->nodes.back().name, std::string("last"));
        }
    }

    void downsampleFalseDropsTheInstancesPooling() {
        const std::string bundles = "bundles:\n  b:\n    - {op: pwconv}\n    - {op: maxpool}\n";
        Graph g = build("  - {bundle: b, channels: 8}\n"
                        "  - {bundle: b, channels: 8, downsample: false}\n",
                        "{channels: 3, height: 16, width: 16}", bundles);
        QCOMPARE(g.nodes.size(), std::size_t(3));
        QCOMPARE(g.nodes[2].name, std::string("B2.pwconv"));
        QCOMPARE(g.outputNode().out, (Shape{8, 8, 8}));
    }

    void precisionOverridesByLayerName() {
        const std::string text =
            "name: t\ndevice: pynq-z1\ninput: {channels: 3, height: 8, width: 8}\n"
            "precision:\n  weights: 16\n  activations: 8\n  layers:\n"
            "    L2.pwconv: {weights: 4, activations: \"fixed<6,2>\"}\n"
            "network:\n  - {op: pwconv, channels: 4}\n  - {op: pwconv, channels: 4}\n"
            "  - {op: pwconv, channels: 4, weights: 11}\n";
        bool ok = false;
        Project p = parseOrFail(text, ok);
        QVERIFY(ok);
        Graph g = graphOrFail(p, ok);
        QVERIFY(ok);
        QCOMPARE(g.nodes[0].weights.width, 16);
        QCOMPARE(g.nodes[1].weights.width, 4);
        QCOMPARE(g.nodes[1].activations, (FixedType{6, 2}));
        QCOMPARE(g.nodes[2].weights.width, 11);
    }

    void resizeScalesTheInput() {
        Graph g = build("  - {op: pwconv, channels: 4}\n",
                        "{channels: 3, height: 160, width: 360, resize: 0.85}");
        QCOMPARE(g.input, (Shape{3, 136, 306}));
    }

    // Published counts (tests/data): MobileNet-V1 569 M MACs / 4.2 M params,
    // ResNet-18 1.81 G MACs / 11.7 M params.
    void mobileNetV1Counts() {
        bool ok = false;
        Project p = parseOrFail(readText(dataPath("mobilenet-v1.yaml")), ok);
        QVERIFY(ok);
        Graph g = graphOrFail(p, ok);
        QVERIFY(ok);
        QVERIFY(std::abs(double(g.totalMacs) / 569e6 - 1) < 0.01);
        QVERIFY(std::abs(double(g.totalParams) / 4.2e6 - 1) < 0.02);
        QCOMPARE(g.outputNode().out, (Shape{1000, 1, 1}));
    }

    void resNet18Counts() {
        bool ok = false;
        Project p = parseOrFail(readText(dataPath("resnet-18.yaml")), ok);
        QVERIFY(ok);
        Graph g = graphOrFail(p, ok);
        QVERIFY(ok);
        QVERIFY(std::abs(double(g.totalMacs) / 1.81e9 - 1) < 0.02);
        QVERIFY(std::abs(double(g.totalParams) / 11.7e6 - 1) < 0.02);
        QCOMPARE(g.totalParams, std::int64_t(11'689'512)); // torchvision's resnet18
    }

    // DNN-A by hand: DW3 + PW per bundle, input 3x160x360.
    void dac19DnnAMacs() {
        bool ok = false;
        Project p = parseOrFail(readText(sourcePath("examples/dac19-dnn-a.yaml")), ok);
        QVERIFY(ok);
        Graph g = graphOrFail(p, ok);
        QVERIFY(ok);
        auto dwpw = [](std::int64_t cin, std::int64_t cout, std::int64_t px) {
            return cin * 9 * px + cin * cout * px;
        };
        const std::int64_t expected = dwpw(3, 48, 160 * 360) + dwpw(48, 96, 80 * 180) +
                                      dwpw(96, 192, 40 * 90) + dwpw(192, 384, 20 * 45) +
                                      384 * 10 * 20 * 45;
        QCOMPARE(g.totalMacs, expected);
        QCOMPARE(g.outputNode().op, Op::BboxHead);
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "test_model.moc"
