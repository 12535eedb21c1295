#include "streaming_architecture.h"

#include "streaming_optimiser.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace codesign {
namespace {

StreamingRunSettings runSettings(const StreamingSettings& s) {
    return {s.portWidth, s.bandwidthGbps, s.reconfigurationMs, s.charge, s.batch, s.clockMhz};
}

// The partition's cycles if the off-chip bandwidth did not slow it down (metrics.py's cycles
// with slow-down 1).
double unthrottledCycles(const StreamingPartitionEstimate& p, int batch) {
    const double slowed = std::ceil(p.intervalCycles * p.slowDown);
    const double free = std::ceil(p.intervalCycles);
    return double(p.cycles) - (slowed - free) * batch * p.range.weightsReloading;
}

// Feature maps in and out of each partition per image, once per weights-reloading pass:
// the partition's bandwidth over the time of one interval.
std::int64_t ddrBytesPerImage(const StreamingEstimate& e, double clockMhz) {
    double bits = 0;
    for (const StreamingPartitionEstimate& p : e.partitions)
        bits += p.bandwidthGbps * 1e3 / clockMhz * p.intervalCycles * p.slowDown *
                p.range.weightsReloading;
    return static_cast<std::int64_t>(std::llround(bits / 8));
}

void addStages(const StreamingModel& m, const StreamingDetail& d, Estimate& e) {
    const double msPerCycle = 1.0 / (m.settings.clockMhz * 1e3);
    for (std::size_t i = 0; i < d.estimate.partitions.size(); ++i) {
        const StreamingPartitionEstimate& p = d.estimate.partitions[i];
        StageEstimate s;
        s.name = "P" + std::to_string(i + 1);
        s.firstNode = std::numeric_limits<int>::max();
        s.lastNode = -1;
        for (int l = p.range.first; l <= p.range.last; ++l)
            if (const int node = m.net.layers[l].node; node >= 0) {
                s.firstNode = std::min(s.firstNode, node);
                s.lastNode = std::max(s.lastNode, node);
            }
        if (s.lastNode < 0)
            s.firstNode = s.lastNode = 0;
        s.cycles = p.cycles;
        s.timeMs = double(p.cycles) * msPerCycle;
        e.stages.push_back(std::move(s));
    }
}

// One neutral row per graph node: the slowest of its hardware layers (a layer's time in a
// pipeline is its interval over the batch), their DSP and BRAM18 summed.
void addNodeRows(const Graph& graph, const StreamingModel& m, const StreamingDetail& d,
                 Estimate& e) {
    const double msPerCycle = 1.0 / (m.settings.clockMhz * 1e3);
    e.layers.assign(graph.nodes.size(), LayerEstimate{});
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        e.layers[i].node = static_cast<int>(i);
        e.layers[i].unit = graph.nodes[i].op == Op::BboxHead ? "host" : "fused";
    }
    std::vector<double> dsp(graph.nodes.size(), 0.0);
    for (const StreamingLayerEstimate& row : d.estimate.layers) {
        if (row.layer < 0)
            continue;
        const HwLayer& l = m.net.layers[row.layer];
        if (l.node < 0 || l.node >= static_cast<int>(graph.nodes.size()))
            continue;
        LayerEstimate& le = e.layers[l.node];
        const auto cycles =
            static_cast<std::int64_t>(std::ceil(row.intervalCycles * m.settings.batch));
        if (le.unit == "fused" || le.unit == "host" || cycles > le.cycles)
            le.unit = streamingUnitName(l.kind);
        le.cycles = std::max(le.cycles, cycles);
        le.timeMs = double(le.cycles) * msPerCycle;
        dsp[l.node] += row.dsp;
        le.bram18 += row.bram18;
    }
    for (std::size_t i = 0; i < graph.nodes.size(); ++i)
        e.layers[i].dsp = static_cast<std::int64_t>(std::ceil(dsp[i]));
}

void addRowNames(const StreamingModel& m, StreamingDetail& d) {
    for (const StreamingLayerEstimate& row : d.estimate.layers) {
        d.rowNames.push_back(streamingLayerName(m, row));
        d.rowOps.push_back(streamingLayerOp(m, row));
        d.rowNodes.push_back(row.layer >= 0 ? m.net.layers[row.layer].node : -1);
    }
}

