// The FuSe transform (core/model/transforms; docs/transforms.md): which layers it rewrites,
// that bundles stay bundles, the MACs and parameters of the result, the YAML round trip,
// the renamed precision overrides, and its errors.
#include "core/hw/device_library.h"
#include "core/model/transforms/fuse_transform.h"
#include "core/search/candidate_evaluator.h"
#include "core/search/design_space.h"
#include "test_support.h"

#include <map>

using namespace codesign;
using namespace codesign::testing;

namespace {

Project mobileNet() {
    bool ok = false;
    Project p = parseOrFail(readText(dataPath("mobilenet-v1.yaml")), ok);
    if (!ok)
        qFatal("mobilenet-v1.yaml does not load");
    return p;
}

Graph graphOf(const Project& p) {
    Result<Graph> g = buildGraph(p);
    if (!g.ok())
        qFatal("%s", g.error().format().c_str());
    return std::move(g).value();
}

FuseTransformResult transformed(const Project& p, FuseTransformOptions o) {
    Result<FuseTransformResult> r = fuseTransform(p, o);
    if (!r.ok())
        qFatal("%s", r.error().format().c_str());
    return std::move(r).value();
}

FuseTransformOptions options(FuseVariant v, std::vector<std::string> layers = {}, int first = 0) {
    FuseTransformOptions o;
    o.variant = v;
    o.layers = std::move(layers);
    o.first = first;
    return o;
}

// MACs and parameters expected layer by layer: a depthwise K x K on C channels (Ho x Wo
// outputs) becomes Ho Wo C K MACs and C K weights (half) or twice that (full); with full the
// following bn has 2C channels and the next pwconv twice the inputs.
struct Counts {
    std::int64_t macs = 0;
    std::int64_t params = 0;
};

Counts expectedCounts(const Graph& g, FuseVariant v) {
    Counts c{g.totalMacs, g.totalParams};
    const std::int64_t factor = v == FuseVariant::Full ? 2 : 1;
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        if (n.op != Op::DwConv)
            continue;
        const std::int64_t k = n.kernelH;
        c.macs += factor * n.out.elements() * k - n.macs;
        c.params += factor * std::int64_t(n.out.c) * k - n.params; // no bias here
        if (v == FuseVariant::Half)
            continue;
        for (std::size_t j = i + 1; j < g.nodes.size(); ++j) {
            const Node& next = g.nodes[j];
            if (next.op == Op::Bn)
                c.params += next.params; // 2C more scale and shift
            if (next.op == Op::PwConv) {
                c.macs += next.macs;
                c.params += next.params;
                break;
            }
        }
    }
    return c;
}

// A network whose bundle instances offer every FuSe choice, and one (B3, a depthwise layer
// into an add) where full would double the channels the add needs equal.
const char* kFuseSearch = R"(name: s
device: zcu102
input: {channels: 3, height: 32, width: 32}
precision: {weights: 8, activations: 8}
bundles:
  dw_pw:
    - {op: dwconv, kernel: 3}
    - {op: bn}
    - {op: relu}
    - {op: pwconv}
  dw_only:
    - {op: dwconv, kernel: 3}
    - {op: relu}
network:
  - {op: conv, kernel: 3, stride: 2, channels: 16, id: stem}
  - {bundle: dw_pw, channels: 16, repeat: 2}
  - {bundle: dw_only}
  - {op: add, inputs: [stem]}
  - {bundle: dw_pw, channels: 32}
  - {op: global_avgpool}
  - {op: fc, channels: 10}
search:
  channels: {min: 16, max: 32, step: 16}
  fuse: [none, half, full]
accelerator: {arch: systolic, auto: true}
)";

// The bundle instances each fuse coordinate of kFuseSearch rewrites.
const std::map<std::string, std::vector<std::string>> kFuseInstances{
    {"B1.fuse", {"B1", "B2"}}, {"B3.fuse", {"B3"}}, {"B4.fuse", {"B4"}}};

} // namespace

