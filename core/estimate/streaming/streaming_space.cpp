#include "streaming_space.h"

#include <algorithm>
#include <cmath>

namespace codesign {

int largestUpTo(const std::vector<int>& values, int limit) {
    int best = values.empty() ? 1 : values.front();
    for (int v : values)
        if (v <= limit)
            best = v;
    return best;
}

namespace {

std::vector<int> commonDivisors(const std::vector<int>& counts) {
    std::vector<int> out;
    for (int d : divisorsOf(counts.front()))
        if (std::all_of(counts.begin(), counts.end(), [d](int c) { return c % d == 0; }))
            out.push_back(d);
    return out;
}

} // namespace

StreamingSpace::StreamingSpace(const StreamingModel& model, double resourceCap)
    : model_(model), cap_(resourceCap) {
    const int n = layers();
    coarseIn_.resize(n);
    coarseOut_.resize(n);
    coarseGroup_.resize(n);
    fine_.resize(n);
    for (int i = 0; i < n; ++i) {
        const HwLayer& l = model.net.layers[i];
        coarseGroup_[i] = fine_[i] = {1};
        if (l.kind == HwKind::Conv) {
            coarseIn_[i] = divisorsOf(l.channels / l.groups);
            coarseOut_[i] = divisorsOf(l.filters / l.groups);
            coarseGroup_[i] = divisorsOf(l.groups);
            fine_[i] = divisorsOf(l.kernelH * l.kernelW);
        } else if (l.kind == HwKind::InnerProduct) {
            coarseIn_[i] = divisorsOf(l.channels);
            coarseOut_[i] = divisorsOf(l.filters);
        } else {
            coarseIn_[i] =
                l.kind == HwKind::Concat ? commonDivisors(l.portChannels) : divisorsOf(l.channels);
            coarseOut_[i] = coarseIn_[i];
        }
    }
}

std::vector<int> StreamingSpace::reloadingFactors(const StreamingPartition& p,
                                                  const std::vector<LayerFolding>& folding) const {
    const int w = weightsReloadingLayer(model_.net, p);
    if (w < 0)
        return {1};
    const HwLayer& l = model_.net.layers[w];
    return divisorsOf(l.filters / (l.groups * folding[w].coarseOut));
}

void StreamingSpace::repairFolding(const StreamingPartition& p,
                                   std::vector<LayerFolding>& folding) const {
    const int w = weightsReloadingLayer(model_.net, p);
    if (w < 0 || p.weightsReloading <= 1)
        return;
    const HwLayer& l = model_.net.layers[w];
    const int perGroup = l.filters / (l.groups * p.weightsReloading);
    folding[w].coarseOut = largestUpTo(divisorsOf(perGroup), folding[w].coarseOut);
    const int reduced = l.filters / p.weightsReloading;
    for (int v = w; v < p.last;) {
        v = model_.net.consumers[v][0];
        const HwLayer& after = model_.net.layers[v];
        if (after.channels != l.filters || hasConvFolding(after.kind))
            continue;
        const int c = largestUpTo(divisorsOf(reduced), folding[v].coarseIn);
        folding[v].coarseIn = folding[v].coarseOut = c;
    }
}

LayerShape StreamingSpace::shapeIn(const StreamingPartition& p, int layer) const {
    const HwLayer& l = model_.net.layers[layer];
    LayerShape s = baseShape(l);
    const int w = weightsReloadingLayer(model_.net, p);
    if (w < 0 || p.weightsReloading <= 1 || layer < w)
        return s;
    const int filters = model_.net.layers[w].filters;
    const int reduced = filters / p.weightsReloading;
    if (layer == w) {
        s.filters = s.channelsOut = reduced;
        return s;
    }
    for (int v = w; v < p.last;) { // is `layer` on the chain after the reloaded layer?
        v = model_.net.consumers[v][0];
        if (v == layer && s.channels == filters && !hasConvFolding(l.kind)) {
            s.channels = reduced;
            s.channelsOut = l.kind == HwKind::Reorg ? reduced * l.factor * l.factor : reduced;
        }
    }
    return s;
}

std::vector<int> StreamingSpace::coarseOutIn(const StreamingPartition& p, int layer) const {
    const HwLayer& l = model_.net.layers[layer];
    const LayerShape s = shapeIn(p, layer);
    if (l.kind == HwKind::Conv)
        return divisorsOf(s.filters / l.groups);
    if (l.kind == HwKind::InnerProduct)
        return divisorsOf(s.filters);
    return s.channels == l.channels ? coarseIn_[layer] : divisorsOf(s.channels);
}

std::vector<int> StreamingSpace::coarseInIn(const StreamingPartition& p, int layer) const {
    const HwLayer& l = model_.net.layers[layer];
    if (hasConvFolding(l.kind))
        return coarseIn_[layer];
    return coarseOutIn(p, layer);
}

std::vector<StreamingPartition> StreamingSpace::completeSplit() const {
    std::vector<StreamingPartition> parts{{0, 0, 1}};
    for (int i = 1; i < layers(); ++i) {
        if (hasConvFolding(model_.net.layers[i].kind) && validCut(i - 1))
            parts.push_back({i, i, 1});
        else
            parts.back().last = i;
    }
    return parts;
}

void StreamingSpace::maxReloading(StreamingDesign& d, std::size_t partition) const {
    StreamingPartition& p = d.partitions[partition];
    p.weightsReloading = 1;
    p.weightsReloading = reloadingFactors(p, d.folding).back();
    repairFolding(p, d.folding);
}

const StreamingPartitionEstimate& StreamingSpace::evaluate(const std::vector<LayerFolding>& folding,
                                                           const StreamingPartition& p) const {
    ++evaluations_;
    last_ = evaluatePartition(model_.net, folding, p, model_.settings, scratch_);
    return last_;
}

bool StreamingSpace::fits(const StreamingPartitionEstimate& e) const {
    const Device& d = model_.device;
    return std::ceil(e.dsp) <= cap_ * d.dsp && double(e.bram18) <= cap_ * d.bram18 &&
           double(e.lut) <= cap_ * d.lut && double(e.ff) <= cap_ * d.ff;
}

double StreamingSpace::pressure(const StreamingPartitionEstimate& e) const {
    const Device& d = model_.device;
    auto share = [&](double used, double available) {
        return available > 0 ? used / (cap_ * available) : (used > 0 ? kInfeasible : 0.0);
    };
    return std::max({share(std::ceil(e.dsp), d.dsp), share(double(e.bram18), d.bram18),
                     share(double(e.lut), d.lut), share(double(e.ff), d.ff)});
}

double StreamingSpace::partitionMs(const StreamingPartitionEstimate& e) const {
    return streamingCyclesToMs(model_, double(e.cycles));
}

double StreamingSpace::reconfigurationMs(int partitions) const {
    if (partitions <= 1)
        return 0;
    const StreamingSettings& s = model_.settings;
    return (s.charge == ReconfigurationCharge::PerPartition ? partitions : partitions - 1) *
           s.reconfigurationMs;
}

double StreamingSpace::latencyMs(const StreamingDesign& d, bool& feasible) const {
    feasible = true;
    double ms = reconfigurationMs(static_cast<int>(d.partitions.size()));
    for (const StreamingPartition& p : d.partitions) {
        const StreamingPartitionEstimate& e = evaluate(d.folding, p);
        feasible = feasible && fits(e);
        ms += partitionMs(e);
    }
    return ms;
}

} // namespace codesign
