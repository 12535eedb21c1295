#include "compare_report.h"

#include "report_json.h"

#include <algorithm>
#include <cstdio>

namespace codesign {
namespace {

std::string fmt(int decimals, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string pad(std::string s, std::size_t width, bool right = false) {
    if (s.size() >= width)
        return s + "  ";
    const std::string fill(width - s.size(), ' ');
    return (right ? fill + s : s + fill) + "  ";
}

std::string usage(std::int64_t used, std::int64_t have) {
    const double pct = have > 0 ? 100.0 * double(used) / double(have) : 0;
    return std::to_string(used) + " (" + fmt(0, pct) + "%)";
}

void writeFamilyJson(JsonWriter& w, const FamilyEstimate& f) {
    w.beginObject();
    w.field("arch", f.arch);
    if (!f.estimate.ok()) {
        w.field("error", f.estimate.error().format());
        w.endObject();
        return;
    }
    const DesignEstimate& de = *f.estimate;
    const Estimate& e = de.estimate;
    w.field("title", std::string(de.architecture->title()));
    w.field("fps", e.fps);
    w.field("latency_ms", e.latencyMs);
    w.field("compute_bound_fps", e.computeBoundFps);
    w.field("power_w", e.powerW);
    w.field("energy_per_image_mj", e.energyPerImageMj);
    w.field("ddr_bytes_per_image", e.ddrBytesPerImage);
    w.key("resources");
    writeResourcesJson(w, e.used);
    w.field("feasible", e.feasible);
    w.key("violations");
    w.beginArray();
    for (const std::string& v : e.violations)
        w.value(v);
    w.endArray();
    w.field("bottleneck", e.bottleneck);
    w.field("design", de.architecture->designSummary(e.detail, &de.graph));
    w.key("accelerator");
    de.architecture->writeDesignJson(w, e.detail, e.autoSized, &de.graph);
    w.endObject();
}

} // namespace

void writeComparisonJson(JsonWriter& w, const std::vector<FamilyEstimate>& families,
                         const Device& device, const std::string& projectName) {
    w.beginObject();
    w.field("project", projectName);
    w.key("device");
    writeDeviceJson(w, device);
    w.key("families");
    w.beginArray();
    for (const FamilyEstimate& f : families)
        writeFamilyJson(w, f);
    w.endArray();
    w.endObject();
}

std::string formatComparisonTable(const std::vector<FamilyEstimate>& families, const Device& device,
                                  const std::string& projectName) {
    std::size_t nameWidth = 6;
    for (const FamilyEstimate& f : families)
        nameWidth = std::max(nameWidth, f.arch.size());
    std::string out = projectName + " on " + device.name + " (" + device.part +
                      "), each family sized automatically\n\n";
    out += pad("family", nameWidth) + pad("FPS", 9, true) + pad("latency ms", 10, true) +
           pad("power W", 7, true) + pad("DSP", 11, true) + pad("BRAM18", 11, true) +
           pad("LUT", 13, true) + pad("FF", 13, true) + "bottleneck\n";
    std::string designs;
    for (const FamilyEstimate& f : families) {
        if (!f.estimate.ok()) {
            out +=
                pad(f.arch, nameWidth) + "cannot estimate: " + f.estimate.error().format() + "\n";
            continue;
        }
        const DesignEstimate& de = *f.estimate;
        const Estimate& e = de.estimate;
        out += pad(f.arch, nameWidth) + pad(fmt(1, e.fps), 9, true) +
               pad(fmt(2, e.latencyMs), 10, true) + pad(fmt(2, e.powerW), 7, true) +
               pad(usage(e.used.dsp, e.available.dsp), 11, true) +
               pad(usage(e.used.bram18, e.available.bram18), 11, true) +
               pad(usage(e.used.lut, e.available.lut), 13, true) +
               pad(usage(e.used.ff, e.available.ff), 13, true) + e.bottleneck +
               (e.feasible || e.bottleneck.rfind("resource", 0) == 0 ? "" : " (does not fit)") +
               "\n";
        designs += "  " + pad(f.arch, nameWidth) + std::string(de.architecture->title()) + ": " +
                   de.architecture->designSummary(e.detail, &de.graph) + "\n";
    }
    return designs.empty() ? out : out + "\ndesigns\n" + designs;
}

} // namespace codesign
