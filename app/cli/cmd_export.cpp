#include "cli_args.h"
#include "commands.h"
#include "core/model/project_yaml.h"
#include "core/reference/weight_set.h"
#include "core/search/search_report.h"
#include "device_options.h"
#include "hls_export/exporter.h"
#include "hls_export/trained_weights.h"
#include "load_project.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

namespace codesign::cli {
namespace {

// A design of a search archive as a project to export. `codesign explore --out DIR` writes
// the project of every design on the Pareto front to DIR/designs/ID.yaml, with the
// accelerator it was estimated with fixed (search_report.h).
Result<Project> candidateProject(const std::string& archiveDir, const std::string& id) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(fs::path(archiveDir) / "archive.csv", ec))
        return makeError("'" + archiveDir +
                         "' holds no search archive (archive.csv, written by codesign explore "
                         "--out)");
    const bool numeric = !id.empty() && id.find_first_not_of("0123456789") == std::string::npos;
    const fs::path file = fs::path(archiveDir) / "designs" / (id + ".yaml");
    if (numeric && fs::is_regular_file(file, ec))
        return loadProjectFile(file.string());
    std::vector<int> front;
    for (const auto& entry : fs::directory_iterator(fs::path(archiveDir) / "designs", ec))
        if (entry.path().extension() == ".yaml")
            if (int n = 0; parseNumber(entry.path().stem().string(), n))
                front.push_back(n);
    std::sort(front.begin(), front.end());
    std::string listed;
    for (std::size_t i = 0; i < front.size() && i < 20; ++i)
        listed += (i ? ", " : "") + std::to_string(front[i]);
    if (front.size() > 20)
        listed += ", ...";
    return makeError(
        "candidate '" + id + "' is not a design on the Pareto front of '" + archiveDir +
        "' (only front designs are saved, in designs/ID.yaml)" +
        (front.empty() ? std::string("; this archive has none") : "; the front's ids: " + listed));
}

// The designs of --from DIR belong to the project DIR was explored from (pareto.json records
// its fingerprint); PROJECT must be that project: its QoR cache holds their trained weights.
std::string checkRunOrigin(const std::string& dir, const std::string& projectPath,
                           const Project& project) {
    Result<SearchRunInfo> origin = readSearchRunOrigin(dir);
    if (!origin.ok())
        return origin.error().format();
    if (origin->projectHash.empty() || origin->projectHash == searchProjectHash(project))
        return {};
    return "'" + dir + "' was explored from another project" +
           (origin->projectFile.empty() ? std::string()
                                        : " (" + origin->projectFile + ", as it was then)") +
           ", not from '" + projectPath +
           "'; give that project (its QoR cache holds the designs' trained weights), or "
           "explore this one";
}

// The weights to export: --weights FILE, else the trained weights the project's QoR cache
// holds for this design (codesign explore --qor torch), else none (the exporter seeds them).
Result<std::optional<reference::WeightSet>>
exportWeights(const Args& args, const std::string& projectPath, const Project& project) {
    if (args.has("weights")) {
        Result<reference::WeightSet> set = reference::readWeightSetFile(args.option("weights"));
        if (!set.ok())
            return set.error();
        return std::optional<reference::WeightSet>(std::move(set).value());
    }
    Result<std::optional<reference::WeightSet>> cached =
        hls::cachedTrainedWeights(projectPath, project);
    if (!cached.ok()) {
        Diagnostic d = cached.error();
        d.message += "; give --weights FILE instead";
        return d;
    }
    return cached;
}

} // namespace

int runExport(const std::vector<std::string>& argv) {
    Args args(argv, {"force", "help"}, {"out", "candidate", "from", "weights", "clock"});
    if (!args.ok())
        return badInput(args.error() + " (see codesign export --help)");
    if (args.flag("help")) {
        std::cout
            << "usage: codesign export PROJECT --out DIR [--candidate ID --from ARCHIVE_DIR] "
               "[--clock MHZ] [--force]\n"
               "  Writes the accelerator project (HLS C++, testbench with golden vectors, Vitis\n"
               "  HLS and Vivado scripts, PYNQ driver) and the model (YAML, ONNX, PyTorch,\n"
               "  weights) for the project's estimated design into DIR (docs/export.md).\n"
               "  --out DIR         the folder to create; it must be empty or absent\n"
               "  --force           replace the contents of a non-empty DIR\n"
               "  --candidate ID    export design point ID of a search archive instead\n"
               "  --from ARCHIVE    the folder of codesign explore --out (a front design:\n"
               "                    ARCHIVE/designs/ID.yaml); PROJECT must be the project\n"
               "                    explored there\n"
               "  --weights FILE    the weights to export (codesign train --out); default: the\n"
               "                    trained weights of the project's QoR cache for this design,\n"
               "                    else seeded initial weights\n"
            << deviceOptionsUsage(false);
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("export needs exactly one project file (see codesign export --help)");
    if (!args.has("out") || args.option("out").empty())
        return badInput("export needs --out DIR, the folder to write (see codesign export --help)");
    if (args.has("candidate") != args.has("from"))
        return badInput("--candidate ID and --from ARCHIVE_DIR go together");

    Result<Project> project = loadProjectWithNotes(args.positional().front());
    if (!project.ok())
        return badInput(project.error().format());
    if (args.has("candidate")) {
        Result<Project> candidate = candidateProject(args.option("from"), args.option("candidate"));
        if (!candidate.ok())
            return badInput(candidate.error().format());
        if (std::string e =
                checkRunOrigin(args.option("from"), args.positional().front(), *project);
            !e.empty())
            return badInput(e);
        project = std::move(candidate);
    }
    if (Result<Device> device = applyDeviceOptions(args, *project); !device.ok())
        return badInput(device.error().format());

    Result<std::optional<reference::WeightSet>> weights =
        exportWeights(args, args.positional().front(), *project);
    if (!weights.ok())
        return badInput(weights.error().format());

    hls::ExportOptions options;
    options.weights = *weights ? &**weights : nullptr;
    options.outDir = args.option("out");
    options.force = args.flag("force");
    Result<hls::ExportSummary> summary = hls::exportProject(*project, options);
    if (!summary.ok())
        return badInput(summary.error().format());

    const Estimate& e = summary->estimate.estimate;
    std::cout << "exported " << project->name << " to " << summary->outDir << ": "
              << summary->files.size() << " files, " << summary->layers << " layers\n"
              << "design: " << summary->estimate.device.name << ", " << e.clockMhz << " MHz, "
              << architectureOf(e.detail).designSummary(e.detail, &summary->estimate.graph)
              << "; estimate " << e.fps << " FPS, " << e.powerW << " W\n"
              << "weights: " << summary->weightsOrigin << "\n"
              << "next: make -C " << summary->outDir << " csim\n";
    return kExitOk;
}

} // namespace codesign::cli
