#include "streaming_estimator.h"

#include "../../hw/power_model.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace codesign {

namespace {
// fpgaConvNet's reconfiguration time in every platform file it ships (examples/platforms).
constexpr double kFpgaConvNetReconfigurationMs = 82.55;
} // namespace

StreamingSettings resolveStreamingSettings(const AcceleratorSpec& accelerator, const Device& device,
                                           const HwNetwork& net) {
    const StreamingSpec& spec = std::get<StreamingSpec>(accelerator.family);
    StreamingSettings s;
    s.clockMhz = effectiveClockMhz(accelerator, device.defaultClockMhz);
    s.batch = accelerator.batch;
    s.portWidth = spec.portWidth > 0                   ? spec.portWidth
                  : device.streaming.portWidthBits > 0 ? device.streaming.portWidthBits
                                                       : device.memory.axiPortBits;
    s.bandwidthGbps = device.streaming.bandwidthGbps > 0 ? device.streaming.bandwidthGbps
                                                         : device.memory.ddrPeakGBps * 8;
    s.reconfigurationMs = spec.reconfigurationMs ? *spec.reconfigurationMs
                          : device.streaming.reconfigurationMs > 0
                              ? device.streaming.reconfigurationMs
                              : kFpgaConvNetReconfigurationMs;
    s.charge = spec.charge;
    s.logic = device.logic;
    // Network.data_width: the width of the network's input layer
    const int dataBits = net.layers.empty() ? 16 : net.layers.front().dataBits;
    s.maxPortStreams = std::max(1, s.portWidth / dataBits);
    return s;
}

Result<StreamingModel> prepareStreaming(const Graph& graph, const Device& device,
                                        const AcceleratorSpec& spec,
                                        const std::string& sourceFile) {
    Result<HwNetwork> net =
        buildHwNetwork(graph, std::get<StreamingSpec>(spec.family).precision, sourceFile);
    if (!net.ok())
        return net.error();
    StreamingModel m;
    m.net = std::move(net).value();
    m.settings = resolveStreamingSettings(spec, device, m.net);
    m.device = device;
    m.macs = graph.totalMacs;
    m.params = graph.totalParams;
    return m;
}

double streamingCyclesToMs(const StreamingModel& model, double cycles) {
    return cycles / (model.settings.clockMhz * 1e3);
}

