// codesign import: a model of another tool (ONNX) to a project with its weights
// (docs/import.md). Argument parsing and output; the reading is model_io's.
#include "cli_args.h"
#include "commands.h"
#include "core/hw/device_library.h"
#include "model_io/model_reader.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace codesign::cli {
namespace {

std::string millions(std::int64_t v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f M", double(v) / 1e6);
    return buf;
}

void printSummary(const modelio::ImportedModel& m, const std::string& model,
                  const std::string& out) {
    const modelio::ImportReport& r = m.report;
    std::cout << "imported " << model << " (" << r.sourceNodes << " nodes) to " << out << ": "
              << r.layers << " layers, " << r.bundleInstances << " bundle instances of "
              << r.bundles << " bundles and " << r.singleLayers << " single layers\n"
              << "MACs " << millions(r.macs) << ", parameters " << millions(r.params) << " ("
              << r.params << ")\n"
              << "folded: " << r.foldedBatchNorms << " batch norms, " << r.foldedPads
              << " pads; kept as bn: " << r.keptBatchNorms << "\n"
              << "weights: " << m.project.weights << "\n";
    for (const std::string& note : r.notes)
        std::cerr << "codesign: note: " << note << "\n";
}

} // namespace

int runImport(const std::vector<std::string>& argv) {
    Args args(argv, {"force", "help"}, {"out", "device", "input"});
    if (!args.ok())
        return badInput(args.error() + " (see codesign import --help)");
    if (args.flag("help")) {
        std::cout << "usage: codesign import MODEL.onnx --out PROJECT.yaml [--device NAME] "
                     "[--input CxHxW] [--force]\n"
                     "  Reads a model (ONNX, as torch.onnx.export writes it) and writes a\n"
                     "  project: its layers folded into bundles, its weights beside it in\n"
                     "  PROJECT.weights.bin (docs/import.md).\n"
                     "  --out FILE        the project to write\n"
                     "  --device NAME     the project's device (default pynq-z1)\n"
                     "  --input CxHxW     the input size, when the model leaves it open\n"
                     "                    or to import at another size\n"
                     "  --force           replace an existing project file\n"
                     "  Exit status 2 lists every node that has no project form.\n";
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("import needs exactly one model file (see codesign import --help)");
    if (!args.has("out") || args.option("out").empty())
        return badInput("import needs --out PROJECT.yaml, the project to write");
    const std::string model = args.positional().front();
    const std::string out = args.option("out");
    modelio::ImportOptions options;
    if (args.has("device")) {
        Result<Device> device = DeviceLibrary::standard().find(args.option("device"));
        if (!device.ok())
            return badInput(device.error().format());
        options.deviceName = args.option("device");
    }
    if (args.has("input")) {
        options.input = modelio::parseInputShape(args.option("input"));
        if (!options.input)
            return badInput("--input takes CxHxW, e.g. 3x224x224; got '" + args.option("input") +
                            "'");
    }
    std::error_code ec;
    if (std::filesystem::exists(out, ec) && !args.flag("force"))
        return badInput(out + " exists; give --force to replace it");
    options.weightsFile = modelio::defaultWeightsFile(out);
    modelio::ImportResult result = modelio::importModel(model, options);
    if (!result.ok())
        return badInput(result.error.format());
    if (Status s = modelio::writeImportedProject(*result.model, out); !s.ok())
        return badInput(s.error().format());
    printSummary(*result.model, model, out);
    return kExitOk;
}

} // namespace codesign::cli
