// codesign: the headless command line of Codesign Studio. Argument parsing and output
// only; the work is done by the core library.
#include "cli_args.h"
#include "commands.h"
#ifdef CODESIGN_HAVE_TORCH
#include "train/train_plugin.h"
#endif

#include <iostream>
#include <string>
#include <vector>

namespace {

void printUsage(std::ostream& out) {
    out << "usage: codesign COMMAND [ARGS]\n\n"
           "commands:\n"
           "  estimate PROJECT [--device NAME] [--json]   FPS, latency, power, resources\n"
           "  devices [--json]                            the device library\n"
           "  export PROJECT --out DIR [--force]          accelerator project and model\n"
           "  import MODEL.onnx --out PROJECT.yaml        a project from an ONNX model\n"
           "  transform PROJECT --low-rank --out NEW      convs split by a truncated SVD\n"
           "  explore PROJECT [--strategy S] [--budget N] [--qor Q] [--out DIR] [--json]\n"
           "                                              co-design search, Pareto front\n"
           "  bundles PROJECT [--max-length L] [--top-k K] [--qor Q] [--json]\n"
           "                                              candidate bundles by QoS group\n"
           "  transform PROJECT --fuse half|full --out NEW [--layers L|--first N]\n"
           "                                              depthwise layers into FuSe form\n"
           "  compare PROJECT [--arch A,B] [--json]       the accelerator families side by\n"
           "                                              side, each sized automatically\n"
           "  calibrate --device NAME REPORTS... [--out FILE] [--json]\n"
           "                                              fit coefficients to your reports\n"
           "  train PROJECT [--data DIR|--synthetic N] [--epochs E] [--json]\n"
           "                                              fast training: IoU or accuracy\n\n"
           "codesign COMMAND --help describes a command. Exit status: 0 success,\n"
           "2 bad input (the message names the file, line and column, or the layer).\n";
}

} // namespace

int main(int argc, char** argv) {
    using namespace codesign::cli;
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        printUsage(std::cerr);
        return kExitBadInput;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        printUsage(std::cout);
        return kExitOk;
    }
    if (command == "--version") {
        std::cout << "codesign " CODESIGN_VERSION "\n";
        return kExitOk;
    }
    try {
        if (command == "estimate")
            return runEstimate(args);
        if (command == "devices")
            return runDevices(args);
        if (command == "export")
            return runExport(args);
        if (command == "import")
            return runImport(args);
        if (command == "transform")
            return runTransform(args);
        if (command == "explore")
            return runExplore(args);
        if (command == "bundles")
            return runBundles(args);
        if (command == "compare")
            return runCompare(args);
        if (command == "calibrate")
            return runCalibrate(args);
        if (command == "train") {
#ifdef CODESIGN_HAVE_TORCH
            auto plugin = codesign::train::loadTrainPlugin();
            if (!plugin.ok()) {
                std::cerr << "codesign: " << plugin.error().message << "\n";
                return kExitFailure;
            }
            return (*plugin)->runTrainCommand(args);
#else
            std::cerr << "codesign: this build has no trainer: it was configured without "
                         "libtorch (install libtorch-dev and libturbojpeg0-dev, then reconfigure "
                         "with -DCODESIGN_BUILD_TRAINING=ON)\n";
            return kExitFailure;
#endif
        }
    } catch (const std::exception& e) {
        std::cerr << "codesign: internal error: " << e.what() << "\n";
        return kExitFailure;
    }
    return badInput("unknown command '" + command + "' (see codesign --help)");
}
