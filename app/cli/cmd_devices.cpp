#include "cli_args.h"
#include "commands.h"
#include "core/hw/device_library.h"
#include "core/util/json_writer.h"

#include <cstdio>
#include <iostream>

namespace codesign::cli {

int runDevices(const std::vector<std::string>& argv) {
    Args args(argv, {"json", "help"}, {});
    if (!args.ok())
        return badInput(args.error() + " (see codesign devices --help)");
    if (args.flag("help")) {
        std::cout << "usage: codesign devices [--json]\n"
                     "  Lists the device library (built in, plus *.yaml files in the\n"
                     "  directories of CODESIGN_DEVICE_PATH) and the overlays applied, such\n"
                     "  as the coefficients of codesign calibrate.\n";
        return kExitOk;
    }
    if (!args.positional().empty())
        return badInput("devices takes no arguments");
    const DeviceLibrary& lib = DeviceLibrary::standard();
    for (const Diagnostic& d : lib.loadErrors())
        std::cerr << "codesign: warning: skipped " << d.format() << "\n";
    if (args.flag("json")) {
        JsonWriter w;
        w.beginArray();
        for (const Device& d : lib.devices()) {
            w.beginObject();
            w.field("name", d.name);
            w.field("board", d.board);
            w.field("part", d.part);
            w.field("family", d.family);
            w.field("dsp", d.dsp);
            w.field("bram18", d.bram18);
            w.field("uram", d.uram);
            w.field("lut", d.lut);
            w.field("ff", d.ff);
            w.field("dsp_type", d.dspRule.type);
            w.field("ddr_peak_gbps", d.memory.ddrPeakGBps);
            w.field("clock_mhz", d.defaultClockMhz);
            w.key("overlays");
            w.beginArray();
            for (const std::string& file : d.overlayFiles)
                w.value(file);
            w.endArray();
            w.endObject();
        }
        w.endArray();
        std::cout << w.str() << "\n";
        return kExitOk;
    }
    std::printf("%-12s %-22s %-8s %6s %7s %5s %8s %8s %9s %6s\n", "name", "part", "dsp type", "DSP",
                "BRAM18", "URAM", "LUT", "FF", "DDR GB/s", "MHz");
    for (const Device& d : lib.devices())
        std::printf("%-12s %-22s %-8s %6d %7d %5d %8d %8d %9.2f %6.0f\n", d.name.c_str(),
                    d.part.c_str(), d.dspRule.type.c_str(), d.dsp, d.bram18, d.uram, d.lut, d.ff,
                    d.memory.ddrPeakGBps, d.defaultClockMhz);
    for (const Device& d : lib.devices())
        for (const std::string& file : d.overlayFiles)
            std::printf("%s: overlay %s\n", d.name.c_str(), file.c_str());
    return kExitOk;
}

} // namespace codesign::cli
