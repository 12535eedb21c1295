// codesign compare: every accelerator family on the project's device, each sized
// automatically, side by side (docs/cli.md).
#include "cli_args.h"
#include "commands.h"
#include "core/estimate/family_compare.h"
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"
#include "core/report/compare_report.h"
#include "device_options.h"

#include <iostream>
#include <sstream>

namespace codesign::cli {
namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : ",") + n;
    return out;
}

void printUsage() {
    std::cout << "usage: codesign compare PROJECT [--arch A,B,...] [--device NAME] [--clock MHZ]"
                 " [--json]\n"
                 "  Sizes the project's network automatically for each accelerator family on\n"
                 "  its device and prints them side by side: FPS, latency, power, DSP, BRAM18,\n"
                 "  LUT, FF, bottleneck and the design each chose.\n"
                 "  --arch            the families, comma-separated (default: all of them: "
              << joined(familyNames()) << ")\n"
              << deviceOptionsUsage() << "  --json            print JSON instead of a table\n";
}

// "tiled,systolic" -> names; an empty entry is an error.
Result<std::vector<std::string>> splitArchs(const std::string& text) {
    std::vector<std::string> names;
    std::stringstream in(text);
    std::string name;
    while (std::getline(in, name, ','))
        names.push_back(name);
    if (names.empty() || (!text.empty() && text.back() == ','))
        names.emplace_back();
    for (const std::string& n : names)
        if (n.empty())
            return makeError("--arch needs family names separated by commas (the families: " +
                             joined(familyNames()) + ")");
    return names;
}

} // namespace

int runCompare(const std::vector<std::string>& argv) {
    Args args(argv, {"json", "help"}, {"arch", "device", "clock"});
    if (!args.ok())
        return badInput(args.error() + " (see codesign compare --help)");
    if (args.flag("help")) {
        printUsage();
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("compare needs exactly one project file (see codesign compare --help)");
    std::vector<std::string> archs;
    if (args.has("arch")) {
        Result<std::vector<std::string>> names = splitArchs(args.option("arch"));
        if (!names.ok())
            return badInput(names.error().format());
        archs = std::move(names).value();
    }
    Result<Project> project = loadProjectFile(args.positional().front());
    if (!project.ok())
        return badInput(project.error().format());
    Result<Device> device = applyDeviceOptions(args, *project);
    if (!device.ok())
        return badInput(device.error().format());
    DesignRequest request;
    request.deviceName = args.option("device");
    Result<std::vector<FamilyEstimate>> families =
        compareFamilies(*project, archs, DeviceLibrary::standard(), request);
    if (!families.ok())
        return badInput(families.error().format());

    if (args.flag("json")) {
        JsonWriter w;
        writeComparisonJson(w, *families, *device, project->name);
        std::cout << w.str() << "\n";
    } else {
        std::cout << formatComparisonTable(*families, *device, project->name);
    }
    return kExitOk;
}

} // namespace codesign::cli
