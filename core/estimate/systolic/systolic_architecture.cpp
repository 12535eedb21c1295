#include "systolic_architecture.h"

#include "systolic_auto.h"
#include "systolic_estimator.h"

#include <algorithm>

namespace codesign {
namespace {

bool runsOnHardware(SystolicUnit u) {
    return u == SystolicUnit::Array || u == SystolicUnit::Depthwise || u == SystolicUnit::Fuse ||
           u == SystolicUnit::Vector;
}

// One stage per layer that takes cycles (the array runs layers one after another), and a
// neutral row per node: the array's DSP and the SRAMs' BRAM18 for what runs on the hardware.
void addRows(const SystolicDetail& d, const Graph& graph, double clockMhz, Estimate& e) {
    const double msPerCycle = 1e-3 / clockMhz;
    const std::int64_t sramBram =
        d.resources.ifmap.bram18 + d.resources.filter.bram18 + d.resources.ofmap.bram18;
    e.layers.reserve(d.layers.size());
    for (const SystolicLayerEstimate& l : d.layers) {
        LayerEstimate le;
        le.node = l.node;
        le.unit = systolicUnitName(l.unit);
        le.cycles = l.cycles();
        le.timeMs = double(le.cycles) * msPerCycle;
        const bool hw = runsOnHardware(l.unit);
        le.dsp = hw && l.unit != SystolicUnit::Vector ? d.resources.total.dsp : 0;
        le.bram18 = hw ? sramBram : 0;
        e.layers.push_back(le);
        if (le.cycles > 0)
            e.stages.push_back(
                {graph.nodes[std::size_t(l.node)].name, l.node, l.node, le.cycles, le.timeMs});
    }
}

// The engine's estimate as the architecture-neutral one, its layers moved into the detail.
Estimate toEstimate(SystolicEstimate&& se, const Graph& graph, bool autoSized, int designsTried,
                    bool detailed) {
    Estimate e;
    e.clockMhz = se.config.clockMhz;
    e.batch = se.config.batch;
    e.autoSized = autoSized;
    e.used = se.used;
    e.available = se.available;
    e.fps = se.fps;
    e.latencyMs = se.latencyMs;
    e.computeBoundFps = se.computeBoundFps;
    // The share of the time the array stalls for DRAM, and the DRAM bandwidth it achieves.
    e.memoryBoundFraction = se.cycles > 0 ? double(se.stallCycles) / double(se.cycles) : 0;
    e.ddrGBps = se.latencyMs > 0
                    ? double(se.dramBytesPerImage) * se.config.batch / (se.latencyMs * 1e-3) / 1e9
                    : 0;
    e.energyPerImageMj = se.energyPerImageMj;
    e.cycles = se.cycles;
    e.ddrBytesPerImage = se.dramBytesPerImage;
    e.macs = se.macs;
    e.params = graph.totalParams;
    e.power = se.power;
    e.powerW = se.powerW;
    e.feasible = se.feasible;
    e.violations = std::move(se.violations);
    e.bottleneck = std::move(se.bottleneck);
    SystolicDetail d;
    d.config = se.config;
    d.designsTried = designsTried;
    d.resources = se.resources;
    d.computeCycles = se.computeCycles;
    d.stallCycles = se.stallCycles;
    d.utilization = se.utilization;
    d.sramReads = se.sramReads;
    d.sramWrites = se.sramWrites;
    d.energy = se.energy;
    d.layers = std::move(se.layers);
    if (detailed)
        addRows(d, graph, e.clockMhz, e);
    e.detail = std::move(d);
    return e;
}

} // namespace

std::unique_ptr<PreparedNetwork> SystolicArchitecture::prepare(const Graph& graph,
                                                               const Device& device) const {
    return std::make_unique<PreparedSystolic>(prepareSystolic(graph, device), graph);
}

Result<Estimate> SystolicArchitecture::estimate(const PreparedNetwork& prepared,
                                                const AcceleratorSpec& spec,
                                                const EstimateOptions& options) const {
    const PreparedSystolic& p = static_cast<const PreparedSystolic&>(prepared);
    SystolicConfig config = systolicConfigOf(spec);
    SystolicAutoResult sized;
    const double cap = options.resourceCap > 0 ? options.resourceCap : spec.resourceCap;
    if (spec.autoSize) {
        sized = autoSizeSystolic(p.model, config, cap);
        config = sized.config;
    }
    Estimate e = toEstimate(estimateSystolic(p.model, config, options.detailed), p.graph,
                            spec.autoSize, sized.evaluated, options.detailed);
    if (spec.autoSize && !sized.found) { // first: it explains the others
        e.violations.push_back("auto sizing found no design within " +
                               std::to_string(int(cap * 100 + 0.5)) +
                               " % of the device's resources");
        std::rotate(e.violations.begin(), e.violations.end() - 1, e.violations.end());
        e.feasible = false;
        e.bottleneck = "resource: " + e.violations.front();
    }
    return e;
}

AcceleratorSpec SystolicArchitecture::fixedSpec(const EstimateDetail& design, const Graph&,
                                                AcceleratorSpec base) const {
    const SystolicConfig& c = std::get<SystolicDetail>(design).config;
    // The DRAM bandwidth stays the device's unless the project gave its own.
    const SystolicSpec* before = std::get_if<SystolicSpec>(&base.family);
    const double dramBytesPerCycle = before ? before->dramBytesPerCycle : 0;
    AcceleratorSpec a = std::move(base);
    a.autoSize = false;
    a.clockMhz = c.clockMhz;
    a.batch = c.batch;
    SystolicSpec s = c;
    s.dramBytesPerCycle = dramBytesPerCycle;
    a.family = s;
    return a;
}

} // namespace codesign
