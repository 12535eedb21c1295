// codesign transform PROJECT --fuse: rewrites a project's depthwise layers into FuSe form
// (docs/transforms.md).
#include "cli_args.h"
#include "cmd_transform.h"
#include "commands.h"
#include "core/model/graph.h"
#include "core/model/project_yaml.h"
#include "core/model/systolic_spec.h"
#include "core/model/transforms/fuse_transform.h"
#include "core/util/atomic_file.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>

namespace codesign::cli {
namespace {

void printUsage() {
    std::cout << "usage: codesign transform PROJECT --fuse half|full [--layers NAMES | --first N]\n"
                 "         --out NEW [--force]\n"
                 "  Rewrites each depthwise K x K layer into FuSeConv's form (seed 003): half\n"
                 "  runs 1 x K on half the channels and K x 1 on the other half; full runs both\n"
                 "  on every channel (2C channels: the next 1 x 1 takes twice the inputs).\n"
                 "  --layers  comma-separated layer names (B3.dwconv) or bundle instances (B3)\n"
                 "  --first   the first N depthwise layers (FuSeConv's hybrid networks)\n"
                 "  Without either, every depthwise layer. Bundles stay bundles: the instances\n"
                 "  that change use a new definition (<bundle>_fuse_half). --force replaces an\n"
                 "  existing NEW.\n";
}

std::vector<std::string> splitNames(const std::string& text) {
    std::vector<std::string> names;
    std::stringstream in(text);
    std::string name;
    while (std::getline(in, name, ','))
        if (!name.empty())
            names.push_back(name);
    return names;
}

// A systolic array without FuSeConv's rows runs each fuse branch as a GEMM per channel, as
// slowly as the depthwise layer it replaced: say so rather than let the estimate surprise.
void noteWithoutFuseRows(const Project& p, const std::string& out) {
    const auto* systolic = std::get_if<SystolicSpec>(&p.accelerator.family);
    if (systolic && !systolic->fuseRows)
        std::cout << "note: the accelerator keeps fuse_rows: false, so the fuse layers run as "
                     "GEMMs per channel on the plain array;\n      set fuse_rows: true in "
                  << out << " for FuSeConv's row mapping (docs/estimator.md, \"FuSe rows\")\n";
}

std::string millions(std::int64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f M", double(v) / 1e6);
    return buf;
}

} // namespace

int runFuseTransform(const std::vector<std::string>& argv) {
    Args args(argv, {"help", "force"}, {"fuse", "layers", "first", "out"});
    if (!args.ok())
        return badInput(args.error() + " (see codesign transform --help)");
    if (args.flag("help")) {
        printUsage();
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("transform needs exactly one project file (see codesign transform --help)");
    FuseTransformOptions o;
    const std::string fuse = args.option("fuse");
    if (fuse != "half" && fuse != "full")
        return badInput("--fuse must be half or full");
    o.variant = fuse == "full" ? FuseVariant::Full : FuseVariant::Half;
    if (args.has("layers") && args.has("first"))
        return badInput("give either --layers or --first, not both");
    o.layers = splitNames(args.option("layers"));
    if (args.has("layers") && o.layers.empty())
        return badInput("--layers needs at least one name");
    if (args.has("first") && (!parseNumber(args.option("first"), o.first) || o.first < 1))
        return badInput("--first must be a positive integer");
    const std::string out = args.option("out");
    if (out.empty())
        return badInput("transform needs --out NEW (the project file to write)");
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && !args.flag("force"))
        return badInput(out + " exists; --force replaces it");

    Result<Project> project = loadProjectFile(args.positional().front());
    if (!project.ok())
        return badInput(project.error().format());
    Result<FuseTransformResult> result = fuseTransform(*project, o);
    if (!result.ok()) {
        Diagnostic d = result.error();
        d.file = args.positional().front();
        return badInput(d.format());
    }
    // A new project: named apart from its original, which `codesign train NEW --teacher
    // ORIGINAL` and `codesign compare` print beside it.
    result->project.name += "-fuse-" + fuse;
    if (Status s = writeFileAtomic(out, projectToYaml(result->project)); !s.ok()) {
        std::cerr << "codesign: " << s.error().format() << "\n";
        return kExitFailure;
    }
    const Graph before = *buildGraph(*project);
    const Graph after = *buildGraph(result->project);
    std::cout << "rewrote " << result->rewritten.size() << " depthwise layer"
              << (result->rewritten.size() == 1 ? "" : "s") << " into fuse " << fuse << ":";
    for (const std::string& name : result->rewritten)
        std::cout << " " << name;
    std::cout << "\nMACs " << millions(before.totalMacs) << " -> " << millions(after.totalMacs)
              << ", parameters " << before.totalParams << " -> " << after.totalParams << "\nwrote "
              << out << "\n";
    noteWithoutFuseRows(result->project, out);
    return kExitOk;
}

} // namespace codesign::cli