class TestTransforms : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void halfRewritesEveryDepthwiseLayer() {
        const Project p = mobileNet();
        const Graph before = graphOf(p);
        const FuseTransformResult r = transformed(p, options(FuseVariant::Half));
        QCOMPARE(r.rewritten.size(), std::size_t(13));
        QCOMPARE(r.rewritten.front(), std::string("B1.dwconv"));
        const Graph after = graphOf(r.project);
        QCOMPARE(after.nodes.size(), before.nodes.size());
        for (const Node& n : after.nodes)
            QVERIFY(n.op != Op::DwConv);
        QCOMPARE(after.nodes[3].name, std::string("B1.fuse"));
        QVERIFY(after.nodes[3].variant == FuseVariant::Half);
        QCOMPARE(after.nodes[3].out, before.nodes[3].out);
        const Counts want = expectedCounts(before, FuseVariant::Half);
        QCOMPARE(after.totalMacs, want.macs);
        QCOMPARE(after.totalParams, want.params);
        // 3 x 3 becomes 1 x 3: the depthwise MACs (17,385,984 of 568.7 M, summed by hand over
        // the 13 layers) drop to a third.
        QCOMPARE(before.totalMacs - after.totalMacs, std::int64_t(17385984 / 3 * 2));
        // Bundles stay bundles: two definitions, renamed, the originals gone.
        QCOMPARE(r.project.bundles.size(), std::size_t(2));
        QCOMPARE(r.project.bundles[0].name, std::string("dw_pw_fuse_half"));
        QCOMPARE(r.project.bundles[1].name, std::string("dw_pw_s2_fuse_half"));
        QCOMPARE(r.project.network.size(), p.network.size());
    }

    void fullWidensTheNextPointwise() {
        const Project p = mobileNet();
        const Graph before = graphOf(p);
        const FuseTransformResult r = transformed(p, options(FuseVariant::Full));
        const Graph after = graphOf(r.project);
        QCOMPARE(after.nodes[3].out.c, 2 * before.nodes[3].out.c);
        QCOMPARE(after.nodes[6].in.c, 2 * before.nodes[6].in.c); // B1.pwconv takes 2C
        QCOMPARE(after.nodes[6].out, before.nodes[6].out);
        const Counts want = expectedCounts(before, FuseVariant::Full);
        QCOMPARE(after.totalMacs, want.macs);
        QCOMPARE(after.totalParams, want.params);
    }

    void roundTripsThroughTheYaml() {
        for (FuseVariant v : {FuseVariant::Half, FuseVariant::Full}) {
            Project p = mobileNet();
            p.precision.layers["B9.dwconv"].weights = FixedType{6, 2};
            p.precision.layers["L14.fc"].weights = FixedType{4, 2};
            const FuseTransformResult r = transformed(p, options(v, {}, 9));
            const std::string text = projectToYaml(r.project);
            bool ok = false;
            const Project back = parseOrFail(text, ok);
            QVERIFY2(ok, text.c_str());
            QVERIFY(back == r.project);
            QCOMPARE(graphOf(back).totalMacs, graphOf(r.project).totalMacs);
        }
    }

    // --layers inside a repeat: the entry splits around the chosen instance; the single layers
    // after it move one position down the list, and the precision overrides follow.
    void splitsARepeatAndRenamesOverrides() {
        Project p = mobileNet();
        p.precision.layers["B9.dwconv"].weights = FixedType{6, 2};
        p.precision.layers["L14.fc"].weights = FixedType{4, 2};
        const FuseTransformResult r = transformed(p, options(FuseVariant::Half, {"B9.dwconv"}));
        QCOMPARE(r.rewritten, std::vector<std::string>{"B9.dwconv"});
        const std::vector<NetworkEntry>& net = r.project.network;
        QCOMPARE(net.size(), p.network.size() + 2);
        QCOMPARE(net[9].bundle, std::string("dw_pw"));
        QCOMPARE(net[9].repeat, 2);
        QCOMPARE(net[10].bundle, std::string("dw_pw_fuse_half"));
        QCOMPARE(net[10].repeat, 1);
        QCOMPARE(net[10].channels, 512);
        QCOMPARE(net[11].repeat, 2);
        const Graph g = graphOf(r.project);
        QCOMPARE(g.nodes[size_t(g.findNode("B9.fuse"))].weights, (FixedType{6, 2}));
        QCOMPARE(g.nodes[size_t(g.findNode("L16.fc"))].weights, (FixedType{4, 2}));
        QVERIFY(r.project.precision.layers.count("B9.fuse"));
        QVERIFY(r.project.precision.layers.count("L16.fc"));
        QVERIFY(!r.project.precision.layers.count("L14.fc"));
    }

    void firstNAndGroupNames() {
        const Project p = mobileNet();
        FuseTransformResult r = transformed(p, options(FuseVariant::Half, {}, 2));
        QCOMPARE(r.rewritten, (std::vector<std::string>{"B1.dwconv", "B2.dwconv"}));
        QCOMPARE(r.project.network[3].bundle, std::string("dw_pw_fuse_half"));
        QCOMPARE(r.project.network[4].bundle, std::string("dw_pw_s2_fuse_half"));
        QCOMPARE(r.project.network[5].bundle, std::string("dw_pw"));
        QCOMPARE(r.project.bundles.size(), std::size_t(4)); // both originals still used
        r = transformed(p, options(FuseVariant::Full, {"B13"}));
        QCOMPARE(r.rewritten, std::vector<std::string>{"B13.dwconv"});
    }

    // The MobileNet-V1 FuSe example is the transform of its depthwise original.
    void fuseExampleIsTheTransformOfItsOriginal() {
        auto load = [](const char* name) {
            Result<Project> p = loadProjectFile(sourcePath(std::string("examples/") + name));
            if (!p.ok())
                qFatal("%s", p.error().format().c_str());
            return std::move(p).value();
        };
        const Project original = load("mobilenet-v1-systolic.yaml");
        const Project fuse = load("mobilenet-v1-fuse.yaml");
        const FuseTransformResult r = transformed(original, options(FuseVariant::Half));
        QVERIFY(r.project.bundles == fuse.bundles);
        QVERIFY(r.project.network == fuse.network);
    }

    // ---- FuSe on a bundle (the studio's action) ---------------------------------------------

    // Every instance of the bundle is rewritten: the same as the transform of those instances.
    void fuseBundleRewritesItsInstances() {
        const Project p = mobileNet();
        Result<FuseBundleResult> r = fuseBundle(p, "dw_pw", FuseVariant::Half);
        QVERIFY(r.ok());
        QCOMPARE(r->newBundle, std::string("dw_pw_fuse_half"));
        QVERIFY(!r->project.findBundle("dw_pw"));
        QVERIFY(r->project.findBundle("dw_pw_s2")); // the other bundle as it was
        const FuseTransformResult t =
            transformed(p, options(FuseVariant::Half,
                                   {"B1", "B3", "B5", "B7", "B8", "B9", "B10", "B11", "B13"}));
        QVERIFY(r->project == t.project);
        QCOMPARE(t.rewritten.size(), std::size_t(9));
    }

    // A bundle no instance uses yet (one being designed) is rewritten where it stands, and
    // the transform leaves such bundles alone when it rewrites others.
    void fuseBundleRewritesAnUnusedDefinitionInPlace() {
        bool ok = false;
        const Project p = parseOrFail(
            projectWith("  - {bundle: dw_pw, channels: 8}\n",
                        "{channels: 3, height: 16, width: 16}",
                        "bundles:\n  dw_pw: [{op: dwconv}, {op: pwconv}]\n"
                        "  spare: [{op: dwconv, kernel: 5}, {op: relu}, {op: pwconv}]\n"),
            ok);
        QVERIFY(ok);
        Result<FuseBundleResult> r = fuseBundle(p, "spare", FuseVariant::Full);
        QVERIFY(r.ok());
        QCOMPARE(r->newBundle, std::string("spare_fuse_full"));
        QCOMPARE(r->project.bundles[1].name, std::string("spare_fuse_full"));
        QVERIFY(r->project.bundles[1].layers[0].op == Op::Fuse);
        QVERIFY(r->project.bundles[1].layers[0].variant == FuseVariant::Full);
        QCOMPARE(r->project.bundles[1].layers[0].kernelH, 5);
        QVERIFY(r->project.network == p.network);
        // FuSe on the used bundle keeps the unused one.
        r = fuseBundle(p, "dw_pw", FuseVariant::Half);
        QVERIFY(r.ok());
        QVERIFY(r->project.findBundle("spare"));
        QVERIFY(r->project.findBundle("dw_pw_fuse_half") && !r->project.findBundle("dw_pw"));
    }

    void fuseBundleErrors() {
        const Project p = mobileNet();
        Result<FuseBundleResult> r = fuseBundle(p, "nope", FuseVariant::Half);
        QVERIFY(!r.ok() &&
                r.error().message.find("no bundle is named 'nope'") != std::string::npos);
        bool ok = false;
        const Project plain = parseOrFail(
            projectWith("  - {bundle: pw, channels: 8}\n", "{channels: 3, height: 16, width: 16}",
                        "bundles:\n  pw: [{op: pwconv}, {op: relu}]\n"),
            ok);
        QVERIFY(ok);
        r = fuseBundle(plain, "pw", FuseVariant::Full);
        QVERIFY(!r.ok() && r.error().message.find("no depthwise") != std::string::npos);
    }

    // ---- FuSe in the search space (search.fuse) -------------------------------------------

    void searchFuseRoundTripsAndChecksItsWords() {
        bool ok = false;
        const Project p = parseOrFail(kFuseSearch, ok);
        QVERIFY(ok);
        QVERIFY((p.search.fuse ==
                 std::vector<FuseChoice>{FuseChoice::None, FuseChoice::Half, FuseChoice::Full}));
        const Project back = parseOrFail(projectToYaml(p), ok);
        QVERIFY(ok && back == p);
        std::string bad = kFuseSearch;
        bad.replace(bad.find("[none, half, full]"), 18, "[none, third]");
        Result<Project> r = parseProject(bad, "bad.yaml");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().pos.line, 24);
        QVERIFY(r.error().message.find("'third' is not one of: none, half, full") !=
                std::string::npos);
    }

    // One coordinate per bundle entry with a depthwise layer, over the choices that fit it.
    void searchFuseCoordinates() {
        bool ok = false;
        Result<DesignSpace> s = DesignSpace::fromProject(parseOrFail(kFuseSearch, ok));
        QVERIFY(s.ok());
        std::map<std::string, std::vector<std::string>> labels;
        for (const Coordinate& c : s->coordinates())
            if (c.kind == Coordinate::Kind::Fuse)
                labels[c.name] = c.labels;
        const std::vector<std::string> all{"none", "half", "full"};
        QCOMPARE(labels.size(), std::size_t(3));
        QVERIFY(labels["B1.fuse"] == all);
        QVERIFY(labels["B4.fuse"] == all);
        QVERIFY((labels["B3.fuse"] == std::vector<std::string>{"none", "half"})); // not full
        // The base point is the project as written.
        QVERIFY(*s->apply(s->basePoint()) == s->baseProject());
    }

    // Every point builds, the fused instances hold fuse layers of their choice, and the MACs
    // are those of the same point without FuSe, corrected layer by layer: a depthwise 3 x 3
    // on C channels (H x W outputs) costs 9 HWC; fuse half 3 HWC; fuse full 6 HWC and its
    // next pwconv twice its MACs. Every point is a valid candidate of the search.
    void searchFuseEveryPointBuildsAndTheMacsFollow() {
        bool ok = false;
        Result<DesignSpace> s = DesignSpace::fromProject(parseOrFail(kFuseSearch, ok));
        QVERIFY(s.ok());
        const CandidateEvaluator evaluator(*s, *DeviceLibrary::builtin().find("zcu102"), {});
        int fused = 0;
        for (std::uint64_t i = 0; i < s->size(); ++i) {
            const DesignPoint p = s->pointAt(i);
            Result<Project> applied = s->apply(p);
            QVERIFY2(applied.ok(), s->describe(p).c_str());
            Result<Graph> g = buildGraph(*applied);
            QVERIFY2(g.ok(), s->describe(p).c_str());
            DesignPoint plain = p;
            std::int64_t expected = 0;
            for (std::size_t k = 0; k < p.size(); ++k)
                if (s->coordinates()[k].kind == Coordinate::Kind::Fuse)
                    plain[k] = 0; // none
            const Graph q = graphOf(*s->apply(plain));
            expected = q.totalMacs;
            for (std::size_t k = 0; k < p.size(); ++k) {
                const Coordinate& c = s->coordinates()[k];
                if (c.kind != Coordinate::Kind::Fuse || c.labels[std::size_t(p[k])] == "none")
                    continue;
                const bool full = c.labels[std::size_t(p[k])] == "full";
                for (const std::string& instance : kFuseInstances.at(c.name)) {
                    const Node& dw = q.nodes[std::size_t(q.findNode(instance + ".dwconv"))];
                    const std::int64_t hwc = dw.out.elements();
                    expected += full ? -3 * hwc : -6 * hwc;
                    if (full)
                        expected += q.nodes[std::size_t(q.findNode(instance + ".pwconv"))].macs;
                    const int f = g->findNode(instance + ".fuse");
                    QVERIFY2(f >= 0, (s->describe(p) + ": no " + instance + ".fuse").c_str());
                    QVERIFY(g->nodes[std::size_t(f)].variant ==
                            (full ? FuseVariant::Full : FuseVariant::Half));
                    ++fused;
                }
            }
            QVERIFY2(g->totalMacs == expected, s->describe(p).c_str());
            const CandidateQos qos = evaluator.qos(p);
            QVERIFY2(qos.valid, qos.invalidReason.c_str());
            QCOMPARE(qos.estimate.macs, expected);
        }
        QVERIFY(fused > 0);
    }

    void errorsNameTheProblem() {
        const Project p = mobileNet();
        auto message = [&](FuseTransformOptions o) {
            Result<FuseTransformResult> r = fuseTransform(p, o);
            return r.ok() ? std::string() : r.error().format();
        };
        QVERIFY(message(options(FuseVariant::Half, {"B1"}, 2)).find("not both") !=
                std::string::npos);
        QVERIFY(message(options(FuseVariant::Half, {"B99.dwconv"})).find("B99.dwconv") !=
                std::string::npos);
        QVERIFY(message(options(FuseVariant::Half, {"B1.pwconv"})).find("not a depthwise") !=
                std::string::npos);
        QVERIFY(message(options(FuseVariant::Half, {"L1"})).find("no depthwise") !=
                std::string::npos);
        QVERIFY(message(options(FuseVariant::Half, {}, 14)).find("has 13") != std::string::npos);
        bool ok = false;
        const Project plain = parseOrFail(projectWith("  - {op: conv, channels: 8}\n"), ok);
        QVERIFY(!fuseTransform(plain, {}).ok());
        // Full doubles the channels into an add whose other operand keeps C.
        const Project skip =
            parseOrFail(projectWith("  - {op: conv, channels: 8, id: x}\n  - {op: dwconv}\n"
                                    "  - {op: add, inputs: [x]}\n"),
                        ok);
        QVERIFY(ok);
        QVERIFY(fuseTransform(skip, options(FuseVariant::Half)).ok());
        Result<FuseTransformResult> full = fuseTransform(skip, options(FuseVariant::Full));
        QVERIFY(!full.ok());
        QVERIFY(full.error().message.find("fuse full does not fit: add needs inputs of one "
                                          "shape") != std::string::npos);
        QCOMPARE(full.error().layer, std::string("L3.add"));
    }
};

QTEST_GUILESS_MAIN(TestTransforms)
#include "test_transforms.moc"
