#include "cli_args.h"
#include "commands.h"
#include "core/estimate/design_estimate.h"
#include "core/model/project_yaml.h"
#include "core/report/estimate_report.h"
#include "device_options.h"
#include "load_project.h"

#include <iostream>

namespace codesign::cli {

int runEstimate(const std::vector<std::string>& argv) {
    Args args(argv, {"json", "help"}, {"device", "clock"});
    if (!args.ok())
        return badInput(args.error() + " (see codesign estimate --help)");
    if (args.flag("help")) {
        std::cout << "usage: codesign estimate PROJECT [--device NAME] [--clock MHZ] [--json]\n"
                     "  Estimates FPS, latency, power and FPGA resources of the project's\n"
                     "  accelerator (sized automatically when the project says auto: true).\n"
                  << deviceOptionsUsage() << "  --json            print JSON instead of a table\n";
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("estimate needs exactly one project file (see codesign estimate --help)");

    Result<Project> project = loadProjectWithNotes(args.positional().front());
    if (!project.ok())
        return badInput(project.error().format());
    if (Result<Device> device = applyDeviceOptions(args, *project); !device.ok())
        return badInput(device.error().format());
    DesignRequest request;
    request.deviceName = args.option("device");
    Result<DesignEstimate> pe = estimateDesign(*project, DeviceLibrary::standard(), request);
    if (!pe.ok())
        return badInput(pe.error().format());

    if (args.flag("json")) {
        JsonWriter w;
        writeEstimateJson(w, *pe, project->name);
        std::cout << w.str() << "\n";
    } else {
        std::cout << formatEstimateTable(*pe, project->name);
    }
    return kExitOk;
}

} // namespace codesign::cli
