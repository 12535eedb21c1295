#include "cli_args.h"
#include "commands.h"
#include "core/hw/device_library.h"
#include "core/model/project_device.h"
#include "core/model/project_yaml.h"
#include "core/qor/qor_cache.h"
#include "core/search/search_report.h"
#include "device_options.h"
#include "load_project.h"
#include "qor_choice.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace codesign::cli {
namespace {

// Ctrl-C stops the search cleanly: the archive of what was evaluated is still written.
RunControl* gInterruptTarget = nullptr;
extern "C" void onInterrupt(int) {
    if (gInterruptTarget)
        gInterruptTarget->stop();
}

constexpr int kExitNoFeasible = 3;
constexpr int kExitInterrupted = 130;

// A one-line progress bar on a terminal's stderr.
class ProgressBar : public SearchObserver {
public:
    explicit ProgressBar(bool enabled) : enabled_(enabled) {}
    void progressed(const SearchProgress& p) override {
        if (!enabled_)
            return;
        const int width = 30;
        const int filled = p.budget > 0 ? width * p.evaluations / p.budget : 0;
        std::string bar(filled, '#');
        bar.resize(width, ' ');
        std::fprintf(
            stderr, "\r[%s] %d/%d  best %s  front %d  %.1fs ", bar.c_str(), p.evaluations, p.budget,
            p.haveFeasible ? ("QoR " + std::to_string(p.bestObjective).substr(0, 5)).c_str()
                           : "none feasible",
            p.frontSize, p.elapsedSeconds);
        std::fflush(stderr);
        shown_ = true;
    }
    void finish() {
        if (shown_)
            std::fprintf(stderr, "\n");
    }

private:
    bool enabled_;
    bool shown_ = false;
};

// A run owns its output folder: it replaces it whole at the end. An --out that holds
// anything needs --force; the default folder (<stem>.codesign/explore) is the project's own
// and each run replaces it. Never a folder that holds the project or its data (QoR cache).
std::string checkOutputFolder(const std::string& outDir, bool chosen, bool force,
                              const std::string& projectPath) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto full = [&](const std::string& p) {
        return fs::weakly_canonical(fs::absolute(p), ec);
    };
    const fs::path out = full(outDir);
    auto inside = [&](const fs::path& p) {
        const fs::path rel = p.lexically_relative(out);
        return !rel.empty() && *rel.begin() != "..";
    };
    if (inside(full(projectPath)) || inside(full(projectDataDir(projectPath))))
        return "--out '" + outDir +
               "' holds the project or its data folder, which a run "
               "would replace; choose a folder of its own";
    if (!fs::exists(out, ec))
        return {};
    if (!fs::is_directory(out, ec))
        return "--out '" + outDir + "' exists and is not a folder";
    if (chosen && !force && !fs::is_empty(out, ec))
        return "--out '" + outDir + "' is not empty" +
               (fs::exists(out / "archive.csv", ec) ? " (it holds an earlier run)"
                                                    : std::string()) +
               "; a run replaces its folder whole: pass --force to replace it, or choose "
               "another folder (nothing was run)";
    return {};
}

// "0.612", or "0.612 ± 0.034 (predicted)": a prediction always with its standard deviation,
// as pareto.json has it.
std::string qorText(const QorValue& q) {
    char buf[80];
    if (q.predicted)
        std::snprintf(buf, sizeof buf, "%.3f \u00b1 %.3f (predicted)", q.qor, q.uncertainty);
    else
        std::snprintf(buf, sizeof buf, "%.3f", q.qor);
    return buf;
}

// One-line notes on what is searched that the user did not write: default ranges, and the
// coordinates the network's joins tie or keep.
void printSpaceNotes(const Project& project, const DesignSpace& space,
                     const std::string& projectPath) {
    if (!project.search.present) {
        const SearchSpec& d = project.search;
        std::cerr << "codesign: note: " << projectPath
                  << " has no search: section; exploring the defaults: every bundle instance's "
                     "channels "
                  << d.channels.min << ".." << d.channels.max << " step " << d.channels.step
                  << ", bits, resize and repeats as written, no FPS target, resources within "
                  << static_cast<int>(d.resourceCap * 100 + 0.5)
                  << " % (docs/project-format.md, search:)\n";
    }
    if (!space.joinNote().empty())
        std::cerr << "codesign: note: the network's add and concat layers need equal shapes: "
                  << space.joinNote() << " (docs/search.md)\n";
}

