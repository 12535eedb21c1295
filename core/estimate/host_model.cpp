#include "host_model.h"

namespace codesign {
namespace {

// Bytes of one value in DDR: the storage container (8 or 16 bits, docs/estimator.md).
std::int64_t containerBytes(const FixedType& t) {
    return t.width <= 8 ? 1 : 2;
}

} // namespace

HostWork hostWorkOf(const Graph& graph) {
    HostWork w;
    const Shape source = graph.source.elements() > 0 ? graph.source : graph.input;
    w.sourcePixels = std::int64_t(source.h) * source.w;
    if (source.h != graph.input.h || source.w != graph.input.w)
        w.resizePixels = std::int64_t(graph.input.h) * graph.input.w;
    w.inputValues = graph.input.elements();
    const std::int64_t bytes = containerBytes(graph.defaultActivations);
    w.cacheBytes = w.inputValues * bytes;
    bool hostLayers = false;
    for (const Node& n : graph.nodes) {
        if (!opRunsOnHost(n.op))
            continue;
        hostLayers = true;
        w.postValues += n.in.elements();
        // bbox_head's choice reads its confidences once more to break ties at their
        // centroid (core/reference/bbox_choice.h): priced as if every one were tied.
        if (n.op == Op::BboxHead)
            w.postValues += std::int64_t(n.anchors) * n.in.h * n.in.w;
        w.cacheBytes += n.in.elements() * containerBytes(n.activations);
    }
    if (!hostLayers && !graph.nodes.empty()) // the host reads the network's output
        w.cacheBytes += graph.outputNode().out.elements() * bytes;
    w.accesses = kDriverAccesses;
    return w;
}

HostTime hostTime(const ProcessorModel& p, const HostWork& w) {
    const double msPerCycle = 1e-3 / p.clockMhz;
    HostTime t;
    t.decodeMs = double(w.sourcePixels) * p.decodeCyclesPerPixel * msPerCycle;
    t.resizeMs = double(w.resizePixels) * p.resizeCyclesPerPixel * msPerCycle;
    t.packMs = double(w.inputValues) * p.packCyclesPerValue * msPerCycle;
    t.cacheMs = double(w.cacheBytes) * p.cacheCyclesPerByte * msPerCycle;
    t.postMs = double(w.postValues) * p.postCyclesPerValue * msPerCycle;
    t.driverMs = double(w.accesses) * p.cyclesPerAccess * msPerCycle;
    return t;
}

double systemFps(double acceleratorFps, const HostTime& host) {
    if (acceleratorFps <= 0)
        return 0;
    return 1e3 / (1e3 / acceleratorFps + host.totalMs());
}

} // namespace codesign
