// How the streaming family describes an estimate: its JSON keys of `codesign estimate --json`
// (docs/cli.md) and the text report's accelerator line, partitions and per-layer table.
#include "streaming_architecture.h"

#include <algorithm>
#include <cmath>
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

const StreamingDetail& detailOf(const Estimate& e) {
    return std::get<StreamingDetail>(e.detail);
}

void writeNames(JsonWriter& w, const std::vector<std::string>& names) {
    w.beginArray();
    for (const std::string& n : names)
        w.value(n);
    w.endArray();
}

void writePartitionsJson(JsonWriter& w, const StreamingDetail& d) {
    w.beginArray();
    for (std::size_t i = 0; i < d.estimate.partitions.size(); ++i) {
        const StreamingPartitionEstimate& p = d.estimate.partitions[i];
        w.beginObject();
        w.key("layers");
        writeNames(w, i < d.fixed.partitions.size() ? d.fixed.partitions[i].layers
                                                    : std::vector<std::string>{});
        w.field("interval_cycles", p.intervalCycles);
        w.field("pipeline_depth_cycles", p.pipelineDepthCycles);
        w.field("cycles", p.cycles);
        w.field("weights_reloading", p.range.weightsReloading);
        w.field("dsp", p.dsp);
        w.field("bram18", p.bram18);
        w.field("lut", p.lut);
        w.field("ff", p.ff);
        w.field("bandwidth_gbps", p.bandwidthGbps);
        w.field("slow_down", p.slowDown);
        w.endObject();
    }
    w.endArray();
}

void writeLayersJson(JsonWriter& w, const StreamingDetail& d) {
    w.beginArray();
    for (std::size_t i = 0; i < d.estimate.layers.size(); ++i) {
        const StreamingLayerEstimate& row = d.estimate.layers[i];
        w.beginObject();
        w.field("name", d.rowNames[i]);
        w.field("op", d.rowOps[i]);
        w.field("partition", row.partition + 1);
        w.field("interval_cycles", row.intervalCycles);
        w.field("pipeline_depth_cycles", row.pipelineDepthCycles);
        w.field("coarse_in", row.coarseIn);
        w.field("coarse_out", row.coarseOut);
        w.field("fine", row.fine);
        w.field("dsp", row.dsp);
        w.field("bram18", row.bram18);
        w.field("lut", row.lut);
        w.field("ff", row.ff);
        w.field("slowest", row.slowest);
        w.endObject();
    }
    w.endArray();
}

std::string thousands(double v) {
    std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

std::string acceleratorLine(const Estimate& e) {
    const StreamingDetail& d = detailOf(e);
    const std::size_t n = d.estimate.partitions.size();
    std::string out =
        "accelerator: " + std::to_string(n) + (n == 1 ? " partition" : " partitions") + ", port " +
        std::to_string(d.settings.portWidth) + " bits, DDR " + fixed(1, d.settings.bandwidthGbps) +
        " Gb/s, batch " + std::to_string(d.settings.batch);
    if (e.autoSized)
        out += " (auto: " + d.optimiser + ", " + thousands(double(d.evaluations)) +
               " partition evaluations)";
    return out + "\n";
}

std::string partitionLine(std::size_t index, const StreamingPartitionEstimate& p) {
    std::string out = "-- P" + std::to_string(index + 1) + ": interval " +
                      thousands(p.intervalCycles) + " cycles, depth " +
                      thousands(p.pipelineDepthCycles) + ", " + fixed(1, p.cycles / 1e3) +
                      " kcycles";
    if (p.range.weightsReloading > 1)
        out += ", weights reloading " + std::to_string(p.range.weightsReloading);
    out += ", " + fixed(2, p.bandwidthGbps) + " Gb/s";
    if (p.slowDown > 1)
        out += " (slowed down " + fixed(2, p.slowDown) + "x)";
    return out + "\n";
}

} // namespace

void StreamingArchitecture::writeDesignJson(JsonWriter& w, const EstimateDetail& design,
                                            bool autoSized, const Graph*) const {
    const StreamingDetail& d = std::get<StreamingDetail>(design);
    w.beginObject();
    w.field("arch", "streaming");
    w.field("auto", autoSized);
    w.field("clock_mhz", d.settings.clockMhz);
    w.field("batch", d.settings.batch);
    w.field("port_width", d.settings.portWidth);
    w.field("bandwidth_gbps", d.settings.bandwidthGbps);
    w.field("reconfiguration_ms", d.settings.reconfigurationMs);
    w.field("reconfiguration_charge", reconfigurationChargeName(d.settings.charge));
    w.field("partitions", static_cast<int>(d.design.partitions.size()));
    if (autoSized) {
        w.field("optimiser", d.optimiser);
        w.field("evaluations", d.evaluations);
    }
    w.endObject();
}