// Above this standard deviation a predicted QoR cannot rank designs (QoR runs from 0 to 1).
constexpr double kUncertainPrediction = 0.1;

void noteUncertainPrediction(const SearchOutcome& outcome) {
    if (outcome.bestId < 0)
        return;
    const QorValue& q = outcome.points[outcome.bestId].qor;
    if (q.predicted && q.uncertainty > kUncertainPrediction)
        std::fprintf(stderr,
                     "codesign: note: the predicted QoR is too uncertain to rank designs: the "
                     "best is %.3f \u00b1 %.3f (predictions are clipped to 0..1); measure more "
                     "designs for the surrogate (--qor command or --qor torch)\n",
                     q.qor, q.uncertainty);
}

std::string usage() {
    return "usage: codesign explore PROJECT [--strategy scd|nsga2|random|anneal|exhaustive]\n"
           "         [--front] [--budget N] [--seed S] [--qor surrogate|command|benchmark|torch]\n"
           "         [--qor-data CSV] [--command TEMPLATE] [--jobs J] [--timeout SECONDS]\n"
           "         [--target-fps F] [--resource-cap C] [--power-budget W] [--device NAME]\n"
           "         [--clock MHZ] [--out DIR [--force]] [--json]\n"
           "  Co-design search over the project's design space (its search: section):\n"
           "  every design is sized and estimated on the device and scored by the QoR\n"
           "  evaluator; writes archive.csv, pareto.json and designs/ to DIR (default\n"
           "  <project>.codesign/explore). Exit 3 when no design meets the constraints.\n"
           "  The run replaces DIR whole; a DIR given with --out that is not empty needs\n"
           "  --force (the default folder is replaced by every run).\n"
           "  --front: SCD traces the whole front over a ladder of FPS targets instead of\n"
           "  the best design at the target (docs/search.md, \"Fronts\").\n" +
           deviceOptionsUsage() + qorOptionsUsage();
}

} // namespace

