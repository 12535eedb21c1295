// Co-design search: Pareto archive, hypervolume, design space, strategies and the engine.
#include "core/estimate/design_estimate.h"
#include "core/hw/device_library.h"
#include "core/qor/benchmark_qor.h"
#include "core/search/bundle_explorer.h"
#include "core/search/fps_ladder.h"
#include "core/search/nsga2_ranking.h"
#include "core/search/search_engine.h"
#include "core/search/search_report.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <atomic>
#include <cmath>
#include <random>
#include <set>
#include <thread>

using namespace codesign;
using namespace codesign::testing;

namespace {

// A small space around DNN-A: 3 x 3 x 3 x 3 channels x 2 weight widths x 2 resize = 324;
// about half of it reaches 90 FPS.
const char* kSmallSearch = "search:\n"
                           "  target_fps: 90\n"
                           "  channels: {min: 32, max: 96, step: 32}\n"
                           "  weight_bits: [8, 16]\n"
                           "  resize: [0.85, 1.0]\n";

Project exploreProject(const std::string& search) {
    std::string text = readText(sourcePath("examples/dac19-dnn-a.yaml")) + search;
    Result<Project> p = parseProject(text, "small.yaml");
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    return std::move(p).value();
}

SearchConstraints constraintsOf(const Project& p) {
    return {p.search.targetFps, p.search.resourceCap, p.search.powerBudgetW};
}

struct Run {
    DesignSpace space;
    SearchOutcome outcome;
};

// A strategy, and for SCD whether it runs in front mode.
struct Mode {
    Mode(StrategyKind k, bool f = false) : kind(k), front(f) {}
    StrategyKind kind;
    bool front;
};

Run run(const std::string& search, Mode mode, int budget, std::uint64_t seed,
        SearchObserver* observer = nullptr, RunControl* external = nullptr) {
    const Project p = exploreProject(search);
    Result<DesignSpace> space = DesignSpace::fromProject(p);
    if (!space.ok())
        qFatal("%s", space.error().format().c_str());
    const Device device = *DeviceLibrary::builtin().find("pynq-z1");
    Run r{std::move(space).value(), {}};
    CandidateEvaluator candidates(r.space, device, constraintsOf(p));
    BenchmarkQorEvaluator qor;
    SearchSettings s;
    s.strategy = mode.kind;
    s.strategyOptions.front = mode.front;
    s.budget = budget;
    s.strategyOptions.seed = seed;
    RunControl local;
    Result<SearchOutcome> o =
        runSearch(r.space, candidates, qor, s, external ? *external : local, observer);
    if (!o.ok())
        qFatal("%s", o.error().format().c_str());
    r.outcome = std::move(o).value();
    return r;
}

// The lowest and highest FPS on a run's front.
std::pair<double, double> frontFpsSpan(const SearchOutcome& o) {
    double lo = 1e300, hi = 0;
    for (const auto& e : o.archive.front()) {
        lo = std::min(lo, e.objectives.fps);
        hi = std::max(hi, e.objectives.fps);
    }
    return {lo, hi};
}

double frontHypervolume(const SearchOutcome& o, const Objectives& reference) {
    std::vector<Objectives> front;
    for (const auto& e : o.archive.front())
        front.push_back(e.objectives);
    return hypervolume3d(front, reference);
}

// The hypervolume of the feasible designs among the first `count` evaluated.
double hypervolumeOfFirst(const SearchOutcome& o, std::size_t count, const Objectives& ref) {
    ParetoArchive archive;
    for (std::size_t i = 0; i < count && i < o.points.size(); ++i)
        if (o.points[i].feasible)
            archive.insert(o.points[i].id, o.points[i].objectives());
    std::vector<Objectives> front;
    for (const auto& e : archive.front())
        front.push_back(e.objectives);
    return hypervolume3d(front, ref);
}

RankedMember member(int id, double qor, double fps, double power, double violation = 0) {
    RankedMember m;
    m.id = id;
    m.objectives = {qor, fps, power};
    m.feasible = violation == 0;
    m.violation = violation;
    return m;
}

// Stops the run after `after` designs, as the GUI's Stop button would.
class StopAfter : public SearchObserver {
public:
    StopAfter(RunControl& control, int after) : control_(control), after_(after) {}
    void pointEvaluated(const EvaluatedPoint& p) override {
        if (p.id + 1 >= after_)
            control_.stop();
    }

private:
    RunControl& control_;
    int after_;
};

} // namespace