void StreamingArchitecture::writeDetailJson(JsonWriter& w, const Graph&, const Estimate& e) const {
    const StreamingDetail& d = detailOf(e);
    w.field("compute_ms", d.estimate.computeMs);
    w.field("reconfiguration_ms", d.estimate.reconfigurationMs);
    w.key("partitions");
    writePartitionsJson(w, d);
    w.key("layers");
    writeLayersJson(w, d);
}

std::string StreamingArchitecture::describeTable(const Graph&, const Device&,
                                                 const Estimate& e) const {
    const StreamingDetail& d = detailOf(e);
    std::string out = acceleratorLine(e) + "\n";
    std::size_t nameWidth = 8;
    for (const std::string& n : d.rowNames)
        nameWidth = std::max(nameWidth, n.size());
    out += pad("layer", nameWidth) + pad("op", 14) + pad("interval", 11, true) +
           pad("depth", 9, true) + pad("c_in", 5, true) + pad("c_out", 5, true) +
           pad("fine", 5, true) + pad("DSP", 6, true) + pad("BRAM18", 6, true) +
           pad("LUT", 7, true) + pad("FF", 7, true) + "\n";
    int partition = -1;
    for (std::size_t i = 0; i < d.estimate.layers.size(); ++i) {
        const StreamingLayerEstimate& row = d.estimate.layers[i];
        if (row.partition != partition) {
            partition = row.partition;
            out += partitionLine(std::size_t(partition), d.estimate.partitions[partition]);
        }
        out += pad(d.rowNames[i], nameWidth) + pad(d.rowOps[i], 14) +
               pad(thousands(row.intervalCycles) + (row.slowest ? "*" : ""), 11, true) +
               pad(thousands(row.pipelineDepthCycles), 9, true) +
               pad(std::to_string(row.coarseIn), 5, true) +
               pad(std::to_string(row.coarseOut), 5, true) +
               pad(std::to_string(row.fine), 5, true) + pad(fixed(1, row.dsp), 6, true) +
               pad(std::to_string(row.bram18), 6, true) + pad(std::to_string(row.lut), 7, true) +
               pad(std::to_string(row.ff), 7, true) + "\n";
    }
    return out + "(* sets its partition's interval)\n";
}

std::string StreamingArchitecture::describeTotals(const Estimate& e) const {
    const StreamingDetail& d = detailOf(e);
    const std::size_t n = d.estimate.partitions.size();
    std::string out = "compute      " + fixed(2, d.estimate.computeMs) + " ms per batch\n";
    out += "reconfigure  " + fixed(2, d.estimate.reconfigurationMs) + " ms per batch";
    if (n > 1)
        out += " (" + std::string(reconfigurationChargeName(d.settings.charge)) + ", " +
               fixed(2, d.settings.reconfigurationMs) + " ms each)";
    return out + "\n";
}

std::string StreamingArchitecture::designSummary(const EstimateDetail& design, const Graph*) const {
    const StreamingDetail& d = std::get<StreamingDetail>(design);
    const std::size_t n = d.design.partitions.size();
    std::string out = "streaming, " + std::to_string(n) + (n == 1 ? " partition" : " partitions");
    int reloading = 1;
    for (const StreamingPartition& p : d.design.partitions)
        reloading = std::max(reloading, p.weightsReloading);
    if (reloading > 1)
        out += ", weights reloading up to " + std::to_string(reloading);
    return out;
}

std::vector<std::string> StreamingArchitecture::designCsvColumns() const {
    return {"partitions", "weights_reloading"};
}

std::vector<std::string> StreamingArchitecture::designCsvCells(const EstimateDetail& design) const {
    const StreamingDetail& d = std::get<StreamingDetail>(design);
    int reloading = 1;
    for (const StreamingPartition& p : d.design.partitions)
        reloading = std::max(reloading, p.weightsReloading);
    return {std::to_string(d.design.partitions.size()), std::to_string(reloading)};
}

} // namespace codesign
