// How the systolic family describes an estimate: its JSON keys of `codesign estimate --json`
// (docs/cli.md) and the text report's accelerator line, per-layer table and totals.
#include "systolic_architecture.h"
#include "systolic_json.h"

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

const SystolicDetail& detailOf(const EstimateDetail& d) {
    return std::get<SystolicDetail>(d);
}

std::string arrayText(const SystolicConfig& c) {
    std::string dataflow(dataflowName(c.dataflow));
    std::transform(dataflow.begin(), dataflow.end(), dataflow.begin(),
                   [](unsigned char ch) { return char(std::toupper(ch)); });
    return std::to_string(c.rows) + "x" + std::to_string(c.cols) + " " + dataflow;
}

std::string sramText(const SramKb& kb) {
    return std::to_string(kb.ifmap) + "/" + std::to_string(kb.filter) + "/" +
           std::to_string(kb.ofmap) + " KB";
}

std::string acceleratorLine(const Estimate& e) {
    const SystolicDetail& d = detailOf(e.detail);
    const SystolicConfig& c = d.config;
    std::string out = "accelerator: " + arrayText(c) + " array" +
                      (c.fuseRows ? " with FuSe rows" : "") + ", SRAM " + sramText(c.sramKb) +
                      " (ifmap/filter/ofmap), DRAM " + fixed(1, c.dramBytesPerCycle) +
                      " B/cycle, " + std::string(conventionName(c.convention)) + " cycles, batch " +
                      std::to_string(c.batch);
    if (e.autoSized)
        out += " (auto: best of " + std::to_string(d.designsTried) + " designs)";
    return out + "\n";
}

std::string gemmText(const SystolicLayerEstimate& l) {
    if (l.folds == 0)
        return "-";
    std::string out = std::to_string(l.gemm.sr) + "x" + std::to_string(l.gemm.sc) + "x" +
                      std::to_string(l.gemm.t);
    return l.gemmCount > 1 ? std::to_string(l.gemmCount) + " x " + out : out;
}

std::string percent(double fraction, bool shown) {
    return shown ? fixed(1, 100 * fraction) : "-";
}

} // namespace

void SystolicArchitecture::writeDesignJson(JsonWriter& w, const EstimateDetail& design,
                                           bool autoSized, const Graph*) const {
    writeSystolicAcceleratorJson(w, detailOf(design).config, autoSized);
}

void SystolicArchitecture::writeDetailJson(JsonWriter& w, const Graph& graph,
                                           const Estimate& e) const {
    const SystolicDetail& d = detailOf(e.detail);
    w.key("array");
    w.beginObject();
    w.field("designs_tried", d.designsTried);
    w.field("compute_cycles", d.computeCycles);
    w.field("stall_cycles", d.stallCycles);
    w.field("utilization", d.utilization);
    w.field("sram_reads", d.sramReads);
    w.field("sram_writes", d.sramWrites);
    w.field("multipliers", d.resources.multipliers);
    w.field("packed_pairs", d.resources.packed);
    w.key("sram_bram18");
    w.beginObject();
    w.field("ifmap", d.resources.ifmap.bram18);
    w.field("filter", d.resources.filter.bram18);
    w.field("ofmap", d.resources.ofmap.bram18);
    w.endObject();
    w.field("axi_fifo_bram18", d.resources.bramAxiFifos);
    w.key("energy_mj");
    w.beginObject();
    w.field("mac", d.energy.macMj);
    w.field("sram", d.energy.sramMj);
    w.field("dram", d.energy.dramMj);
    w.endObject();
    w.endObject();
    w.key("layers");
    writeSystolicLayersJson(w, d.layers, graph);
}

std::string SystolicArchitecture::describeTable(const Graph& graph, const Device&,
                                                const Estimate& e) const {
    const SystolicDetail& d = detailOf(e.detail);
    std::string out = acceleratorLine(e) + "\n";
    std::size_t nameWidth = 8;
    for (const Node& n : graph.nodes)
        nameWidth = std::max(nameWidth, n.name.size());
    out += pad("layer", nameWidth) + pad("op", 14) + pad("out", 12) + pad("MMAC", 8, true) +
           pad("unit", 6) + pad("GEMM (Sr x Sc x T)", 22) + pad("folds", 7, true) +
           pad("kcycles", 9, true) + pad("stall k", 8, true) + pad("map %", 6, true) +
           pad("util %", 6, true) + "\n";
    for (std::size_t i = 0; i < graph.nodes.size() && i < d.layers.size(); ++i) {
        const Node& n = graph.nodes[i];
        const SystolicLayerEstimate& l = d.layers[i];
        const bool onArray = l.folds > 0;
        out += pad(n.name, nameWidth) + pad(std::string(opName(n.op)), 14) +
               pad(formatShape(n.out), 12) + pad(fixed(2, n.macs / 1e6), 8, true) +
               pad(systolicUnitName(l.unit), 6) + pad(gemmText(l), 22) +
               pad(onArray ? std::to_string(l.folds) : "-", 7, true) +
               pad(fixed(1, l.cycles() / 1e3), 9, true) +
               pad(fixed(1, l.stallCycles / 1e3), 8, true) +
               pad(percent(l.mappingEfficiency, onArray), 6, true) +
               pad(percent(l.utilization, l.macs > 0 && l.cycles() > 0), 6, true) + "\n";
    }
    return out;
}

std::string SystolicArchitecture::describeTotals(const Estimate& e) const {
    const SystolicDetail& d = detailOf(e.detail);
    return "array        " + fixed(1, d.computeCycles / 1e3) + " kcycles compute, " +
           fixed(1, d.stallCycles / 1e3) + " kcycles DRAM stalls, utilization " +
           fixed(1, 100 * d.utilization) + " %\n" + "SRAM         " + fixed(2, d.sramReads / 1e6) +
           " M reads, " + fixed(2, d.sramWrites / 1e6) + " M writes per batch; energy MAC " +
           fixed(2, d.energy.macMj) + ", SRAM " + fixed(2, d.energy.sramMj) + ", DRAM " +
           fixed(2, d.energy.dramMj) + " mJ per batch\n";
}

std::string SystolicArchitecture::designSummary(const EstimateDetail& design, const Graph*) const {
    const SystolicConfig& c = detailOf(design).config;
    return arrayText(c) + (c.fuseRows ? " with FuSe rows" : "") + ", SRAM " + sramText(c.sramKb);
}

std::vector<std::string> SystolicArchitecture::designCsvColumns() const {
    return {"rows", "cols", "dataflow", "sram_ifmap_kb", "sram_filter_kb", "sram_ofmap_kb"};
}

std::vector<std::string> SystolicArchitecture::designCsvCells(const EstimateDetail& design) const {
    const SystolicConfig& c = detailOf(design).config;
    return {std::to_string(c.rows),
            std::to_string(c.cols),
            std::string(dataflowName(c.dataflow)),
            std::to_string(c.sramKb.ifmap),
            std::to_string(c.sramKb.filter),
            std::to_string(c.sramKb.ofmap)};
}

} // namespace codesign
