// codesign calibrate: fits the device's LUT, FF, timing and power coefficients to the
// user's synthesis, implementation and board reports (docs/cli.md, "calibrate"). The work
// is in core/hw/calibration; this file parses the arguments and prints.
#include "cli_args.h"
#include "commands.h"
#include "core/hw/calibration/calibration_overlay.h"
#include "core/hw/device_library.h"
#include "core/util/atomic_file.h"
#include "core/util/json_writer.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace codesign::cli {
namespace {

const char* kUsage =
    "usage: codesign calibrate --device NAME REPORTS... [--out FILE] [--json]\n"
    "  Fits the device's LUT, FF, timing and power coefficients to your reports by\n"
    "  non-negative least squares and writes them as a device overlay.\n"
    "  REPORTS are files or folders: Vitis HLS csynth.xml, Vivado report_utilization\n"
    "  and report_power text, and a CSV of board measurements (design,fps[,power_w]).\n"
    "  Each report belongs to the design folder above it (a codesign export folder,\n"
    "  with its estimate.json); the CSV names design folders by their folder name.\n"
    "  --device NAME     the device the designs ran on (the library's, codesign devices)\n"
    "  --out FILE        the overlay to write (default devices/NAME.calibrated.yaml)\n"
    "  --json            print JSON instead of tables\n";

std::string number(double v, int decimals = -1) {
    char buf[48];
    if (decimals < 0)
        std::snprintf(buf, sizeof buf, "%.6g", v);
    else
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string percentOf(const CoefficientResult& c) {
    if (!c.stdError || c.after == 0)
        return "-";
    return number(100 * *c.stdError / std::abs(c.after), 1) + " %";
}

void printText(const CalibrationResult& r, const std::vector<CalibrationDesign>& designs,
               const std::string& written) {
    std::printf("calibrated %s from %zu design(s)\n\n", r.before.name.c_str(), designs.size());
    std::printf("%-28s %12s %12s %9s  %s\n", "coefficient", "before", "after", "+-", "unit");
    for (const CoefficientResult& c : r.coefficients)
        std::printf("%-28s %12s %12s %9s  %s%s\n", std::string(c.coefficient->key).c_str(),
                    number(c.before).c_str(), number(c.after).c_str(), percentOf(c).c_str(),
                    std::string(c.coefficient->unit).c_str(), c.fitted ? "" : "  (kept)");
    std::printf("\nerror against the reports, %% of the measured value: mean (largest)\n");
    std::printf("%-16s %4s %20s %20s\n", "quantity", "n", "before", "after");
    for (const QuantityError& e : r.errors) {
        const std::string before = number(e.meanBefore, 1) + " (" + number(e.maxBefore, 1) + ")";
        const std::string after = number(e.meanAfter, 1) + " (" + number(e.maxAfter, 1) + ")";
        std::printf("%-16s %4d %20s %20s%s\n", std::string(quantityName(e.quantity)).c_str(),
                    e.count, before.c_str(), after.c_str(), e.fitted ? "" : "  not fitted");
    }
    bool heading = false;
    for (const CoefficientResult& c : r.coefficients)
        if (!c.note.empty()) {
            if (!heading)
                std::printf("\nnotes:\n");
            heading = true;
            std::printf("  %s\n", c.note.c_str());
        }
    if (written.empty())
        std::printf("\nnothing was fitted: no overlay written\n");
    else
        std::printf("\nwrote %s\n", written.c_str());
}

void writeCoefficientsJson(JsonWriter& w, const CalibrationResult& r) {
    w.key("coefficients");
    w.beginArray();
    for (const CoefficientResult& c : r.coefficients) {
        w.beginObject();
        w.field("key", c.coefficient->key);
        w.field("name", c.coefficient->name);
        w.field("model", modelName(c.coefficient->model));
        w.field("feature", c.coefficient->feature);
        w.field("unit", c.coefficient->unit);
        w.field("before", c.before);
        w.field("after", c.after);
        w.field("fitted", c.fitted);
        w.key("std_error");
        c.stdError ? w.value(*c.stdError) : w.null();
        w.field("note", c.note);
        w.endObject();
    }
    w.endArray();
}

void writeErrorsJson(JsonWriter& w, const CalibrationResult& r) {
    w.key("errors");
    w.beginArray();
    for (const QuantityError& e : r.errors) {
        w.beginObject();
        w.field("quantity", quantityKey(e.quantity));
        w.field("count", e.count);
        w.field("fitted", e.fitted);
        w.field("mean_pct_before", e.meanBefore);
        w.field("max_pct_before", e.maxBefore);
        w.field("mean_pct_after", e.meanAfter);
        w.field("max_pct_after", e.maxAfter);
        w.endObject();
    }
    w.endArray();
    w.key("designs");
    w.beginArray();
    for (const DesignFigures& d : r.designs) {
        w.beginObject();
        w.field("name", d.name);
        w.key("figures");
        w.beginArray();
        for (const DesignFigures::Figure& f : d.figures) {
            w.beginObject();
            w.field("quantity", quantityKey(f.quantity));
            w.field("measured", f.measured);
            w.field("before", f.before);
            w.field("after", f.after);
            w.field("source", f.source);
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }
    w.endArray();
}

void printJson(const CalibrationResult& r, const std::string& written) {
    JsonWriter w;
    w.beginObject();
    w.field("device", r.before.name);
    writeCoefficientsJson(w, r);
    writeErrorsJson(w, r);
    w.key("overlay");
    written.empty() ? w.null() : w.value(written);
    w.endObject();
    std::cout << w.str() << "\n";
}

// Writes the overlay after checking that the library reads it back.
Status writeOverlay(const std::string& path, const std::string& text,
                    const DeviceLibrary& library) {
    if (Result<Device> back = library.withOverlay(text, path); !back.ok())
        return makeError("internal: the overlay does not read back: " + back.error().format());
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    if (ec)
        return makeError("cannot create " + parent.string() + ": " + ec.message());
    return writeFileAtomic(path, text);
}

} // namespace

int runCalibrate(const std::vector<std::string>& argv) {
    Args args(argv, {"json", "help"}, {"device", "out"});
    if (!args.ok())
        return badInput(args.error() + " (see codesign calibrate --help)");
    if (args.flag("help")) {
        std::cout << kUsage;
        return kExitOk;
    }
    if (!args.has("device"))
        return badInput("calibrate needs --device NAME (see codesign calibrate --help)");
    if (args.positional().empty())
        return badInput("calibrate needs the reports (see codesign calibrate --help)");
    const DeviceLibrary& library = DeviceLibrary::standard();
    Result<Device> device = library.find(args.option("device"));
    if (!device.ok())
        return badInput("--device: " + device.error().message);
    Result<std::vector<DesignReports>> reports = findDesignReports(args.positional());
    if (!reports.ok())
        return badInput(reports.error().format());
    Result<std::vector<CalibrationDesign>> designs =
        loadCalibrationDesigns(*reports, *device, library);
    if (!designs.ok())
        return badInput(designs.error().format());
    Result<CalibrationResult> result = calibrate(*designs, *device);
    if (!result.ok())
        return badInput(result.error().format());
    const std::string text = calibrationOverlayText(*result, *designs);
    const std::string out = args.option("out", "devices/" + device->name + ".calibrated.yaml");
    if (!text.empty())
        if (Status s = writeOverlay(out, text, library); !s.ok()) {
            std::cerr << "codesign: " << s.error().format() << "\n";
            return kExitFailure;
        }
    const std::string written = text.empty() ? std::string() : out;
    if (args.flag("json"))
        printJson(*result, written);
    else
        printText(*result, *designs, written);
    return kExitOk;
}

} // namespace codesign::cli
