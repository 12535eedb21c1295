// codesign transform PROJECT --low-rank ...: the low-rank (SVD) transform of a project with
// real weights (docs/transforms.md). Argument parsing and output; the work is
// core/transform's.
#include "cli_args.h"
#include "cmd_transform.h"
#include "commands.h"
#include "core/transform/low_rank.h"
#include "load_project.h"
#include "low_rank_gradients.h"
#include "model_io/model_reader.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace codesign::cli {
namespace {

void printRule(const transform::LowRankResult& r) {
    std::printf("ranks: %s", transform::rankRuleName(r.rule));
    if (r.rule == transform::RankRule::Taylor)
        std::printf(" (first-order loss change |<dL/dW, W - W_r>| summed over the batches; "
                    "greedy by least importance per MAC saved: %lld MACs chosen of a budget of "
                    "%lld)",
                    static_cast<long long>(r.chosenMacs), static_cast<long long>(r.budgetMacs));
    std::printf("\n");
}

void printReport(const transform::LowRankResult& r) {
    const bool cycles = !r.design.empty();
    const bool taylor = r.rule == transform::RankRule::Taylor;
    if (cycles)
        std::printf("judged on %s\n", r.design.c_str());
    printRule(r);
    std::printf("%-24s %-6s %6s %6s %10s", "layer", "scheme", "rank", "full", "error");
    if (taylor)
        std::printf(" %12s", "importance");
    std::printf(" %14s %14s", "MACs before", "MACs after");
    std::printf(cycles ? " %14s %14s\n" : "\n", "cycles before", "cycles after");
    for (const transform::LowRankLayer& l : r.layers) {
        std::printf("%-24s %-6s %6d %6d %10.6f", l.name.c_str(), l.scheme.c_str(), l.rank,
                    l.fullRank, l.error);
        if (taylor)
            std::printf(" %12.4g", l.importance);
        std::printf(" %14lld %14lld", static_cast<long long>(l.macsBefore),
                    static_cast<long long>(l.macsAfter));
        if (cycles)
            std::printf(" %14lld %14lld", static_cast<long long>(l.cyclesBefore),
                        static_cast<long long>(l.cyclesAfter));
        std::printf("%s\n", l.outcome == transform::LayerOutcome::Reverted ? "  reverted" : "");
    }
    int reverted = 0;
    for (const transform::LowRankLayer& l : r.layers)
        if (l.outcome == transform::LayerOutcome::Reverted) {
            if (reverted++ == 0)
                std::printf("reverted (left as they were):\n");
            std::printf("  %s: %s\n", l.name.c_str(), l.why.c_str());
        }
    std::printf("network MACs: %lld before, %lld after (%.1f %%)\n",
                static_cast<long long>(r.macsBefore), static_cast<long long>(r.macsAfter),
                r.macsBefore > 0 ? 100.0 * double(r.macsAfter) / double(r.macsBefore) : 0.0);
}

} // namespace