namespace {

std::string thousands(double v) {
    std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

Resources partitionResources(const StreamingPartitionEstimate& p) {
    return {static_cast<std::int64_t>(std::ceil(p.dsp)), p.bram18, p.lut, p.ff};
}

void checkFits(const StreamingModel& m, const StreamingPartitionEstimate& p, int index,
               StreamingEstimate& out) {
    const Resources r = partitionResources(p);
    const std::pair<const char*, std::pair<std::int64_t, std::int64_t>> checks[] = {
        {"DSP", {r.dsp, m.device.dsp}},
        {"BRAM18", {r.bram18, m.device.bram18}},
        {"LUT", {r.lut, m.device.lut}},
        {"FF", {r.ff, m.device.ff}}};
    for (const auto& [what, values] : checks)
        if (values.first > values.second) {
            out.feasible = false;
            out.violations.push_back("partition " + std::to_string(index + 1) + ": " + what + " " +
                                     thousands(double(values.first)) + " > " +
                                     thousands(double(values.second)) + " available");
        }
}

// Power: each partition's board power for the time it runs, the reconfigurations at the
// static power; averaged over the batch (docs/estimator.md, "Streaming: power").
void addPower(const StreamingModel& m, StreamingEstimate& out) {
    const PowerCoefficients& c = m.device.power;
    const double totalMs = out.latencyMs;
    PowerBreakdown avg;
    avg.boardStaticW = c.boardStaticW;
    avg.plStaticW = c.plStaticW;
    for (const StreamingPartitionEstimate& p : out.partitions) {
        const double share = totalMs > 0 ? streamingCyclesToMs(m, double(p.cycles)) / totalMs : 0;
        const PowerBreakdown b =
            boardPower(c, partitionResources(p), m.settings.clockMhz, p.bandwidthGbps * 1e9 / 8);
        avg.dspW += share * b.dspW;
        avg.bramW += share * b.bramW;
        avg.logicW += share * b.logicW;
        avg.ddrW += share * b.ddrW;
    }
    out.power = avg;
    out.powerW = avg.totalW();
    out.energyPerImageMj = out.powerW * out.latencyMs / m.settings.batch;
}

void addBottleneck(StreamingEstimate& out) {
    StreamingBottleneck& b = out.bottleneck;
    b = {};
    if (out.partitions.empty())
        return;
    if (out.reconfigurationMs > out.computeMs) {
        b.kind = StreamingBottleneck::Kind::Reconfiguration;
        return;
    }
    std::size_t worst = 0;
    for (std::size_t i = 1; i < out.partitions.size(); ++i)
        if (out.partitions[i].cycles > out.partitions[worst].cycles)
            worst = i;
    const StreamingPartitionEstimate& p = out.partitions[worst];
    b.kind = p.slowDown > 1        ? StreamingBottleneck::Kind::Bandwidth
             : p.slowestLayer >= 0 ? StreamingBottleneck::Kind::Layer
                                   : StreamingBottleneck::Kind::Squeeze;
    b.partition = static_cast<int>(worst);
    b.layer = p.slowestLayer;
    b.intervalCycles = p.intervalCycles;
    b.slowDown = p.slowDown;
    b.weightsReloading = p.range.weightsReloading;
}

} // namespace

void estimateStreamingInto(const StreamingModel& m, const StreamingDesign& design,
                           StreamingEstimate& out, bool detailed, StreamingScratch& scratch) {
    out.partitions.resize(design.partitions.size());
    out.layers.clear();
    out.violations.clear();
    out.feasible = true;
    out.cycles = 0;
    out.used = {};
    for (std::size_t i = 0; i < design.partitions.size(); ++i) {
        StreamingPartitionEstimate& p = out.partitions[i];
        p = evaluatePartition(m.net, design.folding, design.partitions[i], m.settings,
                              scratch.partition, static_cast<int>(i),
                              detailed ? &out.layers : nullptr);
        out.cycles += p.cycles;
        const Resources r = partitionResources(p);
        out.used.dsp = std::max(out.used.dsp, r.dsp);
        out.used.bram18 = std::max(out.used.bram18, r.bram18);
        out.used.lut = std::max(out.used.lut, r.lut);
        out.used.ff = std::max(out.used.ff, r.ff);
        checkFits(m, p, static_cast<int>(i), out);
    }
    const std::size_t count = design.partitions.size();
    const double switches = m.settings.charge == ReconfigurationCharge::PerPartition
                                ? double(count)
                                : double(count) - 1;
    out.computeMs = streamingCyclesToMs(m, double(out.cycles));
    out.reconfigurationMs = count > 1 ? switches * m.settings.reconfigurationMs : 0;
    out.latencyMs = out.computeMs + out.reconfigurationMs;
    out.fps = out.latencyMs > 0 ? m.settings.batch * 1e3 / out.latencyMs : 0;
    out.available = {m.device.dsp, m.device.bram18, m.device.lut, m.device.ff};
    out.macs = m.macs;
    out.params = m.params;
    addPower(m, out);
    addBottleneck(out);
}

StreamingEstimate estimateStreaming(const StreamingModel& model, const StreamingDesign& design,
                                    bool detailed) {
    StreamingEstimate e;
    StreamingScratch scratch;
    estimateStreamingInto(model, design, e, detailed, scratch);
    return e;
}

std::string describeStreamingBottleneck(const StreamingModel& m, const StreamingEstimate& e) {
    const StreamingBottleneck& b = e.bottleneck;
    const std::string where = "partition " + std::to_string(b.partition + 1);
    std::string text;
    switch (b.kind) {
    case StreamingBottleneck::Kind::None:
        return {};
    case StreamingBottleneck::Kind::Reconfiguration:
        return "reconfiguration: " + std::to_string(e.partitions.size()) +
               " partitions spend more time loading bitstreams than computing";
    case StreamingBottleneck::Kind::Bandwidth: {
        char factor[32];
        std::snprintf(factor, sizeof factor, "%.2f", b.slowDown);
        text = "off-chip bandwidth in " + where + " (slowed down " + factor + "x)";
        break;
    }
    case StreamingBottleneck::Kind::Layer:
        text = "layer '" + m.net.layers[b.layer].name + "' in " + where + " (interval " +
               thousands(b.intervalCycles) + " cycles)";
        break;
    case StreamingBottleneck::Kind::Squeeze:
        text = "a squeeze layer in " + where + " (interval " + thousands(b.intervalCycles) +
               " cycles)";
        break;
    }
    if (b.weightsReloading > 1)
        text += ", weights reloaded " + std::to_string(b.weightsReloading) + "x";
    return text;
}

std::string streamingLayerName(const StreamingModel& m, const StreamingLayerEstimate& row) {
    if (row.layer >= 0)
        return m.net.layers[row.layer].name;
    if (row.squeezeFrom < 0)
        return m.net.layers[row.squeezeTo].name + "_squeeze";
    if (row.squeezeTo < 0)
        return "squeeze_" + m.net.layers[row.squeezeFrom].name;
    return m.net.layers[row.squeezeFrom].name + "_squeeze_" + m.net.layers[row.squeezeTo].name;
}

std::string streamingLayerOp(const StreamingModel& m, const StreamingLayerEstimate& row) {
    return row.layer >= 0 ? m.net.layers[row.layer].op : "squeeze";
}

} // namespace codesign
