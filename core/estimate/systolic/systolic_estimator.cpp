#include "systolic_estimator.h"

#include "systolic_memory.h"
#include "systolic_resources.h"

#include <algorithm>
#include <array>

namespace codesign {
namespace {

// Where a layer's cycles go, for the bottleneck; "compute: " and "memory: " as the tiled
// family says them, so that `codesign compare` reads alike across families.
enum Stage { kArray, kDepthwise, kFuseRows, kVector, kDram, kStageCount };
constexpr std::array<const char*, kStageCount> kStageNames{
    "compute: array", "compute: depthwise on the array", "compute: FuSe rows",
    "compute: vector unit", "memory: DRAM bandwidth"};

// What the estimate of one layer needs from the configuration.
struct Context {
    int rows = 0;
    int cols = 0;
    CycleConvention convention = CycleConvention::Paper;
    bool fuseRows = false;
    std::int64_t batch = 1;
    double bytesPerCycle = 0;
    BufferBytes sram;
    bool detailed = false;
};

// One layer's cost, per batch.
struct LayerCost {
    Stage stage = kArray;
    GemmMap gemm;
    std::int64_t count = 0;
    std::int64_t folds = 0;
    std::int64_t compute = 0;
    std::int64_t stall = 0;
    double mappingEfficiency = 0;
    SramAccesses sram;
    std::int64_t dram = 0;
};

// `count` identical GEMMs of `dims` (per image) on the array. The dataflow is a template
// parameter: the per-layer loop runs for one dataflow, without its switches.
template <Dataflow DF>
void addGemms(const GemmDims& perImage, std::int64_t count, const OperandBytes& perImageBytes,
              const Context& c, LayerCost& out) {
    const GemmDims dims{perImage.ofmapPx * c.batch, perImage.window, perImage.filters};
    const GemmMap m = mapGemm(dims, DF);
    const Folds f = foldsOf(m, c.rows, c.cols);
    out.compute += count * gemmCycles(m, f, c.rows, c.cols, DF, c.convention);
    out.folds += count * f.total();
    const OperandBytes bytes{perImageBytes.ifmap * c.batch, perImageBytes.filter,
                             perImageBytes.ofmap * c.batch, perImageBytes.psum};
    out.dram += count * gemmDramBytes(m, f, DF, bytes, c.sram, c.cols);
    const SramAccesses a = gemmSramAccesses(m, f, DF);
    out.sram.ifmapReads += count * a.ifmapReads;
    out.sram.filterReads += count * a.filterReads;
    out.sram.ofmapWrites += count * a.ofmapWrites;
    out.sram.psumReads += count * a.psumReads;
    if (c.detailed && count > out.count) { // report the larger GEMM of a fuse layer
        out.gemm = m;
        out.count = count;
        out.mappingEfficiency = mappingEfficiency(m, f, c.rows, c.cols);
    }
}

template <Dataflow DF> LayerCost gemmLayer(const SystolicWork& s, const Context& c) {
    LayerCost out;
    out.stage = s.unit == SystolicUnit::Depthwise ? kDepthwise : kArray;
    addGemms<DF>(s.gemm, s.count, s.bytes, c, out);
    return out;
}

// FuSe rows (ST-OS): each input word streams once per position fold through its row, each
// weight is broadcast once per fold, each kept output is written once.
void addRows(const FuseBranch& b, const Context& c, LayerCost& out) {
    RowJob job = b.rows;
    job.lines *= c.batch;
    const RowFolds f = rowFoldsOf(job, c.rows, c.cols);
    out.compute += stOsCycles(f, c.cols, job.kernel);
    out.folds += f.total();
    out.sram.ifmapReads += job.lines * f.positions * (c.cols + job.kernel - 1);
    out.sram.filterReads += job.lines * f.positions * job.kernel;
    out.sram.ofmapWrites += job.lines * job.outputs;
    out.dram += b.count * (b.ifmapBytes + b.ofmapBytes) * c.batch;
    if (c.detailed && job.lines > out.gemm.sr) {
        out.gemm = {job.lines, job.positions(), job.kernel};
        out.count = 1;
        out.mappingEfficiency = stOsMappingEfficiency(job, c.rows, c.cols);
    }
}

template <Dataflow DF> LayerCost fuseLayer(const SystolicWork& s, const Context& c) {
    LayerCost out;
    out.stage = c.fuseRows ? kFuseRows : kDepthwise;
    for (const FuseBranch& b : s.branches) {
        if (b.count == 0)
            continue;
        if (c.fuseRows)
            addRows(b, c, out);
        else
            addGemms<DF>(b.gemm, b.count, OperandBytes{b.ifmapBytes, 0, b.ofmapBytes, s.bytes.psum},
                         c, out);
    }
    out.dram += s.bytes.filter; // both branches' weights, once
    return out;
}

LayerCost vectorLayer(const SystolicWork& s, const Context& c) {
    LayerCost out;
    out.stage = kVector;
    out.compute = ceilDiv(s.vectorOps * c.batch, c.cols);
    out.sram.ifmapReads = s.vectorOps * c.batch;
    out.sram.ofmapWrites = s.outputs * c.batch;
    out.dram = (s.bytes.ifmap + s.bytes.ofmap) * c.batch;
    out.stall = streamStallCycles(double(out.dram), out.compute, c.bytesPerCycle);
    return out;
}

template <Dataflow DF> LayerCost layerCost(const SystolicWork& s, const Context& c) {
    LayerCost out;
    switch (s.unit) {
    case SystolicUnit::Array:
    case SystolicUnit::Depthwise:
        out = gemmLayer<DF>(s, c);
        break;
    case SystolicUnit::Fuse:
        out = fuseLayer<DF>(s, c);
        break;
    case SystolicUnit::Vector:
        return vectorLayer(s, c);
    default:
        return out;
    }
    out.stall = foldStallCycles(double(out.dram), out.compute, out.folds, c.bytesPerCycle);
    return out;
}

SystolicLayerEstimate layerRow(const SystolicWork& s, const LayerCost& k, const Context& c) {
    SystolicLayerEstimate r;
    r.node = s.node;
    r.unit = s.unit;
    r.gemm = k.gemm;
    r.gemmCount = k.count;
    r.folds = k.folds;
    r.computeCycles = k.compute;
    r.stallCycles = k.stall;
    r.mappingEfficiency = k.mappingEfficiency;
    r.macs = s.macs * c.batch;
    const std::int64_t cycles = k.compute + k.stall;
    r.utilization = cycles > 0 ? double(r.macs) / (double(c.rows) * c.cols * double(cycles)) : 0;
    r.sramReads = k.sram.reads();
    r.sramWrites = k.sram.ofmapWrites;
    r.dramBytes = k.dram;
    return r;
}

struct Totals {
    std::array<std::int64_t, kStageCount> stage{};
    ActionCounts actions;
    std::int64_t compute = 0;
    std::int64_t stall = 0;
    std::int64_t sramReads = 0;
    std::int64_t sramWrites = 0;
};

template <Dataflow DF>
void costLayers(const SystolicModel& model, const Context& c, Totals& t,
                std::vector<SystolicLayerEstimate>& rows) {
    for (int idx : model.costing) {
        const SystolicWork& w = model.work[idx];
        const LayerCost k = layerCost<DF>(w, c);
        t.compute += k.compute;
        t.stall += k.stall;
        t.stage[k.stage] += k.compute;
        t.stage[kDram] += k.stall;
        t.actions.ifmapAccesses += k.sram.ifmapReads;
        t.actions.filterAccesses += k.sram.filterReads;
        t.actions.ofmapAccesses += k.sram.ofmapWrites + k.sram.psumReads;
        t.actions.dramBytes += double(k.dram);
        t.sramReads += k.sram.reads();
        t.sramWrites += k.sram.ofmapWrites;
        if (c.detailed)
            rows[idx] = layerRow(w, k, c);
    }
}

void checkFeasible(SystolicEstimate& e) {
    auto check = [&](const char* what, std::int64_t used, std::int64_t have) {
        if (used > have)
            e.violations.push_back(std::string(what) + " " + std::to_string(used) + " > " +
                                   std::to_string(have) + " available");
    };
    check("DSP", e.used.dsp, e.available.dsp);
    check("BRAM18", e.used.bram18, e.available.bram18);
    check("LUT", e.used.lut, e.available.lut);
    check("FF", e.used.ff, e.available.ff);
    e.feasible = e.violations.empty();
}

} // namespace

// The DDR as the array's double-buffered masters use it: reads and writes interleaved on
// sequential addresses (UG585 Table 22-5, mixed sequential), what the processor takes set
// aside, at most what the masters' HP ports carry.
double sustainedDramGBps(const MemorySystem& m) {
    const double ddr = m.ddrPeakGBps * m.efficiency.mixedSequential - m.processorGBps;
    const int ports = std::min(kSystolicAxiMasters, std::max(1, m.axiPorts));
    return std::max(1e-3, std::min(ddr, ports * m.portGBps));
}

SystolicConfig resolveSystolicConfig(const SystolicConfig& config, const Device& device) {
    SystolicConfig s = config;
    if (s.clockMhz <= 0)
        s.clockMhz = device.defaultClockMhz;
    if (s.dramBytesPerCycle <= 0) // GB/s = 1e3 bytes per microsecond; divided by MHz
        s.dramBytesPerCycle = sustainedDramGBps(device.memory) * 1e3 / s.clockMhz;
    return s;
}

namespace {

Context contextOf(const SystolicConfig& s, bool detailed) {
    Context c;
    c.rows = s.rows;
    c.cols = s.cols;
    c.convention = s.convention;
    c.fuseRows = s.fuseRows;
    c.batch = s.batch;
    c.bytesPerCycle = s.dramBytesPerCycle;
    c.sram = {std::int64_t(s.sramKb.ifmap) * 1024, std::int64_t(s.sramKb.filter) * 1024,
              std::int64_t(s.sramKb.ofmap) * 1024};
    c.detailed = detailed;
    return c;
}

// Rows for every node (after clear(): fresh ones), filled for the costing ones by the loop;
// the others stay at zero.
void prepareRows(const SystolicModel& model, std::int64_t batch, SystolicEstimate& e) {
    e.layers.resize(model.work.size());
    for (std::size_t i = 0; i < model.work.size(); ++i) {
        e.layers[i].node = model.work[i].node;
        e.layers[i].unit = model.work[i].unit;
        e.layers[i].macs = model.work[i].macs * batch;
    }
}

void costAllLayers(const SystolicModel& model, Dataflow df, const Context& c, Totals& t,
                   std::vector<SystolicLayerEstimate>& rows) {
    switch (df) {
    case Dataflow::Os:
        return costLayers<Dataflow::Os>(model, c, t, rows);
    case Dataflow::Ws:
        return costLayers<Dataflow::Ws>(model, c, t, rows);
    case Dataflow::Is:
        return costLayers<Dataflow::Is>(model, c, t, rows);
    }
}

void setBottleneck(const std::array<std::int64_t, kStageCount>& stage, SystolicEstimate& e) {
    if (!e.feasible) {
        e.bottleneck = "resource: " + e.violations.front();
        return;
    }
    int worst = 0;
    for (int st = 1; st < kStageCount; ++st)
        if (stage[st] > stage[worst])
            worst = st;
    e.bottleneck = e.cycles > 0 ? kStageNames[worst] : "none";
}

} // namespace

void estimateSystolicInto(const SystolicModel& model, const SystolicConfig& config, bool detailed,
                          SystolicEstimate& e) {
    const Device& dev = model.device;
    e.config = resolveSystolicConfig(config, dev);
    const SystolicConfig& s = e.config;
    const ArrayFormats formats{model.weightBits, model.activationBits, model.accumulatorBits};
    e.resources = systolicResources(s, dev, formats);
    e.used = e.resources.total;
    e.available = {dev.dsp, dev.bram18, dev.lut, dev.ff};

    const Context c = contextOf(s, detailed);
    e.layers.clear();
    if (detailed)
        prepareRows(model, c.batch, e);
    Totals t;
    costAllLayers(model, s.dataflow, c, t, e.layers);
    t.actions.macs = model.macs * c.batch;

    e.computeCycles = t.compute;
    e.stallCycles = t.stall;
    e.cycles = t.compute + t.stall;
    e.macs = model.macs;
    e.sramReads = t.sramReads;
    e.sramWrites = t.sramWrites;
    const double seconds = double(e.cycles) / (s.clockMhz * 1e6);
    e.latencyMs = seconds * 1e3;
    e.fps = seconds > 0 ? double(c.batch) / seconds : 0;
    e.computeBoundFps = t.compute > 0 ? double(c.batch) * s.clockMhz * 1e6 / double(t.compute) : 0;
    e.utilization =
        e.cycles > 0 ? double(t.actions.macs) / (double(s.rows) * s.cols * double(e.cycles)) : 0;
    e.dramBytesPerImage = static_cast<std::int64_t>(t.actions.dramBytes) / c.batch;

    const int ofmapWidth =
        s.dataflow == Dataflow::Os ? formats.activationBits : formats.accumulatorBits;
    e.energy = actionEnergy(energyTableFor(dev, formats), t.actions, formats, ofmapWidth);
    e.power = systolicPower(dev, e.used, s.clockMhz, e.energy, seconds);
    e.powerW = e.power.totalW();
    e.energyPerImageMj = e.fps > 0 ? e.powerW / e.fps * 1e3 : 0;

    e.violations.clear();
    checkFeasible(e);
    setBottleneck(t.stage, e);
}

SystolicEstimate estimateSystolic(const SystolicModel& model, const SystolicConfig& config,
                                  bool detailed) {
    SystolicEstimate e;
    estimateSystolicInto(model, config, detailed, e);
    return e;
}

} // namespace codesign