int runLowRankTransform(const std::vector<std::string>& argv) {
    Args args(
        argv, {"low-rank", "force", "by-macs", "help"},
        {"scheme", "ops-budget", "ranks", "weights", "out", "data", "synthetic", "max-images"});
    if (!args.ok())
        return badInput(args.error() + " (see codesign transform --help)");
    if (args.flag("help")) {
        std::cout
            << "usage: codesign transform PROJECT --low-rank [--scheme auto|s0|s1|s2|s3] "
               "(--ops-budget F [--data DIR [--max-images N] | --synthetic N] | --ranks FILE)\n"
               "       [--weights FILE] [--by-macs] --out NEW.yaml [--force]\n"
               "  Decomposes convs with their weights by a truncated SVD into a conv to RANK\n"
               "  channels and a 1x1 conv (docs/transforms.md). Reports per layer the scheme,\n"
               "  rank, relative reconstruction error and MACs before and after, and lists the\n"
               "  layers reverted because their two factors would not be faster on the project's\n"
               "  accelerator (the design `codesign estimate` gives it).\n"
               "  --scheme S        how the weights are unfolded (seed 002, SVD-NAS): s0 F groups\n"
               "                    of C x KK, s1 F x CKK, s2 FK x CK, s3 C groups of F x KK;\n"
               "                    auto (default): per layer by reconstruction error under\n"
               "                    OPs budgets, majority vote\n"
               "  --ops-budget F    every conv at most this fraction of its MACs (0 < F < 1)\n"
               "  --data DIR        with --ops-budget: ranks by Taylor importance, the loss "
               "change\n"
               "                    |<dL/dW, W - W_r>| from the trainer's gradients on these\n"
               "                    images (as codesign train takes them; at most --max-images,\n"
               "                    64 by default), chosen greedily across the layers under one\n"
               "                    budget, F of their MACs (needs the trainer)\n"
               "  --synthetic N     the same on N images of the synthetic set\n"
               "  --ranks FILE      'LAYER RANK' lines: only these layers, at these ranks\n"
               "  --weights FILE    the weights (default: the project's weights file)\n"
               "  --by-macs         revert a layer when its factors cost more MACs, rather\n"
               "                    than more cycles on the project's accelerator design\n"
               "  --out FILE        the new project; its weights go beside it\n";
        return kExitOk;
    }
    if (!args.flag("low-rank"))
        return badInput("transform needs a transform: --low-rank (see codesign transform --help)");
    if (args.positional().size() != 1)
        return badInput("transform needs exactly one project (see codesign transform --help)");
    if (!args.has("out") || args.option("out").empty())
        return badInput("transform needs --out NEW.yaml, the project to write");
    const std::string scheme = args.option("scheme", "auto");
    if (scheme != "auto" && scheme != "s0" && scheme != "s1" && scheme != "s2" && scheme != "s3")
        return badInput("--scheme " + scheme + ": give auto, s0, s1, s2 or s3");
    if (args.has("ops-budget") == args.has("ranks"))
        return badInput("give one of --ops-budget F and --ranks FILE");
    if (wantsGradients(args) && !args.has("ops-budget"))
        return badInput("--data and --synthetic choose the ranks under --ops-budget F; --ranks "
                        "gives them");
    if (args.has("max-images") && !args.has("data"))
        return badInput("--max-images goes with --data DIR");
    transform::LowRankOptions options;
    options.scheme = scheme;
    if (!args.flag("by-macs"))
        options.devices = &DeviceLibrary::standard();
    if (args.has("ops-budget")) {
        if (!parseNumber(args.option("ops-budget"), options.opsBudget) ||
            !(options.opsBudget > 0 && options.opsBudget < 1))
            return badInput("--ops-budget takes a fraction between 0 and 1; got '" +
                            args.option("ops-budget") + "'");
    } else {
        std::ifstream in(args.option("ranks"), std::ios::binary);
        if (!in)
            return badInput("cannot read " + args.option("ranks"));
        std::ostringstream text;
        text << in.rdbuf();
        Result<std::map<std::string, int>> ranks =
            transform::parseRanks(text.str(), args.option("ranks"));
        if (!ranks.ok())
            return badInput(ranks.error().format());
        options.ranks = *ranks;
    }
    const std::string path = args.positional().front();
    const std::string out = args.option("out");
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && !args.flag("force"))
        return badInput(out + " exists; give --force to replace it");
    Result<Project> project = loadProjectWithNotes(path);
    if (!project.ok())
        return badInput(project.error().format());
    std::string weightsPath = args.option("weights");
    if (weightsPath.empty())
        weightsPath = projectWeightsPath(*project, path);
    if (weightsPath.empty())
        return badInput(path + " names no weights file; give --weights FILE (the low-rank "
                               "transform needs real weights)");
    Result<reference::WeightSet> weights = reference::readWeightSetFile(weightsPath);
    if (!weights.ok())
        return badInput(weights.error().format());
    Result<Graph> graph = buildGraph(*project);
    if (!graph.ok())
        return badInput(graph.error().format());
    if (Status s = reference::checkWeightsFit(*weights, *graph); !s.ok())
        return badInput(weightsPath + ": " + s.error().format());
    transform::LayerGradients gradients;
    if (wantsGradients(args)) {
        Result<transform::LayerGradients> g = gradientsFromTrainer(args, *graph, *weights);
        if (!g.ok())
            return badInput(g.error().format());
        gradients = std::move(g).value();
        options.gradients = &gradients;
    }
    Result<transform::LowRankResult> result =
        transform::lowRankTransform(*project, *graph, *weights, options);
    if (!result.ok())
        return badInput(result.error().format());
    modelio::ImportedModel written;
    written.project = result->project;
    written.project.weights = modelio::defaultWeightsFile(out);
    written.weights = result->weights;
    if (Status s = modelio::writeImportedProject(written, out); !s.ok())
        return badInput(s.error().format());
    printReport(*result);
    std::printf("wrote %s and %s\n", out.c_str(), written.project.weights.c_str());
    return kExitOk;
}

} // namespace codesign::cli
