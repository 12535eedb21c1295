// codesign: the headless command line of Codesign Studio. Argument parsing and output
// only; the work is done by the core library.
#include "cli_args.h"
#include "commands.h"

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
           "  explore PROJECT [--strategy S] [--budget N] [--qor Q] [--out DIR] [--json]\n"
           "                                              co-design search, Pareto front\n"
           "  bundles PROJECT [--max-length L] [--top-k K] [--qor Q] [--json]\n"
           "                                              candidate bundles by QoS group\n\n"
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
        if (command == "explore")
            return runExplore(args);
        if (command == "bundles")
            return runBundles(args);
    } catch (const std::exception& e) {
        std::cerr << "codesign: internal error: " << e.what() << "\n";
        return kExitFailure;
    }
    return badInput("unknown command '" + command + "' (see codesign --help)");
}
