#include "estimate_report.h"

#include "../estimate/tiled_model.h"

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

std::string pad(std::string s, std::size_t width, bool right = false) {
    if (s.size() >= width)
        return s + " ";
    const std::string fill(width - s.size(), ' ');
    return (right ? fill + s : s + fill) + " ";
}

int dwLanesOf(const ProjectEstimate& pe) {
    int lanes = 0;
    for (const Node& n : pe.graph.nodes)
        if (n.op == Op::DwConv || (n.op == Op::Conv && n.groups > 1 && n.groups == n.in.c))
            lanes = std::max(lanes, n.kernelH * n.kernelW);
        else if (n.op == Op::Fuse)
            lanes = std::max(lanes, n.kernelH);
    return lanes;
}

std::string usage(std::int64_t used, std::int64_t have) {
    const double pct = have > 0 ? 100.0 * double(used) / double(have) : 0;
    return std::to_string(used) + " / " + std::to_string(have) + " (" + fmt(0, pct) + " %)";
}

// The storage formats every layer shares, and the layers that made them wider than the
// project's formats.
void writeFormatsJson(JsonWriter& w, const EffectiveFormats& f) {
    auto names = [&](const char* key, const std::vector<std::string>& layers) {
        w.key(key);
        w.beginArray();
        for (const std::string& l : layers)
            w.value(l);
        w.endArray();
    };
    w.key("formats");
    w.beginObject();
    w.field("activation_storage", formatFixedType(f.storage.activations));
    w.field("activation_ddr_bits", containerBits(f.storage.activations.width));
    names("activation_forced_by", f.activationsForcedBy);
    w.field("weight_storage", formatFixedType(f.storage.weights));
    w.field("weight_ddr_bits", containerBits(f.storage.weights.width));
    names("weight_forced_by", f.weightsForcedBy);
    w.endObject();
}

} // namespace

void writeAcceleratorJson(JsonWriter& w, const TiledConfig& c, bool autoSized, int dwLanes) {
    w.beginObject();
    w.field("arch", "tiled");
    w.field("auto", autoSized);
    w.field("clock_mhz", c.clockMhz);
    w.field("batch", c.batch);
    w.field("pw_in", c.pwIn);
    w.field("pw_out", c.pwOut);
    // dwLanes: the DW unit's window (0: no DW unit; negative: not known here).
    w.field("dw_parallel", dwLanes == 0 ? 0 : c.dwParallel);
    if (dwLanes >= 0)
        w.field("dw_lanes", dwLanes);
    w.key("tile");
    w.beginArray();
    w.value(c.tileRows);
    w.value(c.tileCols);
    w.endArray();
    w.field("double_buffer", c.doubleBuffer);
    if (!c.groupTiles.empty()) { // per group, from auto sizing or the project's group_tiles
        w.key("group_tiles");
        w.beginArray();
        for (const TileSize& t : c.groupTiles) {
            w.beginArray();
            w.value(t.rows);
            w.value(t.cols);
            w.endArray();
        }
        w.endArray();
    }
    w.endObject();
}

void writeEstimateJson(JsonWriter& w, const ProjectEstimate& pe, const std::string& name) {
    const Estimate& e = pe.estimate;
    w.beginObject();
    w.field("project", name);
    w.field("fps", e.fps);
    w.field("latency_ms", e.latencyMs);
    w.field("compute_bound_fps", e.computeBoundFps);
    w.field("power_w", e.powerW);
    w.field("energy_per_image_mj", e.energyPerImageMj);
    w.field("macs", e.macs);
    w.field("params", e.params);
    w.field("ddr_bytes_per_image", e.ddrBytesPerImage);
    w.key("resources");
    w.beginObject();
    w.field("dsp", e.used.dsp);
    w.field("bram18", e.used.bram18);
    w.field("lut", e.used.lut);
    w.field("ff", e.used.ff);
    w.endObject();
    w.key("device");
    w.beginObject();
    w.field("name", pe.device.name);
    w.field("part", pe.device.part);
    w.field("dsp", pe.device.dsp);
    w.field("bram18", pe.device.bram18);
    w.field("lut", pe.device.lut);
    w.field("ff", pe.device.ff);
    w.endObject();
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
    writeAcceleratorJson(w, e.config, pe.autoSized, dwLanesOf(pe));
    writeFormatsJson(w, pe.formats);
    w.key("groups");
    w.beginArray();
    for (const GroupEstimate& g : e.groups) {
        const ExecGroup& eg = pe.graph.groups[g.group];
        w.beginObject();
        w.field("name", eg.name);
        w.field("bundle", eg.bundle);
        w.field("tiles", g.tiles);
        w.key("tile");
        w.beginArray();
        w.value(g.tileRows);
        w.value(g.tileCols);
        w.endArray();
        w.field("cycles", g.cycles);
        w.field("compute_cycles", g.computeCycles);
        w.field("ddr_bytes", g.ddrBytes);
        w.field("limited_by", g.limitedBy);
        w.endObject();
    }
    w.endArray();
    w.key("layers");
    w.beginArray();
    for (std::size_t i = 0; i < pe.graph.nodes.size(); ++i) {
        const Node& n = pe.graph.nodes[i];
        const LayerEstimate& le = e.layers[i];
        w.beginObject();
        w.field("name", n.name);
        w.field("op", std::string(opName(n.op)));
        w.field("out_shape", formatShape(n.out));
        w.field("macs", n.macs);
        w.field("params", n.params);
        w.field("unit", unitName(le.unit));
        w.field("cycles", le.cycles);
        w.field("dsp", le.dsp);
        w.field("bram18", le.bram18);
        w.field("weights", formatFixedType(n.weights));
        w.field("activations", formatFixedType(n.activations));
        w.endObject();
    }
    w.endArray();
    w.endObject();
}