void fillTotals(const StreamingModel& m, const StreamingDetail& d, Estimate& e) {
    const StreamingEstimate& s = d.estimate;
    e.clockMhz = m.settings.clockMhz;
    e.batch = m.settings.batch;
    e.used = s.used;
    e.available = s.available;
    e.fps = s.fps;
    e.latencyMs = s.latencyMs;
    double freeCycles = 0;
    for (const StreamingPartitionEstimate& p : s.partitions)
        freeCycles += unthrottledCycles(p, m.settings.batch);
    const double freeMs = streamingCyclesToMs(m, freeCycles) + s.reconfigurationMs;
    e.computeBoundFps = freeMs > 0 ? m.settings.batch * 1e3 / freeMs : 0;
    e.energyPerImageMj = s.energyPerImageMj;
    e.cycles = s.cycles;
    e.ddrBytesPerImage = ddrBytesPerImage(s, m.settings.clockMhz);
    e.macs = s.macs;
    e.params = s.params;
    e.power = s.power;
    e.powerW = s.powerW;
    e.feasible = s.feasible;
    e.violations = s.violations;
    e.bottleneck = describeStreamingBottleneck(m, s);
}

} // namespace

std::string_view streamingUnitName(HwKind kind) {
    switch (kind) {
    case HwKind::Conv:
        return "conv";
    case HwKind::InnerProduct:
        return "fc";
    case HwKind::Pool:
    case HwKind::GlobalPool:
        return "pool";
    case HwKind::Relu:
        return "relu";
    case HwKind::BatchNorm:
        return "bn";
    case HwKind::EltWise:
        return "add";
    case HwKind::Concat:
        return "concat";
    case HwKind::Split:
    case HwKind::Chop:
        return "split";
    case HwKind::Resize:
        return "resize";
    case HwKind::Reorg:
        return "reorg";
    }
    return "layer";
}

std::unique_ptr<PreparedNetwork> StreamingArchitecture::prepare(const Graph& graph,
                                                                const Device& device) const {
    return std::make_unique<PreparedStreaming>(graph, device);
}

Result<Estimate> StreamingArchitecture::estimate(const PreparedNetwork& prepared,
                                                 const AcceleratorSpec& spec,
                                                 const EstimateOptions& options) const {
    const PreparedStreaming& p = static_cast<const PreparedStreaming&>(prepared);
    Result<StreamingModel> model = prepareStreaming(p.graph, p.device, spec);
    if (!model.ok())
        return model.error();
    const StreamingModel& m = *model;
    Estimate e;
    e.autoSized = spec.autoSize;
    e.detail = StreamingDetail{};
    StreamingDetail& d = std::get<StreamingDetail>(e.detail);
    const double cap = options.resourceCap > 0 ? options.resourceCap : spec.resourceCap;
    bool sizedFits = true;
    if (spec.autoSize) {
        StreamingOptimiserOptions o;
        o.resourceCap = cap;
        o.onePartitionWhenItFits = options.sizing == SizingEffort::Quick;
        StreamingOptimiserResult r = optimiseStreaming(m, StreamingMethod::Descent, o);
        d.design = std::move(r.design);
        d.optimiser = streamingMethodName(r.method);
        d.evaluations = r.evaluations;
        sizedFits = r.feasible;
    } else {
        Result<StreamingDesign> fixed =
            streamingDesignFromSpec(m.net, std::get<StreamingSpec>(spec.family));
        if (!fixed.ok())
            return fixed.error();
        d.design = std::move(fixed).value();
    }
    StreamingScratch scratch;
    estimateStreamingInto(m, d.design, d.estimate, options.detailed, scratch);
    streamingDesignToSpec(m.net, d.design, d.fixed);
    d.settings = runSettings(m.settings);
    fillTotals(m, d, e);
    if (spec.autoSize && !sizedFits) { // first: it explains the others
        e.violations.insert(e.violations.begin(), "auto sizing found no design within " +
                                                      std::to_string(int(cap * 100 + 0.5)) +
                                                      " % of the device's resources");
        e.feasible = false;
    }
    if (!e.feasible && e.bottleneck.rfind("resource", 0) != 0)
        e.bottleneck = "resource: " + e.violations.front();
    if (options.detailed) {
        addRowNames(m, d);
        addStages(m, d, e);
        addNodeRows(p.graph, m, d, e);
    }
    return e;
}

AcceleratorSpec StreamingArchitecture::fixedSpec(const EstimateDetail& design, const Graph&,
                                                 AcceleratorSpec base) const {
    const StreamingDetail& d = std::get<StreamingDetail>(design);
    AcceleratorSpec a = std::move(base);
    StreamingSpec s;
    if (const StreamingSpec* written = std::get_if<StreamingSpec>(&a.family))
        s = *written; // its port width, reconfiguration and precision model stay
    s.partitions = d.fixed.partitions;
    s.folding = d.fixed.folding;
    a.autoSize = false;
    a.clockMhz = d.settings.clockMhz;
    a.batch = d.settings.batch;
    a.family = std::move(s);
    return a;
}

} // namespace codesign
