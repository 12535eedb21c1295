#include "estimate_report.h"

#include "report_json.h"

#include <cstdio>
#include <string_view>

namespace codesign {
namespace {

// Fixed-point text with `decimals` digits after the point ("%g" style when negative).
std::string fmt(int decimals, double v) {
    char buf[64];
    if (decimals < 0)
        std::snprintf(buf, sizeof buf, "%g", v);
    else
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string usage(std::int64_t used, std::int64_t have) {
    const double pct = have > 0 ? 100.0 * double(used) / double(have) : 0;
    return std::to_string(used) + " / " + std::to_string(have) + " (" + fmt(0, pct) + " %)";
}

} // namespace

void writeEstimateJson(JsonWriter& w, const DesignEstimate& de, const std::string& name) {
    const Estimate& e = de.estimate;
    const Device& device = de.device;
    w.beginObject();
    w.field("project", name);
    w.field("fps", e.fps);
    w.field("fps_accelerator", e.fps);
    w.field("fps_system", e.fpsSystem);
    w.field("latency_ms", e.latencyMs);
    w.field("compute_bound_fps", e.computeBoundFps);
    w.field("memory_bound_fraction", e.memoryBoundFraction);
    w.field("ddr_gbps", e.ddrGBps);
    w.field("power_w", e.powerW);
    w.field("energy_per_image_mj", e.energyPerImageMj);
    w.field("macs", e.macs);
    w.field("params", e.params);
    w.field("ddr_bytes_per_image", e.ddrBytesPerImage);
    w.key("host");
    w.beginObject();
    w.field("total_ms", e.host.totalMs());
    w.field("decode_ms", e.host.decodeMs);
    w.field("resize_ms", e.host.resizeMs);
    w.field("pack_ms", e.host.packMs);
    w.field("cache_ms", e.host.cacheMs);
    w.field("post_ms", e.host.postMs);
    w.field("driver_ms", e.host.driverMs);
    w.endObject();
    w.key("resources");
    writeResourcesJson(w, e.used);
    w.key("device");
    writeDeviceJson(w, device);
    w.field("feasible", e.feasible);
    w.key("violations");
    w.beginArray();
    for (const std::string& v : e.violations)
        w.value(v);
    w.endArray();
    w.field("bottleneck", e.bottleneck);
    w.key("power");
    w.beginObject();
    w.field("board_static_w", e.power.boardStaticW);
    w.field("pl_static_w", e.power.plStaticW);
    w.field("dsp_w", e.power.dspW);
    w.field("bram_w", e.power.bramW);
    w.field("logic_w", e.power.logicW);
    w.field("ddr_w", e.power.ddrW);
    w.endObject();
    w.key("accelerator");
    de.architecture->writeDesignJson(w, e.detail, e.autoSized, &de.graph);
    de.architecture->writeDetailJson(w, de.graph, e);
    w.endObject();
}

std::string formatEstimateTable(const DesignEstimate& de, const std::string& name) {
    const Estimate& e = de.estimate;
    std::string out = name + " on " + de.device.name + " (" + de.device.part + "), " +
                      std::string(de.architecture->title()) + " at " + fmt(-1, e.clockMhz) +
                      " MHz\n";
    out += de.architecture->describeTable(de.graph, de.device, e);
    out += "\n";
    out +=
        "FPS          " + fmt(1, e.fps) + "   (compute-bound " + fmt(1, e.computeBoundFps) + ")\n";
    out += "system FPS   " + fmt(1, e.fpsSystem) + "   (host " + fmt(2, e.host.totalMs()) +
           " ms per frame: decode " + fmt(2, e.host.decodeMs) + ", resize " +
           fmt(2, e.host.resizeMs) + ", pack " + fmt(2, e.host.packMs) + ", caches " +
           fmt(2, e.host.cacheMs) + ", post " + fmt(2, e.host.postMs) + ", driver " +
           fmt(2, e.host.driverMs) + ")\n";
    out += "latency      " + fmt(2, e.latencyMs) + " ms per batch\n";
    out += "power        " + fmt(2, e.powerW) + " W  (board " + fmt(2, e.power.boardStaticW) +
           ", PL static " + fmt(2, e.power.plStaticW) + ", DSP " + fmt(2, e.power.dspW) +
           ", BRAM " + fmt(2, e.power.bramW) + ", logic " + fmt(2, e.power.logicW) + ", DDR " +
           fmt(2, e.power.ddrW) + ")\n";
    out += "memory       " + fmt(0, 100 * e.memoryBoundFraction) +
           " % of the time waiting for memory, " + fmt(2, e.ddrGBps) + " GB/s of DDR (peak " +
           fmt(-1, de.device.memory.ddrPeakGBps) + ")\n";
    out += "energy       " + fmt(1, e.energyPerImageMj) + " mJ per image\n";
    out += "work         " + fmt(1, e.macs / 1e6) + " M MACs, " + fmt(3, e.params / 1e6) +
           " M params, " + fmt(2, e.ddrBytesPerImage / 1e6) + " MB DDR traffic per image\n";
    out += "DSP          " + usage(e.used.dsp, e.available.dsp) + "\n";
    out += "BRAM18       " + usage(e.used.bram18, e.available.bram18) + "\n";
    out += "LUT          " + usage(e.used.lut, e.available.lut) + "\n";
    out += "FF           " + usage(e.used.ff, e.available.ff) + "\n";
    out += de.architecture->describeTotals(e);
    out += "bottleneck   " + e.bottleneck + "\n";
    out += std::string("feasible     ") + (e.feasible ? "yes" : "no") + "\n";
    for (const std::string& v : e.violations)
        out += "  violation: " + v + "\n";
    return out;
}

} // namespace codesign
