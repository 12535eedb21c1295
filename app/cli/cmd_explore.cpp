#include "cli_args.h"
#include "commands.h"
#include "core/hw/device_library.h"
#include "core/model/project_device.h"
#include "core/model/project_yaml.h"
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

std::string usage() {
    return "usage: codesign explore PROJECT [--strategy scd|random|anneal|exhaustive]\n"
           "         [--budget N] [--seed S] [--qor surrogate|command|benchmark]\n"
           "         [--qor-data CSV] [--command TEMPLATE] [--jobs J] [--timeout SECONDS]\n"
           "         [--target-fps F] [--resource-cap C] [--power-budget W] [--device NAME]\n"
           "         [--clock MHZ] [--out DIR] [--json]\n"
           "  Co-design search over the project's design space (its search: section):\n"
           "  every design is sized and estimated on the device and scored by the QoR\n"
           "  evaluator; writes archive.csv, pareto.json and designs/ to DIR (default\n"
           "  <project>.codesign/explore). Exit 3 when no design meets the constraints.\n" +
           deviceOptionsUsage() + qorOptionsUsage();
}

} // namespace

int runExplore(const std::vector<std::string>& argv) {
    std::set<std::string> options{"strategy",     "budget", "seed",  "target-fps", "resource-cap",
                                  "power-budget", "device", "clock", "out"};
    options.merge(qorOptionNames());
    std::set<std::string> flags{"json", "help"};
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
                        "'; use scd, random, anneal or exhaustive");
    settings.strategy = *strategy;
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

    // --- the QoR evaluator, behind the project's cache
    Result<QorChoice> qorChoice = chooseQorEvaluator(args, projectPath);
    if (!qorChoice.ok())
        return badInput(qorChoice.error().message);
    QorEvaluator& qor = *qorChoice->evaluator;
    const std::string dataDir = projectDataDir(projectPath);

    // --- run
    const std::string outDir = args.option("out", dataDir + "/explore");
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
                       settings.strategyOptions.seed,
                       qor.name(),
                       qor.predicts()};
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
            std::printf("best: design %d, QoR %.3f%s, %.1f FPS, %.2f W, %lld DSP, %lld BRAM18\n"
                        "      %s\n",
                        b.id, b.qor.qor, b.qor.predicted ? " (predicted)" : "", b.fps, b.powerW,
                        static_cast<long long>(b.used.dsp), static_cast<long long>(b.used.bram18),
                        space->describe(b.point).c_str());
        }
        std::printf("outputs: %s/archive.csv, pareto.json, designs/\n", outDir.c_str());
    }
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