class TestSearch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dominance() {
        QVERIFY(dominates({0.6, 30, 2}, {0.5, 30, 2}));
        QVERIFY(dominates({0.6, 30, 1.9}, {0.6, 30, 2}));
        QVERIFY(!dominates({0.6, 30, 2}, {0.6, 30, 2}));
        QVERIFY(!dominates({0.7, 20, 2}, {0.6, 30, 2}));
    }

    void archiveKeepsTheFront() {
        ParetoArchive a;
        QVERIFY(a.insert(0, {0.5, 20, 2}));
        QVERIFY(a.insert(1, {0.6, 10, 2}));  // trade-off: both stay
        QVERIFY(!a.insert(2, {0.4, 15, 2})); // dominated by 0
        QVERIFY(!a.insert(3, {0.5, 20, 2})); // equal to 0: the first stays
        QVERIFY(a.insert(4, {0.7, 25, 1}));  // dominates both
        QCOMPARE(a.size(), std::size_t(1));
        QVERIFY(a.contains(4));
        QVERIFY(!a.contains(0));
    }

    // Three staircase points: 3*1 + 2*(2-1) + 1*(3-2) = 6.
    void hypervolume2dByHand() {
        QCOMPARE(hypervolume2d({{3, 1}, {2, 2}, {1, 3}}, 0, 0), 6.0);
        QCOMPARE(hypervolume2d({{3, 1}, {2, 2}, {1, 3}, {1, 1}}, 0, 0), 6.0); // dominated adds 0
        QCOMPARE(hypervolume2d({{3, 1}}, 1, 0), 2.0);
        QCOMPARE(hypervolume2d({}, 0, 0), 0.0);
    }

    // A (0.5 QoR, 10 FPS, 1 W) and B (0.8, 5, 2) against (0, 0, 3 W):
    // power 1..2 only A: 0.5 * 10 = 5; power 2..3 both: 5 + 0.3 * 5 = 6.5; total 11.5.
    void hypervolume3dByHand() {
        QCOMPARE(hypervolume3d({{0.5, 10, 1}}, {0, 0, 3}), 10.0);
        QVERIFY(std::abs(hypervolume3d({{0.5, 10, 1}, {0.8, 5, 2}}, {0, 0, 3}) - 11.5) < 1e-12);
        QCOMPARE(hypervolume3d({{0.5, 10, 4}}, {0, 0, 3}), 0.0); // above the reference power
    }

    // Integer points: the dominated volume is a count of unit cells, each cell dominated
    // when some point is at least its upper corner in QoR and FPS and at most its lower
    // corner in power. Random sets with duplicates and dominated points.
    void hypervolume3dAgainstCellCounting() {
        std::mt19937 rng(7);
        std::uniform_int_distribution<int> coord(1, 6);
        for (int trial = 0; trial < 200; ++trial) {
            std::vector<Objectives> pts(1 + trial % 12);
            for (Objectives& p : pts)
                p = {double(coord(rng)), double(coord(rng)), double(coord(rng))};
            const Objectives ref{0, 0, 7};
            double cells = 0;
            for (int q = 0; q < 6; ++q)
                for (int f = 0; f < 6; ++f)
                    for (int w = 0; w < 7; ++w) {
                        bool covered = false;
                        for (const Objectives& p : pts)
                            covered =
                                covered || (p.qor >= q + 1 && p.fps >= f + 1 && p.powerW <= w);
                        cells += covered ? 1 : 0;
                    }
            QCOMPARE(hypervolume3d(pts, ref), cells);
        }
    }

    void designSpaceOfTheExample() {
        Result<Project> p = loadProjectFile(sourcePath("examples/dac-sdc-explore.yaml"));
        QVERIFY(p.ok());
        Result<DesignSpace> s = DesignSpace::fromProject(*p);
        QVERIFY(s.ok());
        QCOMPARE(s->dimensions(), std::size_t(7));
        QCOMPARE(s->size(), std::uint64_t(196'608));
        QCOMPARE(s->coordinates()[0].name, std::string("B1.channels"));
        QCOMPARE(s->coordinates()[6].name, std::string("resize"));
        const DesignPoint base = s->basePoint();
        QCOMPARE(s->value(base, 1), 96.0); // B2 has 96 channels
        QCOMPARE(s->value(base, 4), 16.0); // weight bits
        const Project applied = s->apply(s->pointAt(1));
        QCOMPARE(applied.network[0].channels, 64); // coordinate 0 varies fastest
        QCOMPARE(applied.input.resize, 0.7);
        QCOMPARE(applied.precision.weights.width, 8);
    }

    void everyStrategyRespectsTheConstraints_data() {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<bool>("front");
        QTest::newRow("scd") << int(StrategyKind::Scd) << false;
        QTest::newRow("scd front") << int(StrategyKind::Scd) << true;
        QTest::newRow("nsga2") << int(StrategyKind::Nsga2) << false;
        QTest::newRow("random") << int(StrategyKind::Random) << false;
        QTest::newRow("anneal") << int(StrategyKind::Anneal) << false;
        QTest::newRow("exhaustive") << int(StrategyKind::Exhaustive) << false;
    }
    void everyStrategyRespectsTheConstraints() {
        QFETCH(int, strategy);
        QFETCH(bool, front);
        const Run r = run(kSmallSearch, {StrategyKind(strategy), front}, 120, 7);
        const Device device = *DeviceLibrary::builtin().find("pynq-z1");
        int feasible = 0, infeasible = 0;
        for (const EvaluatedPoint& p : r.outcome.points) {
            const bool meets = p.valid && p.qor.ok() && p.fps >= 90 &&
                               p.used.dsp <= 0.9 * device.dsp &&
                               p.used.bram18 <= 0.9 * device.bram18 &&
                               p.used.lut <= 0.9 * device.lut && p.used.ff <= 0.9 * device.ff;
            QCOMPARE(p.feasible, meets);
            if (p.feasible) {
                ++feasible;
                QCOMPARE(p.objective, p.qor.qor);
            } else {
                ++infeasible;
                QVERIFY(p.objective < -1);
                QVERIFY(!p.violations.empty());
            }
            QCOMPARE(r.outcome.archive.contains(p.id) && !p.feasible, false);
        }
        QVERIFY(feasible > 0);
        QVERIFY(infeasible > 0); // the target FPS bites in this space
        QVERIFY(r.outcome.points[r.outcome.bestId].feasible);
        for (const auto& e : r.outcome.archive.front())
            for (const EvaluatedPoint& p : r.outcome.points)
                if (p.feasible)
                    QVERIFY(!dominates(p.objectives(), e.objectives));
    }

    void deterministicForASeed_data() {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<bool>("front");
        QTest::newRow("scd") << int(StrategyKind::Scd) << false;
        QTest::newRow("scd front") << int(StrategyKind::Scd) << true;
        QTest::newRow("nsga2") << int(StrategyKind::Nsga2) << false;
        QTest::newRow("random") << int(StrategyKind::Random) << false;
        QTest::newRow("anneal") << int(StrategyKind::Anneal) << false;
    }
    void deterministicForASeed() {
        QFETCH(int, strategy);
        QFETCH(bool, front);
        const Mode mode(StrategyKind(strategy), front);
        const Run a = run(kSmallSearch, mode, 80, 42);
        const Run b = run(kSmallSearch, mode, 80, 42);
        const Run c = run(kSmallSearch, mode, 80, 43);
        QCOMPARE(a.outcome.points.size(), b.outcome.points.size());
        bool differs = a.outcome.points.size() != c.outcome.points.size();
        for (std::size_t i = 0; i < a.outcome.points.size(); ++i) {
            QCOMPARE(a.outcome.points[i].point, b.outcome.points[i].point);
            QCOMPARE(a.outcome.points[i].objective, b.outcome.points[i].objective);
            if (i < c.outcome.points.size() &&
                c.outcome.points[i].point != a.outcome.points[i].point)
                differs = true;
        }
        QCOMPARE(a.outcome.hypervolume, b.outcome.hypervolume);
        QVERIFY(differs);
    }

    void exhaustiveCoversTheSpaceOnce() {
        const Run r = run(kSmallSearch, StrategyKind::Exhaustive, 100000, 1);
        QCOMPARE(r.outcome.points.size(), std::size_t(324));
        QCOMPARE(r.outcome.stopReason, std::string("space exhausted"));
        std::set<DesignPoint> distinct;
        for (const EvaluatedPoint& p : r.outcome.points)
            distinct.insert(p.point);
        QCOMPARE(distinct.size(), std::size_t(324));
    }

    // SCD on the small space finds the exhaustive optimum (or within 1 %) with a fraction
    // of its evaluations, for most seeds. The 196,608-point benchmark is in bench/.
    void scdApproachesTheExhaustiveBest() {
        const Run all = run(kSmallSearch, StrategyKind::Exhaustive, 100000, 1);
        const double best = all.outcome.points[all.outcome.bestId].objective;
        int good = 0;
        for (std::uint64_t seed = 1; seed <= 10; ++seed) {
            const Run scd = run(kSmallSearch, StrategyKind::Scd, 100, seed);
            if (scd.outcome.points[scd.outcome.bestId].objective >= 0.99 * best)
                ++good;
        }
        QVERIFY2(good >= 6, qPrintable(QStringLiteral("%1 of 10 seeds").arg(good)));
    }

    // Annealing on the 196,608-design benchmark space spends its budget on new designs:
    // once cold it reheats instead of stopping as converged.
    void annealUsesItsBudget() {
        Result<Project> p = loadProjectFile(sourcePath("examples/dac-sdc-explore.yaml"));
        QVERIFY(p.ok());
        Result<DesignSpace> s = DesignSpace::fromProject(*p);
        QVERIFY(s.ok());
        const Device device = *DeviceLibrary::builtin().find("pynq-z1");
        CandidateEvaluator candidates(*s, device, constraintsOf(*p));
        BenchmarkQorEvaluator qor;
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            RunControl control;
            SearchSettings settings;
            settings.strategy = StrategyKind::Anneal;
            settings.budget = 3000;
            settings.strategyOptions.seed = seed;
            Result<SearchOutcome> o = runSearch(*s, candidates, qor, settings, control);
            QVERIFY(o.ok());
            QCOMPARE(o->points.size(), std::size_t(3000));
            QCOMPARE(o->stopReason, std::string("budget spent"));
        }
    }

    void cancelStopsBeforeTheBudget() {
        RunControl control;
        StopAfter stopper(control, 25);
        const Run r = run(kSmallSearch, StrategyKind::Random, 200, 3, &stopper, &control);
        QVERIFY(r.outcome.cancelled);
        QCOMPARE(r.outcome.stopReason, std::string("cancelled"));
        QVERIFY(r.outcome.points.size() >= 25);
        QVERIFY(r.outcome.points.size() < 200);
    }

    // Stop from another thread while the search runs (the GUI's case).
    void cancelFromAnotherThread() {
        RunControl control;
        std::atomic<int> seen{0};
        class Counter : public SearchObserver {
        public:
            explicit Counter(std::atomic<int>& n) : n_(n) {}
            void pointEvaluated(const EvaluatedPoint&) override { ++n_; }
            std::atomic<int>& n_;
        } counter(seen);
        std::thread stopper([&] {
            while (seen < 10)
                std::this_thread::yield();
            control.stop();
        });
        const Run r = run("search:\n  channels: {min: 16, max: 512, step: 16}\n",
                          StrategyKind::Random, 1'000'000, 5, &counter, &control);
        stopper.join();
        QVERIFY(r.outcome.cancelled);
        QVERIFY(r.outcome.points.size() < 1'000'000);
    }

    void pauseHoldsTheSearch() {
        RunControl control;
        class PauseAt : public SearchObserver {
        public:
            explicit PauseAt(RunControl& c) : c_(c) {}
            void pointEvaluated(const EvaluatedPoint& p) override {
                if (p.id == 9)
                    c_.pause();
                count = p.id + 1;
            }
            RunControl& c_;
            std::atomic<int> count{0};
        } pauser(control);
        // The pause takes hold after the current batch; then nothing may move. The
        // resumer always resumes (a check failing on its thread must not hang the search).
        int atHold = -1;
        int afterWait = -1;
        std::atomic<bool> searchEnded{false};
        std::thread resumer([&] {
            while (!control.holding())
                if (searchEnded)
                    return; // it never paused: the checks below fail
                else
                    std::this_thread::yield();
            atHold = pauser.count;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            afterWait = pauser.count;
            control.resume();
        });
        const Run r = run(kSmallSearch, StrategyKind::Random, 40, 9, &pauser, &control);
        searchEnded = true;
        resumer.join();
        QCOMPARE(afterWait, atHold); // nothing moved while paused
        QVERIFY(atHold >= 10 && atHold < 40);
        QVERIFY(!r.outcome.cancelled);
        QVERIFY(r.outcome.points.size() == 40 || r.outcome.stopReason != "budget spent");
    }

    void badSettingsAreRefused() {
        const Project p = exploreProject(kSmallSearch);
        Result<DesignSpace> space = DesignSpace::fromProject(p);
        const Device device = *DeviceLibrary::builtin().find("pynq-z1");
        CandidateEvaluator candidates(*space, device, constraintsOf(p));
        BenchmarkQorEvaluator qor;
        RunControl control;
        SearchSettings s;
        s.budget = 0;
        QVERIFY(!runSearch(*space, candidates, qor, s, control).ok());
        s.budget = 10;
        s.strategy = StrategyKind::Exhaustive;
        s.exhaustiveLimit = 100;
        Result<SearchOutcome> o = runSearch(*space, candidates, qor, s, control);
        QVERIFY(!o.ok());
        QVERIFY(o.error().message.find("324 points") != std::string::npos);
    }

    // Step 1: the pool. Length 1: pwconv, conv3 (2); length 2: 16 pairs minus the 4 with
    // only dwconv/fuse (12); each x bn x activation x pool = 8 variants: (2 + 12) x 8.
    void bundlePoolEnumeration() {
        BundlePoolOptions o;
        o.maxLength = 2;
        const auto bundles = enumerateBundles(o);
        QCOMPARE(bundles.size(), std::size_t(112));
        std::set<std::string> names;
        for (const BundleDef& b : bundles) {
            names.insert(b.name);
            const bool setsWidth =
                std::any_of(b.layers.begin(), b.layers.end(), [](const LayerSpec& l) {
                    return l.op == Op::PwConv || l.op == Op::Conv;
                });
            QVERIFY(setsWidth);
        }
        QCOMPARE(names.size(), bundles.size());
        QVERIFY(names.count("dwconv3-pwconv-relu-pool"));
    }

    // The prototype: N instances (C, 2C, 4C) and the base network's head.
    void bundlePrototype() {
        const Project base = exploreProject("");
        BundlePoolOptions o;
        BundleDef b;
        b.name = "pw";
        b.layers.push_back(LayerSpec{});
        b.layers[0].op = Op::PwConv;
        const Project proto = prototypeProject(base, b, o);
        bool ok = false;
        Graph g = graphOrFail(proto, ok);
        QVERIFY(ok);
        QCOMPARE(g.nodes[0].out.c, 32);
        QCOMPARE(g.outputNode().op, Op::BboxHead); // the head of DNN-A
        int maxpools = 0;
        for (const Node& n : g.nodes)
            maxpools += n.op == Op::MaxPool ? 1 : 0;
        QCOMPARE(maxpools, 2); // down-sampling between the three instances
    }

    // A realistic tail (issue 12, item 3): a precision override outside the tail and a concat
    // with a body layer made every prototype fail. The prototype keeps the tail's path from
    // the body's output, its layers' names and their overrides, and nothing else.
    void bundlePrototypeOfATailWithBranches() {
        bool ok = false;
        const Project base = parseOrFail(R"(name: skips
device: pynq-z1
input: {channels: 3, height: 64, width: 64}
precision:
  weights: 8
  activations: 8
  layers:
    L1.conv: {activations: 12}
    head: {activations: 10}
bundles:
  dw_pw_pool:
    - {op: dwconv, kernel: 3}
    - {op: pwconv}
    - {op: relu}
    - {op: maxpool, kernel: 2}
network:
  - {op: conv, channels: 16}
  - {bundle: dw_pw_pool, channels: 32, id: p2}
  - {bundle: dw_pw_pool, channels: 64, id: last}
  - {op: upsample, factor: 2, id: up}
  - {op: concat, inputs: [p2]}
  - {op: reorg, factor: 2, from: p2, id: side}
  - {op: pwconv, channels: 8, from: last, id: q}
  - {op: concat, from: last, inputs: [side, q]}
  - {op: pwconv, channels: 10, name: head}
  - {op: bbox_head, anchors: 2}
accelerator: {arch: tiled, auto: true}
)",
                                         ok);
        QVERIFY(ok);
        QVERIFY(buildGraph(base).ok());
        BundlePoolOptions o;
        BundleDef b;
        b.name = "pw";
        b.layers.push_back(LayerSpec{});
        b.layers[0].op = Op::PwConv;
        const Project proto = prototypeProject(base, b, o);
        const Graph g = graphOrFail(proto, ok);
        QVERIFY(ok);
        std::vector<std::string> tail;
        for (const Node& n : g.nodes)
            if (g.groups[n.group].bundle.empty() && n.op != Op::MaxPool)
                tail.push_back(n.name);
        // The first concat joins a body branch only (the identity here), the reorg reads the
        // body, the second concat keeps its operands on the path (the body's output and q).
        const std::vector<std::string> expected{"L4.upsample", "L7.pwconv", "L8.concat", "head",
                                                "L10.bbox_head"};
        QCOMPARE(tail, expected);
        const Node& concat = g.nodes[g.findNode("L8.concat")];
        QCOMPARE(concat.inputs.size(), std::size_t(2));
        QCOMPARE(g.groups[g.nodes[concat.inputs[0]].group].name, std::string("B3"));
        QCOMPARE(g.nodes[concat.inputs[1]].name, std::string("L7.pwconv"));
        QCOMPARE(g.nodes[g.findNode("L7.pwconv")].inputs, std::vector<int>{concat.inputs[0]});
        QCOMPARE(g.nodes[g.findNode("head")].activations, (FixedType{10, 5}));
        QCOMPARE(proto.precision.layers.size(), std::size_t(1)); // L1.conv is not in it

        BenchmarkQorEvaluator qor;
        RunControl control;
        o.maxLength = 1;
        auto found =
            exploreBundles(base, *DeviceLibrary::builtin().find("pynq-z1"), qor, o, control);
        QVERIFY2(found.ok(), found.ok() ? "" : found.error().format().c_str());
        QCOMPARE(found->size(), std::size_t(16));
    }

    // When no prototype builds, the message says why, at the layer and its position.
    void bundlesNameWhyNoPrototypeBuilds() {
        Project base = exploreProject("");
        base.sourceFile = "base.yaml";
        base.network[base.network.size() - 2].layer.channels = 12; // bbox_head wants 10
        BenchmarkQorEvaluator qor;
        RunControl control;
        BundlePoolOptions o;
        o.maxLength = 1;
        auto found =
            exploreBundles(base, *DeviceLibrary::builtin().find("pynq-z1"), qor, o, control);
        QVERIFY(!found.ok());
        const std::string text = found.error().format();
        QVERIFY2(text.find("no bundle of the pool gives a valid prototype") != std::string::npos,
                 text.c_str());
        QVERIFY2(text.find("bbox_head") != std::string::npos, text.c_str());
        QVERIFY2(text.find("base.yaml:") == 0, text.c_str());
    }

    // Step 2: groups by latency, the best QoR of each kept.
    void bundleSelection() {
        const Project base = exploreProject("");
        BundlePoolOptions o;
        o.maxLength = 1;
        o.groups = 2;
        o.topK = 1;
        BenchmarkQorEvaluator qor;
        RunControl control;
        auto found =
            exploreBundles(base, *DeviceLibrary::builtin().find("pynq-z1"), qor, o, control);
        QVERIFY(found.ok());
        QCOMPARE(found->size(), std::size_t(16));
        int selected = 0;
        double slowestFast = 0, fastestSlow = 1e9;
        for (const BundleCandidate& c : *found) {
            QVERIFY(c.group == 0 || c.group == 1);
            selected += c.selected ? 1 : 0;
            if (c.group == 0)
                slowestFast = std::max(slowestFast, c.latencyMs);
            else
                fastestSlow = std::min(fastestSlow, c.latencyMs);
        }
        QCOMPARE(selected, 2);
        QVERIFY(slowestFast <= fastestSlow);
        for (const BundleCandidate& c : *found)
            if (c.selected)
                for (const BundleCandidate& other : *found)
                    if (other.group == c.group)
                        QVERIFY(c.qor.qor >= other.qor.qor);
    }

    // Step 3 on the chosen bundles: a coordinate switches every instance's bundle.
    void searchOverChosenBundles() {
        const Project p = exploreProject("search:\n  bundles: [dw_pw_pool, dw_pw]\n"
                                         "  channels: {min: 32, max: 64, step: 32}\n");
        Result<DesignSpace> s = DesignSpace::fromProject(p);
        QVERIFY(s.ok());
        const Coordinate& c = s->coordinates().back();
        QCOMPARE(c.name, std::string("bundle"));
        DesignPoint point = s->basePoint();
        point.back() = 1;
        const Project applied = s->apply(point);
        for (const NetworkEntry& e : applied.network)
            if (e.isBundle)
                QCOMPARE(e.bundle, std::string("dw_pw"));
        QVERIFY(s->describe(point).find("bundle=dw_pw") != std::string::npos);
        Project bad = exploreProject("search:\n  bundles: [nope]\n");
        QVERIFY(!DesignSpace::fromProject(bad).ok());
    }

    // search.architectures makes the family a coordinate: a run proposes designs of both
    // families, every one builds, and the fixed design of each family written for it
    // (designProject, as designs/ID.yaml) re-estimates to the FPS the search saw.
    void searchChoosesTheFamily() {
        const Run r = run("search:\n  channels: {min: 32, max: 64, step: 32}\n"
                          "  architectures: [tiled, streaming]\n",
                          StrategyKind::Random, 30, 5);
        QCOMPARE(r.space.coordinates().back().name, std::string("arch"));
        std::set<std::string> seen;
        for (const EvaluatedPoint& p : r.outcome.points) {
            QVERIFY(p.valid);
            const std::string arch(r.space.archOf(p.point));
            QCOMPARE(std::string(architectureOf(p.design).name()), arch);
            if (!seen.insert(arch).second)
                continue; // one re-estimate per family
            Result<Project> fixed = designProject(r.space, p);
            QVERIFY(fixed.ok());
            QCOMPARE(std::string(fixed->accelerator.arch()), arch);
            QVERIFY(!fixed->accelerator.autoSize);
            Result<Project> back = parseProject(projectToYaml(*fixed), "design.yaml");
            QVERIFY2(back.ok(), back.ok() ? "" : back.error().format().c_str());
            Result<DesignEstimate> e = estimateDesign(*back, DeviceLibrary::builtin());
            QVERIFY2(e.ok(), e.ok() ? "" : e.error().format().c_str());
            QCOMPARE(e->estimate.fps, p.fps);
        }
        QCOMPARE(seen, (std::set<std::string>{"tiled", "streaming"}));
        // archive.csv: an `arch` column, both families' design columns, every row as wide
        // as the header and naming its design's family.
        QTemporaryDir dir;
        QVERIFY(writeSearchOutputs(dir.filePath(QStringLiteral("out")).toStdString(), r.space,
                                   r.outcome, {})
                    .ok());
        const QStringList lines =
            QString::fromStdString(
                readText(dir.filePath(QStringLiteral("out/archive.csv")).toStdString()))
                .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        const QStringList header = lines.front().split(QLatin1Char(','));
        const qsizetype archColumn = header.indexOf(QStringLiteral("arch"));
        QVERIFY(archColumn > 0);
        QVERIFY(header.contains(QStringLiteral("pw_in"))); // a tiled design column
        QCOMPARE(qsizetype(lines.size()), qsizetype(r.outcome.points.size()) + 1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            QStringList cells{QString()}; // CSV cells; quoted ones may hold commas
            bool quoted = false;
            for (QChar ch : lines[i]) {
                if (ch == QLatin1Char('"'))
                    quoted = !quoted;
                else if (ch == QLatin1Char(',') && !quoted)
                    cells << QString();
                else
                    cells.back() += ch;
            }
            QCOMPARE(cells.size(), header.size());
            const EvaluatedPoint& p = r.outcome.points[std::size_t(i - 1)];
            QCOMPARE(cells[archColumn].toStdString(), std::string(r.space.archOf(p.point)));
        }
        Result<Project> unknown = parseProject(readText(sourcePath("examples/dac19-dnn-a.yaml")) +
                                                   "search:\n  architectures: [dataflow9]\n",
                                               "bad.yaml");
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().message.find("'dataflow9' is not one of: tiled") !=
                     std::string::npos,
                 unknown.error().format().c_str());
    }

    // Skip connections (tests/data/skips.yaml): the adds tie B2 to B3 and B4 to B5, the
    // concat ties the pooling of its two branches (B4, B6); every point builds.
    void skipConnectionsTieTheSpace() {
        Result<Project> p = loadProjectFile(dataPath("skips.yaml"));
        QVERIFY(p.ok());
        Result<DesignSpace> s = DesignSpace::fromProject(*p);
        QVERIFY(s.ok());
        std::vector<std::string> names;
        for (const Coordinate& c : s->coordinates())
            names.push_back(c.name);
        const std::vector<std::string> expected{
            "B1.channels",    "B1.downsample",    "B2+B3.channels", "B2.downsample",
            "B4+B5.channels", "B4+B6.downsample", "B6.channels",    "B7.channels",
            "weight_bits",    "activation_bits",  "resize"};
        QCOMPARE(names, expected);
        QCOMPARE(s->joinNote(),
                 std::string("B2+B3.channels, B4+B5.channels, B4+B6.downsample tied"));
        DesignPoint point = s->basePoint();
        point[2] = 0; // B2+B3: 32
        const Project applied = s->apply(point);
        QCOMPARE(applied.network[1].channels, 32);
        QCOMPARE(applied.network[2].channels, 32);
        for (StrategyKind k : {StrategyKind::Random, StrategyKind::Scd, StrategyKind::Anneal}) {
            const Device device = *DeviceLibrary::builtin().find("pynq-z1");
            CandidateEvaluator candidates(*s, device, constraintsOf(*p));
            BenchmarkQorEvaluator qor;
            RunControl control;
            SearchSettings settings;
            settings.strategy = k;
            settings.budget = 3000;
            Result<SearchOutcome> o = runSearch(*s, candidates, qor, settings, control);
            QVERIFY(o.ok());
            int invalid = 0;
            for (const EvaluatedPoint& e : o->points)
                invalid += e.valid ? 0 : 1;
            QCOMPARE(invalid, 0);
            QVERIFY2(o->points.size() > 2000, strategyName(k));
        }
    }

    // On a smaller ladder the whole space: every point builds.
    void everyPointOfASkipSpaceBuilds() {
        std::string text = readText(dataPath("skips.yaml"));
        text.replace(text.find("{min: 32, max: 256, step: 32}"), 29,
                     "{min: 32, max: 64, step: 32}");
        Result<Project> p = parseProject(text, "skips.yaml");
        QVERIFY(p.ok());
        Result<DesignSpace> s = DesignSpace::fromProject(*p);
        QVERIFY(s.ok());
        QCOMPARE(s->size(), std::uint64_t(32 * 8 * 12));
        for (std::uint64_t i = 0; i < s->size(); ++i) {
            Result<Graph> g = buildGraph(s->apply(s->pointAt(i)));
            if (!g.ok())
                QFAIL((s->describe(s->pointAt(i)) + ": " + g.error().format()).c_str());
        }
    }

    // ResNet-18: the stem's 64 channels hold stage 1's residual widths; each later stage's
    // residual branch, projection and second block share one width; the first conv of each
    // block stays free.
    void residualNetworkTiesItsStages() {
        std::string text = readText(dataPath("resnet-18.yaml")) +
                           "search:\n  channels: {min: 32, max: 64, step: 32}\n";
        Result<Project> p = parseProject(text, "resnet-18.yaml");
        QVERIFY(p.ok());
        Result<DesignSpace> s = DesignSpace::fromProject(*p);
        QVERIFY(s.ok());
        std::vector<std::string> names;
        for (const Coordinate& c : s->coordinates())
            names.push_back(c.name);
        const std::vector<std::string> expected{
            "B1.channels",  "B3.channels",          "B5.channels",          "B6+B7+B9.channels",
            "B8.channels",  "B10.channels",         "B11+B12+B14.channels", "B13.channels",
            "B15.channels", "B16+B17+B19.channels", "B18.channels"};
        QCOMPARE(names, expected);
        QVERIFY(s->joinNote().find("; B2.channels, B4.channels kept as written") !=
                std::string::npos);
        for (std::uint64_t i = 0; i < s->size(); i += 7) {
            Result<Graph> g = buildGraph(s->apply(s->pointAt(i)));
            if (!g.ok())
                QFAIL((s->describe(s->pointAt(i)) + ": " + g.error().format()).c_str());
        }
    }

    // A design whose network does not build says why (archive.csv's violations column).
    void invalidDesignsSayWhy() {
        const Run r = run("search:\n  channels: {min: 32, max: 32, step: 32}\n"
                          "  repeat: {min: 1, max: 9}\n",
                          StrategyKind::Random, 60, 2);
        int invalid = 0;
        for (const EvaluatedPoint& p : r.outcome.points)
            if (!p.valid) {
                ++invalid;
                QCOMPARE(p.objective, -1000.0);
                QCOMPARE(p.violations.size(), std::size_t(1));
                QVERIFY2(p.violations.front().rfind("invalid network: ", 0) == 0,
                         p.violations.front().c_str());
            }
        QVERIFY(invalid > 0);
    }

    // Front mode: a short walk up the FPS range, then SCD at a ladder of FPS targets, spreads
    // the front over the whole range the space reaches, where plain SCD clusters at the
    // target (60 evaluations, a fifth of the 324-design space). Its hypervolume is larger
    // for most seeds: with this little budget its rung at the target can stall at a local
    // optimum that plain SCD's restarts escape (docs/search.md, "Fronts").
    void frontModeSpreadsOverTheFpsRange() {
        const Run all = run(kSmallSearch, StrategyKind::Exhaustive, 100000, 1);
        const auto [lo, hi] = frontFpsSpan(all.outcome);
        const Objectives reference = all.outcome.reference;
        int larger = 0;
        for (std::uint64_t seed = 1; seed <= 8; ++seed) {
            const Run plain = run(kSmallSearch, StrategyKind::Scd, 60, seed);
            const Run front = run(kSmallSearch, {StrategyKind::Scd, true}, 60, seed);
            const auto [plainLo, plainHi] = frontFpsSpan(plain.outcome);
            const auto [frontLo, frontHi] = frontFpsSpan(front.outcome);
            const QString what = QStringLiteral("seed %1: front %2..%3, plain %4..%5 of %6..%7")
                                     .arg(seed)
                                     .arg(frontLo)
                                     .arg(frontHi)
                                     .arg(plainLo)
                                     .arg(plainHi)
                                     .arg(lo)
                                     .arg(hi);
            QVERIFY2(frontHi - frontLo >= 0.9 * (hi - lo), qPrintable(what));
            QVERIFY2(frontHi - frontLo > plainHi - plainLo, qPrintable(what));
            if (frontHypervolume(front.outcome, reference) >
                frontHypervolume(plain.outcome, reference))
                ++larger;
        }
        QVERIFY2(larger >= 6, qPrintable(QStringLiteral("%1 of 8 seeds").arg(larger)));
    }

    // The ladder: the run's target first, then the middle of the gap that may hide the most
    // QoR x FPS area; a target tried in a gap cuts it short.
    void fpsLadderSplitsTheWidestGap() {
        FpsLadder ladder(30);
        ladder.add(40, 0.6, {0});
        ladder.add(100, 0.5, {1});
        ladder.add(200, 0.1, {2});
        ladder.add(90, 0.4, {3}); // dominated by the design at 100 FPS
        QCOMPARE(ladder.size(), std::size_t(3));
        QCOMPARE(*ladder.nextTarget(0), 30.0);
        ladder.markTried(30);
        // Gaps: 40..100 (area 60 x 0.1 = 6) and 100..200 (100 x 0.4 = 40).
        QCOMPARE(*ladder.nextTarget(0), 150.0);
        ladder.markTried(150); // found nothing above 150 better than the design at 200
        // 100..150 (50 x 0.4 = 20) is still the widest.
        QCOMPARE(*ladder.nextTarget(0), 125.0);
        QVERIFY(!ladder.nextTarget(60).has_value()); // no gap wider than 60 FPS
        QCOMPARE(*ladder.bestAtOrAbove(95), DesignPoint{1});
        QCOMPARE(*ladder.bestAtOrAbove(30), DesignPoint{0});
        QVERIFY(ladder.bestAtOrAbove(201) == nullptr);
        ladder.add(100, 0.55, {4}); // better at the same FPS replaces it
        QCOMPARE(*ladder.bestAtOrAbove(95), DesignPoint{4});
        ladder.add(300, 0.7, {5}); // dominates every design
        QCOMPARE(ladder.size(), std::size_t(1));
    }

    // Constrained domination and crowding distance, by hand.
    void nsga2RankingByHand() {
        std::vector<RankedMember> m{member(0, 0.6, 30, 2.3),       member(1, 0.5, 60, 2.3),
                                    member(2, 0.4, 90, 2.3),       member(3, 0.5, 50, 2.4),
                                    member(4, 0.9, 100, 2.0, 0.5), member(5, 0.9, 100, 2.0, 0.2)};
        QVERIFY(constrainedDominates(m[3], m[4])); // feasible beats infeasible
        QVERIFY(constrainedDominates(m[5], m[4])); // the smaller violation wins
        QVERIFY(!constrainedDominates(m[0], m[1]));
        QVERIFY(constrainedDominates(m[1], m[3]));
        const auto fronts = rankAndCrowd(m);
        QCOMPARE(fronts.size(), std::size_t(4));
        QCOMPARE(fronts[0], (std::vector<std::size_t>{0, 1, 2}));
        QCOMPARE(m[3].rank, 1);
        QCOMPARE(m[5].rank, 2);
        QCOMPARE(m[4].rank, 3);
        QVERIFY(std::isinf(m[0].crowding) && std::isinf(m[2].crowding));
        // The middle one: (0.6 - 0.4) / 0.2 + (90 - 30) / 60 = 2 (power is equal: no term).
        QCOMPARE(m[1].crowding, 2.0);
        QVERIFY(crowdedBetter(m[0], m[1]) && crowdedBetter(m[1], m[3]));
    }

    // NSGA-II on the 196,608-design benchmark space: its front after 1,000 evaluations
    // holds more hypervolume than its first generation's (20 designs at this budget).
    void nsga2ImprovesOverItsFirstGeneration() {
        Result<Project> p = loadProjectFile(sourcePath("examples/dac-sdc-explore.yaml"));
        QVERIFY(p.ok());
        Result<DesignSpace> s = DesignSpace::fromProject(*p);
        QVERIFY(s.ok());
        const Device device = *DeviceLibrary::builtin().find("pynq-z1");
        CandidateEvaluator candidates(*s, device, constraintsOf(*p));
        BenchmarkQorEvaluator qor;
        for (std::uint64_t seed = 1; seed <= 3; ++seed) {
            RunControl control;
            SearchSettings settings;
            settings.strategy = StrategyKind::Nsga2;
            settings.budget = 1000;
            settings.strategyOptions.seed = seed;
            Result<SearchOutcome> o = runSearch(*s, candidates, qor, settings, control);
            QVERIFY(o.ok());
            QCOMPARE(o->points.size(), std::size_t(1000));
            const double first = hypervolumeOfFirst(*o, 20, o->reference);
            const double last = hypervolumeOfFirst(*o, 1000, o->reference);
            QVERIFY2(last > 1.5 * first, qPrintable(QStringLiteral("seed %1: %2 after the first "
                                                                   "generation, %3 at the end")
                                                        .arg(seed)
                                                        .arg(first)
                                                        .arg(last)));
        }
    }

    void unreachableConstraintsLeaveNoFeasibleDesign_data() {
        QTest::addColumn<int>("strategy");
        QTest::addColumn<bool>("front");
        QTest::newRow("scd") << int(StrategyKind::Scd) << false;
        QTest::newRow("scd front") << int(StrategyKind::Scd) << true;
        QTest::newRow("nsga2") << int(StrategyKind::Nsga2) << false;
    }
    void unreachableConstraintsLeaveNoFeasibleDesign() {
        QFETCH(int, strategy);
        QFETCH(bool, front);
        const Run r =
            run("search:\n  target_fps: 100000\n  channels: {min: 32, max: 64, step: 32}\n",
                {StrategyKind(strategy), front}, 20, 1);
        QCOMPARE(r.outcome.archive.size(), std::size_t(0));
        for (const EvaluatedPoint& p : r.outcome.points)
            QVERIFY(!p.feasible);
        const EvaluatedPoint& best = r.outcome.points[r.outcome.bestId];
        QVERIFY(best.violations.front().find("below the target 100000") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestSearch)
#include "test_search.moc"