int runExplore(const std::vector<std::string>& argv) {
    std::set<std::string> options{"strategy",     "budget", "seed",  "target-fps", "resource-cap",
                                  "power-budget", "device", "clock", "out"};
    options.merge(qorOptionNames());
    std::set<std::string> flags{"json", "help", "force", "front"};
    flags.merge(qorFlagNames());
    Args args(argv, flags, options);
    if (!args.ok())
        return badInput(args.error() + " (see codesign explore --help)");
    if (args.flag("help")) {
        std::cout << usage();
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("explore needs exactly one project file (see codesign explore --help)");
    const std::string projectPath = args.positional().front();

    // --- settings, checked before any work
    SearchSettings settings;
    const std::string strategyText = args.option("strategy", "scd");
    const auto strategy = strategyFromName(strategyText);
    if (!strategy)
        return badInput("unknown strategy '" + strategyText +
                        "'; use scd, nsga2, random, anneal or exhaustive");
    settings.strategy = *strategy;
    if (args.flag("front") && *strategy != StrategyKind::Scd)
        return badInput("--front is a mode of the scd strategy; --strategy " + strategyText +
                        " does not take it (nsga2 searches for the front by itself)");
    settings.strategyOptions.front = args.flag("front");
    long long budget = 1000, seed = 1;
    if (!parseNumber(args.option("budget", "1000"), budget) || budget < 1 || budget > 100'000'000)
        return badInput("--budget must be a whole number of evaluations, at least 1");
    if (!parseNumber(args.option("seed", "1"), seed) || seed < 0)
        return badInput("--seed must be a non-negative whole number");
    settings.budget = static_cast<int>(budget);
    settings.strategyOptions.seed = static_cast<std::uint64_t>(seed);

    Result<Project> project = loadProjectWithNotes(projectPath);
    if (!project.ok())
        return badInput(project.error().format());
    Result<Device> device = applyDeviceOptions(args, *project);
    if (!device.ok())
        return badInput(device.error().format());
    SearchConstraints constraints;
    constraints.targetFps = project->search.targetFps;
    constraints.resourceCap = project->search.resourceCap;
    constraints.powerBudgetW = project->search.powerBudgetW;
    auto numberOption = [&](const char* name, double& into, double lo, double hi) -> bool {
        if (!args.has(name))
            return true;
        double v = 0;
        if (!parseNumber(args.option(name), v) || v < lo || v > hi)
            return false;
        into = v;
        return true;
    };
    if (!numberOption("target-fps", constraints.targetFps, 0, 1e9))
        return badInput("--target-fps must be a number, 0 or more");
    if (!numberOption("resource-cap", constraints.resourceCap, 0.01, 1))
        return badInput("--resource-cap must be a fraction between 0.01 and 1");
    if (!numberOption("power-budget", constraints.powerBudgetW, 0, 1e6))
        return badInput("--power-budget must be a number of watts, 0 or more");

    Result<DesignSpace> space = DesignSpace::fromProject(*project);
    if (!space.ok()) {
        space.error().file = projectPath;
        return badInput(space.error().format());
    }
    const std::string outDir = args.option("out", projectDataDir(projectPath) + "/explore");
    if (std::string e = checkOutputFolder(outDir, args.has("out"), args.flag("force"), projectPath);
        !e.empty())
        return badInput(e);

    // --- the QoR evaluator, behind the project's cache
    Result<QorChoice> qorChoice = chooseQorEvaluator(args, projectPath);
    if (!qorChoice.ok())
        return badInput(qorChoice.error().message);
    QorEvaluator& qor = *qorChoice->evaluator;

    // --- run
    printSpaceNotes(*project, *space, projectPath);
    RunControl control;
    gInterruptTarget = &control;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    ProgressBar bar(::isatty(STDERR_FILENO) != 0);
    CandidateEvaluator candidates(*space, *device, constraints);
    Result<SearchOutcome> outcome = runSearch(*space, candidates, qor, settings, control, &bar);
    bar.finish();
    gInterruptTarget = nullptr;
    if (!outcome.ok())
        return badInput(outcome.error().message);

    SearchRunInfo info{project->name,
                       device->name,
                       strategyName(settings.strategy),
                       settings.strategyOptions.front,
                       settings.strategyOptions.seed,
                       qor.name(),
                       qor.predicts(),
                       std::filesystem::absolute(projectPath).lexically_normal().string(),
                       searchProjectHash(*project)};
    if (Status s = writeSearchOutputs(outDir, *space, *outcome, info); !s.ok()) {
        std::cerr << "codesign: " << s.error().format() << "\n";
        return kExitFailure;
    }

    int feasible = 0;
    for (const EvaluatedPoint& p : outcome->points)
        feasible += p.feasible ? 1 : 0;
    if (args.flag("json")) {
        JsonWriter w;
        writeSearchSummaryJson(w, *space, *outcome, info);
        std::cout << w.str() << "\n";
    } else {
        std::printf("%s: %d designs evaluated in %.1f s (%s), %d feasible, %zu on the front, "
                    "hypervolume %.4g\n",
                    project->name.c_str(), static_cast<int>(outcome->points.size()),
                    outcome->seconds, outcome->stopReason.c_str(), feasible,
                    outcome->archive.size(), outcome->hypervolume);
        if (outcome->bestId >= 0 && outcome->points[outcome->bestId].feasible) {
            const EvaluatedPoint& b = outcome->points[outcome->bestId];
            std::printf("best: design %d, QoR %s, %.1f FPS, %.2f W, %lld DSP, %lld BRAM18\n"
                        "      %s\n",
                        b.id, qorText(b.qor).c_str(), b.fps, b.powerW,
                        static_cast<long long>(b.used.dsp), static_cast<long long>(b.used.bram18),
                        space->describe(b.point).c_str());
        }
        std::printf("outputs: %s/archive.csv, pareto.json, designs/\n", outDir.c_str());
    }
    noteUncertainPrediction(*outcome);
    if (outcome->cancelled) {
        std::cerr << "codesign: interrupted; the archive holds the " << outcome->points.size()
                  << " designs evaluated so far\n";
        return kExitInterrupted;
    }
    if (feasible == 0) {
        std::string why = "no design met the constraints";
        if (outcome->bestId >= 0 && !outcome->points[outcome->bestId].violations.empty())
            why += "; the closest (design " + std::to_string(outcome->bestId) +
                   "): " + outcome->points[outcome->bestId].violations.front();
        std::cerr << "codesign: " << why << "; the archive is in " << outDir << "\n";
        return kExitNoFeasible;
    }
    return kExitOk;
}

} // namespace codesign::cli
