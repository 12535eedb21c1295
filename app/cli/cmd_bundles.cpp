#include "cli_args.h"
#include "commands.h"
#include "core/hw/device_library.h"
#include "core/model/project_device.h"
#include "core/model/project_yaml.h"
#include "core/search/bundle_explorer.h"
#include "core/util/json_writer.h"
#include "device_options.h"
#include "load_project.h"
#include "qor_choice.h"

#include <cstdio>
#include <iostream>

namespace codesign::cli {
namespace {

bool parseSmallInt(const std::string& text, int lo, int hi, int& out) {
    return parseNumber(text, out) && out >= lo && out <= hi;
}

} // namespace

int runBundles(const std::vector<std::string>& argv) {
    std::set<std::string> options{"max-length", "repeats", "channels", "groups",
                                  "top-k",      "device",  "clock"};
    options.merge(qorOptionNames());
    std::set<std::string> flags{"json", "help", "all"};
    flags.merge(qorFlagNames());
    Args args(argv, flags, options);
    if (!args.ok())
        return badInput(args.error() + " (see codesign bundles --help)");
    if (args.flag("help")) {
        std::cout
            << "usage: codesign bundles PROJECT [--max-length L] [--repeats N] [--channels C]\n"
               "         [--groups G] [--top-k K] [--qor ...] [--device NAME] [--clock MHZ]\n"
               "         [--all] [--json]\n"
               "  Steps 1-2 of the co-design flow: builds every bundle of the layer pool up\n"
               "  to L compute layers, estimates its prototype network (N instances, C, 2C,\n"
               "  4C... channels, the project's head) on the device, scores the prototypes,\n"
               "  groups them by latency and keeps the best K of each of G groups.\n"
            << deviceOptionsUsage() << qorOptionsUsage();
        return kExitOk;
    }
    if (args.positional().size() != 1)
        return badInput("bundles needs exactly one project file (see codesign bundles --help)");
    BundlePoolOptions o;
    if (!parseSmallInt(args.option("max-length", "2"), 1, 4, o.maxLength))
        return badInput("--max-length must be between 1 and 4");
    if (!parseSmallInt(args.option("repeats", "3"), 1, 8, o.prototypeRepeats))
        return badInput("--repeats must be between 1 and 8");
    if (!parseSmallInt(args.option("channels", "32"), 1, 4096, o.prototypeChannels))
        return badInput("--channels must be between 1 and 4096");
    if (!parseSmallInt(args.option("groups", "3"), 1, 100, o.groups))
        return badInput("--groups must be between 1 and 100");
    if (!parseSmallInt(args.option("top-k", "2"), 1, 100, o.topK))
        return badInput("--top-k must be between 1 and 100");

    const std::string path = args.positional().front();
    Result<Project> project = loadProjectWithNotes(path);
    if (!project.ok())
        return badInput(project.error().format());
    Result<Device> device = applyDeviceOptions(args, *project);
    if (!device.ok())
        return badInput(device.error().format());
    Result<QorChoice> qor = chooseQorEvaluator(args, path);
    if (!qor.ok())
        return badInput(qor.error().message);
    RunControl control;
    Result<std::vector<BundleCandidate>> found =
        exploreBundles(*project, *device, *qor->evaluator, o, control);
    if (!found.ok())
        return badInput(found.error().format());

    const bool all = args.flag("all");
    if (args.flag("json")) {
        JsonWriter w;
        w.beginArray();
        for (const BundleCandidate& c : *found) {
            if (!all && !c.selected)
                continue;
            w.beginObject();
            w.field("bundle", c.bundle.name);
            w.field("group", c.group);
            w.field("selected", c.selected);
            w.field("qor", c.qor.qor);
            w.field("qor_predicted", c.qor.predicted);
            w.field("qor_error", c.qor.error);
            w.field("fps", c.fps);
            w.field("latency_ms", c.latencyMs);
            w.field("power_w", c.powerW);
            w.field("dsp", c.used.dsp);
            w.field("bram18", c.used.bram18);
            w.field("lut", c.used.lut);
            w.field("feasible", c.feasible);
            w.endObject();
        }
        w.endArray();
        std::cout << w.str() << "\n";
        return kExitOk;
    }
    int selected = 0;
    for (const BundleCandidate& c : *found)
        selected += c.selected ? 1 : 0;
    std::printf("%zu bundles with a valid prototype; %d selected (top %d of %d latency groups)\n\n",
                found->size(), selected, o.topK, o.groups);
    std::printf("%-5s %-44s %7s %9s %7s %5s %6s\n", "group", "bundle", "QoR", "latency", "FPS",
                "DSP", "BRAM18");
    for (int g = 0; g < o.groups; ++g)
        for (const BundleCandidate& c : *found)
            if (c.group == g && (all || c.selected))
                std::printf("%-5d %-44s %7.3f %7.2fms %7.1f %5lld %6lld%s\n", g,
                            c.bundle.name.c_str(), c.qor.qor, c.latencyMs, c.fps,
                            static_cast<long long>(c.used.dsp),
                            static_cast<long long>(c.used.bram18), c.selected ? "  *" : "");
    return kExitOk;
}

} // namespace codesign::cli