std::string formatEstimateTable(const ProjectEstimate& pe, const std::string& name) {
    const Estimate& e = pe.estimate;
    const TiledConfig& c = e.config;
    std::string out;
    out += name + " on " + pe.device.name + " (" + pe.device.part + "), tiled accelerator at " +
           fmt(-1, c.clockMhz) + " MHz\n";
    out += "accelerator: pw " + std::to_string(c.pwIn) + "x" + std::to_string(c.pwOut);
    const int lanes = dwLanesOf(pe);
    if (lanes > 0)
        out += ", dw " + std::to_string(c.dwParallel) + " lanes x " + std::to_string(lanes);
    out += ", tile " + std::to_string(c.tileRows) + "x" + std::to_string(c.tileCols);
    if (!c.groupTiles.empty())
        out += " (some groups on tiles of their own)";
    out += c.doubleBuffer ? ", double-buffered" : ", single-buffered";
    out += ", batch " + std::to_string(c.batch);
    if (pe.autoSized)
        out += " (auto: best of " + std::to_string(pe.autoResult.evaluated) + " designs)";
    out += "\n\n";

    std::size_t nameWidth = 8;
    for (const Node& n : pe.graph.nodes)
        nameWidth = std::max(nameWidth, n.name.size());
    out += pad("layer", nameWidth) + pad("op", 14) + pad("out", 12) + pad("MMAC", 8, true) +
           pad("kcycles", 9, true) + pad("unit", 5) + pad("DSP", 5, true) + pad("BRAM18", 6, true) +
           "\n";
    int group = -1;
    for (std::size_t i = 0; i < pe.graph.nodes.size(); ++i) {
        const Node& n = pe.graph.nodes[i];
        const LayerEstimate& le = e.layers[i];
        if (n.group != group) {
            group = n.group;
            const GroupEstimate& g = e.groups[group];
            const ExecGroup& eg = pe.graph.groups[group];
            out += "-- " + eg.name + (eg.bundle.empty() ? "" : " (" + eg.bundle + ")") + ": ";
            if (g.tiles == 0)
                out += "on the host processor, after the accelerator\n";
            else
                out += std::to_string(g.tiles) + (g.tiles == 1 ? " tile of " : " tiles of ") +
                       std::to_string(g.tileRows) + "x" + std::to_string(g.tileCols) + ", " +
                       fmt(1, g.cycles / 1e3) + " kcycles, limited by " + g.limitedBy + "\n";
        }
        out += pad(n.name, nameWidth) + pad(std::string(opName(n.op)), 14) +
               pad(formatShape(n.out), 12) + pad(fmt(2, n.macs / 1e6), 8, true) +
               pad(fmt(1, le.cycles / 1e3), 9, true) + pad(unitName(le.unit), 5) +
               pad(std::to_string(le.dsp), 5, true) + pad(std::to_string(le.bram18), 6, true) +
               "\n";
    }
    out += "\n";
    out +=
        "FPS          " + fmt(1, e.fps) + "   (compute-bound " + fmt(1, e.computeBoundFps) + ")\n";
    out += "latency      " + fmt(2, e.latencyMs) + " ms per batch\n";
    out += "power        " + fmt(2, e.powerW) + " W  (board " + fmt(2, e.power.boardStaticW) +
           ", PL static " + fmt(2, e.power.plStaticW) + ", DSP " + fmt(2, e.power.dspW) +
           ", BRAM " + fmt(2, e.power.bramW) + ", logic " + fmt(2, e.power.logicW) + ", DDR " +
           fmt(2, e.power.ddrW) + ")\n";
    out += "energy       " + fmt(1, e.energyPerImageMj) + " mJ per image\n";
    out += "work         " + fmt(1, e.macs / 1e6) + " M MACs, " + fmt(3, e.params / 1e6) +
           " M params, " + fmt(2, e.ddrBytesPerImage / 1e6) + " MB DDR traffic per image\n";
    out += "DSP          " + usage(e.used.dsp, e.available.dsp) + "\n";
    out += "BRAM18       " + usage(e.used.bram18, e.available.bram18) + "\n";
    out += "LUT          " + usage(e.used.lut, e.available.lut) + "\n";
    out += "FF           " + usage(e.used.ff, e.available.ff) + "\n";
    out += "formats      " + describeFormats(pe.formats) + "\n";
    out += "bottleneck   " + e.bottleneck + "\n";
    out += std::string("feasible     ") + (e.feasible ? "yes" : "no") + "\n";
    for (const std::string& v : e.violations)
        out += "  violation: " + v + "\n";
    return out;
}

} // namespace codesign
