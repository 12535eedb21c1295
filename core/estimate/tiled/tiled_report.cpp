// How the tiled family describes an estimate: its JSON keys of `codesign estimate --json`
// (docs/cli.md) and the text report's accelerator line and per-layer table.
#include "tiled_architecture.h"

#include <algorithm>
#include <cstdio>

namespace codesign {
namespace {

std::string fixed(int decimals, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string pad(std::string s, std::size_t width, bool right = false) {
    if (s.size() >= width)
        return s + " ";
    const std::string fill(width - s.size(), ' ');
    return (right ? fill + s : s + fill) + " ";
}

void writePair(JsonWriter& w, int a, int b) {
    w.beginArray();
    w.value(a);
    w.value(b);
    w.endArray();
}

void writeConfigJson(JsonWriter& w, const TiledConfig& c, bool autoSized, int dwLanes) {
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
    writePair(w, c.tileRows, c.tileCols);
    w.field("double_buffer", c.doubleBuffer);
    if (c.channelBlock > 0)
        w.field("channel_block", c.channelBlock);
    if (!c.groupTiles.empty()) { // per group, from auto sizing or the project's group_tiles
        w.key("group_tiles");
        w.beginArray();
        for (const TileSize& t : c.groupTiles)
            writePair(w, t.rows, t.cols);
        w.endArray();
    }
    w.endObject();
}

void writeGroupsJson(JsonWriter& w, const Graph& graph, const TiledDetail& d) {
    w.beginArray();
    for (const GroupEstimate& g : d.groups) {
        const ExecGroup& eg = graph.groups[g.group];
        w.beginObject();
        w.field("name", eg.name);
        w.field("bundle", eg.bundle);
        w.field("tiles", g.tiles);
        w.key("tile");
        writePair(w, g.tileRows, g.tileCols);
        w.field("cycles", g.cycles);
        w.field("compute_cycles", g.computeCycles);
        w.field("memory_bound_fraction",
                g.cycles > 0 ? std::max(0.0, 1 - double(g.computeCycles) / double(g.cycles)) : 0.0);
        w.field("ddr_bytes", g.ddrBytes);
        w.field("limited_by", g.limitedBy);
        if (g.channelBlocks > 0) { // docs/estimator.md, "Channel blocking"
            w.field("channel_block", g.channelBlock);
            w.field("channel_blocks", g.channelBlocks);
        }
        w.endObject();
    }
    w.endArray();
}

void writeLayersJson(JsonWriter& w, const Graph& graph, const Estimate& e) {
    w.beginArray();
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        const LayerEstimate& le = e.layers[i];
        w.beginObject();
        w.field("name", n.name);
        w.field("op", std::string(opName(n.op)));
        w.field("out_shape", formatShape(n.out));
        w.field("macs", n.macs);
        w.field("params", n.params);
        w.field("unit", std::string(le.unit));
        w.field("cycles", le.cycles);
        w.field("dsp", le.dsp);
        w.field("bram18", le.bram18);
        w.field("weights", formatFixedType(n.weights));
        w.field("activations", formatFixedType(n.activations));
        w.endObject();
    }
    w.endArray();
}

std::string acceleratorLine(const Graph& graph, const Estimate& e) {
    const TiledConfig& c = std::get<TiledDetail>(e.detail).config;
    std::string out = "accelerator: pw " + std::to_string(c.pwIn) + "x" + std::to_string(c.pwOut);
    const int lanes = dwLanesOf(graph);
    if (lanes > 0)
        out += ", dw " + std::to_string(c.dwParallel) + " lanes x " + std::to_string(lanes);
    out += ", tile " + std::to_string(c.tileRows) + "x" + std::to_string(c.tileCols);
    if (!c.groupTiles.empty())
        out += " (some groups on tiles of their own)";
    if (c.channelBlock > 0)
        out += ", channel blocks of " + std::to_string(c.channelBlock);
    out += c.doubleBuffer ? ", double-buffered" : ", single-buffered";
    out += ", batch " + std::to_string(c.batch);
    if (e.autoSized)
        out += " (auto: best of " + std::to_string(std::get<TiledDetail>(e.detail).designsTried) +
               " designs)";
    return out + "\n";
}

std::string groupLine(const ExecGroup& eg, const GroupEstimate& g) {
    std::string out = "-- " + eg.name + (eg.bundle.empty() ? "" : " (" + eg.bundle + ")") + ": ";
    if (g.tiles == 0)
        return out + "on the host processor, after the accelerator\n";
    return out + std::to_string(g.tiles) + (g.tiles == 1 ? " tile of " : " tiles of ") +
           std::to_string(g.tileRows) + "x" + std::to_string(g.tileCols) + ", " +
           (g.channelBlocks > 0 ? std::to_string(g.channelBlocks) + " input blocks of " +
                                      std::to_string(g.channelBlock) + " channels, "
                                : std::string()) +
           fixed(1, g.cycles / 1e3) + " kcycles, limited by " + g.limitedBy + "\n";
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

// Where the LUT, FF and BRAM18 go (docs/estimator.md, "LUT and FF", "BRAM18").
void writeResourceDetailJson(JsonWriter& w, const TiledDetail& d) {
    const auto part = [&](const char* key, const LogicPart& p) {
        w.key(key);
        w.beginObject();
        w.field("lut", static_cast<std::int64_t>(p.lut + 0.5));
        w.field("ff", static_cast<std::int64_t>(p.ff + 0.5));
        w.endObject();
    };
    w.key("logic");
    w.beginObject();
    part("datapath", d.logic.datapath);
    part("registers", d.logic.registers);
    part("memory_ports", d.logic.memoryPorts);
    part("control", d.logic.control);
    part("axi", d.logic.axi);
    part("lutram", d.logic.lutram);
    w.endObject();
    w.key("bram18_detail");
    w.beginObject();
    w.field("tile_memory", d.bramTileMemory);
    w.field("partial_sums", d.bramPsum);
    w.field("line_buffers", d.bramLineBuffers);
    w.field("axi_fifos", d.bramAxiFifos);
    w.endObject();
}

} // namespace

int dwLanesOf(const Graph& graph) {
    int lanes = 0;
    for (const Node& n : graph.nodes)
        if (n.op == Op::DwConv || (n.op == Op::Conv && n.groups > 1 && n.groups == n.in.c))
            lanes = std::max(lanes, n.kernelH * n.kernelW);
        else if (n.op == Op::Fuse)
            lanes = std::max(lanes, n.kernelH);
    return lanes;
}

void TiledArchitecture::writeDesignJson(JsonWriter& w, const EstimateDetail& design, bool autoSized,
                                        const Graph* graph) const {
    writeConfigJson(w, std::get<TiledDetail>(design).config, autoSized,
                    graph ? dwLanesOf(*graph) : -1);
}

void TiledArchitecture::writeDetailJson(JsonWriter& w, const Graph& graph,
                                        const Estimate& e) const {
    writeFormatsJson(w, std::get<TiledDetail>(e.detail).formats);
    writeResourceDetailJson(w, std::get<TiledDetail>(e.detail));
    w.key("groups");
    writeGroupsJson(w, graph, std::get<TiledDetail>(e.detail));
    w.key("layers");
    writeLayersJson(w, graph, e);
}

std::string TiledArchitecture::describeTable(const Graph& graph, const Device&,
                                             const Estimate& e) const {
    std::string out = acceleratorLine(graph, e) + "\n";
    std::size_t nameWidth = 8;
    for (const Node& n : graph.nodes)
        nameWidth = std::max(nameWidth, n.name.size());
    out += pad("layer", nameWidth) + pad("op", 14) + pad("out", 12) + pad("MMAC", 8, true) +
           pad("kcycles", 9, true) + pad("unit", 5) + pad("DSP", 5, true) + pad("BRAM18", 6, true) +
           "\n";
    int group = -1;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        const LayerEstimate& le = e.layers[i];
        if (n.group != group) {
            group = n.group;
            out += groupLine(graph.groups[group], std::get<TiledDetail>(e.detail).groups[group]);
        }
        out += pad(n.name, nameWidth) + pad(std::string(opName(n.op)), 14) +
               pad(formatShape(n.out), 12) + pad(fixed(2, n.macs / 1e6), 8, true) +
               pad(fixed(1, le.cycles / 1e3), 9, true) + pad(std::string(le.unit), 5) +
               pad(std::to_string(le.dsp), 5, true) + pad(std::to_string(le.bram18), 6, true) +
               "\n";
    }
    return out;
}

std::string TiledArchitecture::describeTotals(const Estimate& e) const {
    return "formats      " + describeFormats(std::get<TiledDetail>(e.detail).formats) + "\n";
}

std::string TiledArchitecture::designSummary(const EstimateDetail& design,
                                             const Graph* graph) const {
    const TiledConfig& c = std::get<TiledDetail>(design).config;
    std::string out = "PW " + std::to_string(c.pwIn) + "x" + std::to_string(c.pwOut) + ", DW " +
                      std::to_string(c.dwParallel) + " lanes, tile " + std::to_string(c.tileRows) +
                      "x" + std::to_string(c.tileCols);
    // Groups that run on tiles of their own (auto sizing, or group_tiles in the project).
    std::string own;
    for (std::size_t gi = 0; graph && gi < c.groupTiles.size() && gi < graph->groups.size(); ++gi)
        if (c.hasOwnTile(gi))
            own += (own.empty() ? "" : ", ") + graph->groups[gi].name + " " +
                   std::to_string(c.groupTiles[gi].rows) + "x" +
                   std::to_string(c.groupTiles[gi].cols);
    return own.empty() ? out : out + " (" + own + ")";
}

std::vector<std::string> TiledArchitecture::designCsvColumns() const {
    return {"pw_in", "pw_out", "dw_parallel", "tile_rows", "tile_cols"};
}

std::vector<std::string> TiledArchitecture::designCsvCells(const EstimateDetail& design) const {
    const TiledConfig& c = std::get<TiledDetail>(design).config;
    return {std::to_string(c.pwIn), std::to_string(c.pwOut), std::to_string(c.dwParallel),
            std::to_string(c.tileRows), std::to_string(c.tileCols)};
}

} // namespace codesign
