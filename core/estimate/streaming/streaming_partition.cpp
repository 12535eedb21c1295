#include "streaming_partition.h"

#include "../../hw/axi_logic.h"
#include "../../util/int_math.h"
#include "streaming_paths.h"

#include <algorithm>
#include <cmath>

namespace codesign {

int weightsReloadingLayer(const HwNetwork& net, const StreamingPartition& part) {
    int layer = part.last;
    while (true) {
        const HwLayer& l = net.layers[layer];
        if (l.kind == HwKind::Split || l.kind == HwKind::Concat || l.kind == HwKind::EltWise)
            return -1;
        if (hasConvFolding(l.kind))
            return layer;
        if (l.inputs.empty() || l.inputs[0] < part.first)
            return -1;
        layer = l.inputs[0];
    }
}

namespace {

// The largest divisor of n that is at most limit.
int largestDivisorUpTo(int n, int limit) {
    for (int d = std::min(n, limit); d > 1; --d)
        if (n % d == 0)
            return d;
    return 1;
}

} // namespace

int portStreams(const HwLayer& l, const LayerShape& s, int limit, bool input) {
    if (l.kind == HwKind::Conv) { // coarse (in or out) x coarse_group
        const int perGroup = (input ? s.channels : s.filters) / l.groups;
        int best = 1;
        for (int g = 1; g <= std::min(l.groups, limit); ++g)
            if (l.groups % g == 0)
                best = std::max(best, g * largestDivisorUpTo(perGroup, limit / g));
        return best;
    }
    return largestDivisorUpTo(input ? s.channels : s.channelsOut, limit);
}

namespace {

class PartitionEvaluator {
public:
    PartitionEvaluator(const HwNetwork& net, const std::vector<LayerFolding>& folding,
                       const StreamingPartition& part, const StreamingSettings& settings,
                       PartitionScratch& s)
        : net_(net), folding_(folding), part_(part), set_(settings), s_(s),
          n_(part.last - part.first + 1) {}

    StreamingPartitionEstimate run(int index, std::vector<StreamingLayerEstimate>* rows) {
        out_.range = part_;
        prepareScratch();
        const bool chain = layersAndSqueezes();
        if (chain) {
            out_.pipelineDepthCycles = chainDepth();
        } else {
            buildDag();
            out_.pipelineDepthCycles =
                longestPathDepth(s_.dag, out_.intervalCycles, s_.dist, s_.pred, s_.path);
        }
        resources(index, rows);
        cycles();
        return out_;
    }

private:
    const HwLayer& layer(int local) const { return net_.layers[part_.first + local]; }
    int slot(int local, std::size_t port) const {
        return net_.portBase[part_.first + local] + static_cast<int>(port);
    }

    void prepareScratch() {
        if (s_.memoOf != &net_ || s_.memo.size() != net_.layers.size()) {
            s_.memo.assign(net_.layers.size(), LayerMemo{});
            s_.memoOf = &net_;
        }
        s_.squeezeOn.resize(net_.portBase.back());
        s_.shape.resize(n_);
        s_.perf.resize(n_);
        s_.squeeze.clear();
        s_.squeezeRes.clear();
        s_.squeezeFrom.clear();
        s_.squeezeTo.clear();
        inputSqueeze_ = outputSqueeze_ = -1;
        out_.intervalCycles = 0;
        out_.wrLayer = weightsReloadingLayer(net_, part_);
    }

    // Weights reloading: the wr layer keeps F / wr filters, and the layers after it (its
    // chain to the output: they follow it directly) F / wr channels where they had F.
    LayerShape shapeOf(int local) const {
        const HwLayer& l = layer(local);
        LayerShape s = baseShape(l);
        const int global = part_.first + local;
        if (out_.wrLayer < 0 || part_.weightsReloading <= 1 || global < out_.wrLayer)
            return s;
        const int filters = net_.layers[out_.wrLayer].filters;
        const int reduced = filters / part_.weightsReloading;
        if (global == out_.wrLayer) {
            s.filters = s.channelsOut = reduced;
        } else if (s.channels == filters && !hasConvFolding(l.kind)) {
            s.channels = reduced;
            s.channelsOut = l.kind == HwKind::Reorg ? reduced * l.factor * l.factor : reduced;
        }
        return s;
    }

    // A layer's timing, from the memo when its folding and shape are the same as last time.
    const LayerPerf& timing(int local) {
        LayerMemo& m = s_.memo[part_.first + local];
        const LayerFolding& f = folding_[part_.first + local];
        if (!(s_.useMemo && m.hasPerf && m.folding == f && m.shape == s_.shape[local])) {
            m.perf = layerPerf(layer(local), s_.shape[local], f);
            m.folding = f;
            m.shape = s_.shape[local];
            m.hasPerf = true;
            m.hasResources = false;
        }
        return m.perf;
    }

    // Resources of a layer (its FIFOs' depths, for an add or concat, set just before).
    const LayerResources& layerCost(int v, bool multiport) {
        LayerMemo& m = s_.memo[part_.first + v];
        if (multiport || !s_.useMemo || !m.hasResources) {
            m.resources = layerResources(layer(v), s_.shape[v], folding_[part_.first + v],
                                         multiport ? s_.bufferDepth.data() : nullptr);
            m.hasResources = !multiport; // FIFO depths depend on the partition around it
        }
        return m.resources;
    }

    void noteLatency(double latency, int hwLayer) {
        if (latency > out_.intervalCycles) {
            out_.intervalCycles = latency;
            out_.slowestLayer = hwLayer;
        }
    }

    // A squeeze (SqueezeLayer) of `channels` of `rows` x `cols` from `in` to `outStreams`
    // streams; on the first input of a layer it is remembered with the layer.
    int addSqueeze(int rows, int cols, int channels, int in, int outStreams, int dataBits, int from,
                   int to, LayerMemo* memo) {
        if (memo && memo->hasSqueeze &&
            memo->squeezeKey == SqueezeKey{channels, in, outStreams, dataBits}) {
            s_.squeeze.push_back(memo->squeezePerf);
            s_.squeezeRes.push_back(memo->squeezeResources);
        } else {
            s_.squeeze.push_back(squeezePerf(rows, cols, channels, in, outStreams));
            s_.squeezeRes.push_back(squeezeResources(dataBits, in, outStreams));
            if (memo && s_.useMemo) {
                memo->squeezeKey = {channels, in, outStreams, dataBits};
                memo->squeezePerf = s_.squeeze.back();
                memo->squeezeResources = s_.squeezeRes.back();
                memo->hasSqueeze = true;
            }
        }
        s_.squeezeFrom.push_back(from);
        s_.squeezeTo.push_back(to);
        noteLatency(s_.squeeze.back().latency, -1);
        return static_cast<int>(s_.squeeze.size()) - 1;
    }

    // One pass in network order: shapes, timings, and the squeezes of Partition.add_squeeze:
    // on every edge whose stream counts differ, and at the two ports when they carry fewer
    // streams than the layer (at most port width / data width each). True for a chain.
    bool layersAndSqueezes() {
        bool chain = true;
        for (int v = 0; v < n_; ++v) {
            const HwLayer& l = layer(v);
            s_.shape[v] = shapeOf(v);
            const LayerPerf& p = s_.perf[v] = timing(v);
            noteLatency(p.latency, part_.first + v);
            chain = chain && net_.chainLink[part_.first + v];
            LayerMemo* memo = &s_.memo[part_.first + v];
            if (v == 0 && p.streamsIn > set_.maxPortStreams)
                inputSqueeze_ = addSqueeze(l.rows, l.cols, s_.shape[0].channels,
                                           portStreams(l, s_.shape[0], set_.maxPortStreams, true),
                                           p.streamsIn, l.dataBits, -1, part_.first, memo);
            for (std::size_t port = 0; port < l.inputs.size(); ++port) {
                const int u = l.inputs[port] - part_.first;
                int& sq = s_.squeezeOn[slot(v, port)];
                sq = -1;
                if (u < 0 || s_.perf[u].streamsOut == p.streamsIn)
                    continue;
                const HwLayer& ul = layer(u);
                sq = addSqueeze(ul.rowsOut, ul.colsOut, outChannels(u), s_.perf[u].streamsOut,
                                p.streamsIn, ul.dataBits, part_.first + u, part_.first + v,
                                port == 0 ? memo : nullptr);
            }
        }
        const int outStreams = s_.perf[n_ - 1].streamsOut;
        if (outStreams > set_.maxPortStreams) {
            const HwLayer& o = layer(n_ - 1);
            outputSqueeze_ =
                addSqueeze(o.rowsOut, o.colsOut, outChannels(n_ - 1), outStreams,
                           portStreams(o, s_.shape[n_ - 1], set_.maxPortStreams, false), o.dataBits,
                           part_.last, -1, nullptr);
        }
        out_.squeezes = static_cast<int>(s_.squeeze.size());
        return chain;
    }

    // channels_out() of a layer as fpgaConvNet asks it (a chop: its first port).
    int outChannels(int local) const {
        const HwLayer& l = layer(local);
        return l.kind == HwKind::Chop ? l.portChannels[0] : s_.shape[local].channelsOut;
    }

    // The longest path of a chain is the chain: its depth without building the graph, in the
    // order longestPathDepth sums (streaming_paths.cpp).
    double chainDepth() const {
        double total = 0, product = 1;
        auto add = [&](const LayerPerf& p) {
            product *= double(p.sizeIn) / double(p.sizeOut);
            total += p.depth / p.rateIn + (out_.intervalCycles / double(p.sizeIn)) * product;
        };
        if (inputSqueeze_ >= 0)
            add(s_.squeeze[inputSqueeze_]);
        for (int v = 0; v < n_; ++v) {
            if (v > 0)
                if (const int sq = s_.squeezeOn[slot(v, 0)]; sq >= 0)
                    add(s_.squeeze[sq]);
            add(s_.perf[v]);
        }
        if (outputSqueeze_ >= 0)
            add(s_.squeeze[outputSqueeze_]);
        return total;
    }

    void buildDag();
    void resources(int index, std::vector<StreamingLayerEstimate>* rows);
    void layerRow(int local, const LayerResources& r, int index,
                  std::vector<StreamingLayerEstimate>& rows) const;
    void squeezeRow(int sq, const LayerResources& r, int index,
                    std::vector<StreamingLayerEstimate>& rows) const;
    void multiportDepths(int local);
    void cycles();
    std::int64_t reloadedWeights() const;

    const HwNetwork& net_;
    const std::vector<LayerFolding>& folding_;
    const StreamingPartition& part_;
    const StreamingSettings& set_;
    PartitionScratch& s_;
    const int n_;
    int inputSqueeze_ = -1, outputSqueeze_ = -1;
    StreamingPartitionEstimate out_;
};

void PartitionEvaluator::buildDag() {
    PartitionDag& g = s_.dag;
    const int squeezeCount = static_cast<int>(s_.squeeze.size());
    g.layers = n_;
    g.perf.assign(s_.perf.begin(), s_.perf.end());
    g.perf.insert(g.perf.end(), s_.squeeze.begin(), s_.squeeze.end());
    g.rank.resize(n_ + squeezeCount);
    for (int i = 0; i < n_; ++i)
        g.rank[i] = 2 * i + 2;
    for (int k = 0; k < squeezeCount; ++k)
        g.rank[n_ + k] = s_.squeezeFrom[k] < 0 ? 1
                         : s_.squeezeTo[k] < 0 ? 2 * n_ + 2
                                               : 2 * (s_.squeezeFrom[k] - part_.first) + 3;
    g.predStart.assign(n_ + squeezeCount + 1, 0);
    g.preds.clear();
    s_.predPort.clear();
    for (int v = 0; v < n_; ++v) {
        g.predStart[v] = static_cast<int>(g.preds.size());
        const HwLayer& l = layer(v);
        for (int pass = 0; pass < 2; ++pass) // direct edges first, squeezed edges after
            for (std::size_t port = 0; port < l.inputs.size(); ++port) {
                const int u = l.inputs[port] - part_.first;
                const int sq = u < 0 ? inputSqueeze_ : s_.squeezeOn[slot(v, port)];
                if ((sq >= 0) != (pass == 1) || (u < 0 && sq < 0))
                    continue;
                g.preds.push_back(sq >= 0 ? n_ + sq : u);
                s_.predPort.push_back(static_cast<int>(port));
            }
    }
    for (int k = 0; k < squeezeCount; ++k) {
        g.predStart[n_ + k] = static_cast<int>(g.preds.size());
        if (s_.squeezeFrom[k] >= 0) {
            g.preds.push_back(s_.squeezeFrom[k] - part_.first);
            s_.predPort.push_back(0);
        }
    }
    g.predStart[n_ + squeezeCount] = static_cast<int>(g.preds.size());
    g.succStart.clear();
}

void PartitionEvaluator::multiportDepths(int local) {
    PartitionDag& g = s_.dag;
    if (g.succStart.empty()) {
        g.buildSuccessors();
        s_.isSplit.assign(g.nodes(), false);
        for (int i = 0; i < n_; ++i)
            s_.isSplit[i] = layer(i).kind == HwKind::Split;
    }
    const HwLayer& l = layer(local);
    double extra = 0;
    if (l.kind == HwKind::Concat) { // ConcatLayer: the ports are read one after the other
        double sum = 0;
        for (int c : l.portChannels)
            sum += double(c) / s_.perf[local].rateIn;
        extra = std::trunc(sum);
    }
    std::vector<std::int64_t> byPred;
    multiportBufferDepths(g, local, s_.isSplit, extra, byPred);
    s_.bufferDepth.assign(l.inputs.size(), 2);
    for (std::size_t i = 0; i < byPred.size(); ++i)
        s_.bufferDepth[s_.predPort[g.predStart[local] + i]] = byPred[i];
}

void PartitionEvaluator::layerRow(int local, const LayerResources& r, int index,
                                  std::vector<StreamingLayerEstimate>& rows) const {
    const LayerFolding& f = folding_[part_.first + local];
    const LayerPerf& p = s_.perf[local];
    StreamingLayerEstimate row;
    row.layer = part_.first + local;
    row.partition = index;
    row.streamsIn = p.streamsIn;
    row.streamsOut = p.streamsOut;
    row.intervalCycles = p.latency;
    row.pipelineDepthCycles = p.depth;
    row.coarseIn = f.coarseIn;
    row.coarseOut = f.coarseOut;
    row.fine = f.fine;
    row.dsp = r.dsp;
    row.bram18 = r.bram18;
    row.lut = r.lut;
    row.ff = r.ff;
    row.slowest = out_.slowestLayer == row.layer;
    rows.push_back(row);
}

void PartitionEvaluator::squeezeRow(int sq, const LayerResources& r, int index,
                                    std::vector<StreamingLayerEstimate>& rows) const {
    const LayerPerf& p = s_.squeeze[sq];
    StreamingLayerEstimate row;
    row.partition = index;
    row.squeezeFrom = s_.squeezeFrom[sq];
    row.squeezeTo = s_.squeezeTo[sq];
    row.streamsIn = row.coarseIn = p.streamsIn;
    row.streamsOut = row.coarseOut = p.streamsOut;
    row.intervalCycles = p.latency;
    row.lut = r.lut;
    row.ff = r.ff;
    row.slowest = out_.slowestLayer < 0 && p.latency == out_.intervalCycles;
    rows.push_back(row);
}

void PartitionEvaluator::resources(int index, std::vector<StreamingLayerEstimate>* rows) {
    auto addSqueezeResources = [&](int sq) {
        const LayerResources& r = s_.squeezeRes[sq];
        out_.lut += r.lut;
        out_.ff += r.ff;
        if (rows)
            squeezeRow(sq, r, index, *rows);
    };
    for (int v = 0; v < n_; ++v) {
        const HwLayer& l = layer(v);
        if (v == 0 && inputSqueeze_ >= 0)
            addSqueezeResources(inputSqueeze_);
        for (std::size_t port = 0; port < l.inputs.size(); ++port)
            if (const int sq = s_.squeezeOn[slot(v, port)]; sq >= 0)
                addSqueezeResources(sq);
        const bool multiport = l.kind == HwKind::EltWise || l.kind == HwKind::Concat;
        if (multiport)
            multiportDepths(v);
        const LayerResources& r = layerCost(v, multiport);
        out_.dsp += r.dsp;
        out_.bram18 += r.bram18;
        out_.lut += r.lut;
        out_.ff += r.ff;
        if (rows)
            layerRow(v, r, index, *rows);
    }
    if (outputSqueeze_ >= 0)
        addSqueezeResources(outputSqueeze_);
    // the partition's control and the AXI shell of its two off-chip ports (core/hw/axi_logic.h)
    const AxiLogic shell = axiShellLogic(set_.logic, 2, set_.portWidth);
    out_.lut += static_cast<std::int64_t>(set_.logic.lutBase + shell.lut);
    out_.ff += static_cast<std::int64_t>(set_.logic.ffBase + shell.ff);
}

std::int64_t PartitionEvaluator::reloadedWeights() const {
    if (out_.wrLayer < 0)
        return 0;
    const HwLayer& l = net_.layers[out_.wrLayer];
    const LayerShape& s = s_.shape[out_.wrLayer - part_.first];
    if (l.kind == HwKind::InnerProduct)
        return std::int64_t(s.channels) * s.filters;
    return (std::int64_t(s.channels) * s.filters) / l.groups * l.kernelH * l.kernelW;
}

// metrics.py: bandwidth per port, the slow-down when it exceeds the platform's, the cycles.
void PartitionEvaluator::cycles() {
    const HwLayer& in = layer(0);
    const HwLayer& o = layer(n_ - 1);
    const double wordsIn = double(std::int64_t(in.rows) * in.cols * s_.shape[0].channels);
    const double wordsOut = double(std::int64_t(o.rowsOut) * o.colsOut * outChannels(n_ - 1));
    // the ports' streams: the squeeze's outer side when there is one
    const int streamsIn =
        inputSqueeze_ >= 0 ? s_.squeeze[inputSqueeze_].streamsIn : s_.perf[0].streamsIn;
    const int streamsOut =
        outputSqueeze_ >= 0 ? s_.squeeze[outputSqueeze_].streamsOut : s_.perf[n_ - 1].streamsOut;
    auto bandwidth = [&](double words, int streams, int bits) {
        const double rate = words / (out_.intervalCycles * out_.slowDown * streams);
        return (rate * streams * bits * set_.clockMhz) / 1000.0;
    };
    auto both = [&] {
        out_.bandwidthInGbps = bandwidth(wordsIn, streamsIn, in.dataBits);
        out_.bandwidthOutGbps = bandwidth(wordsOut, streamsOut, o.dataBits);
    };
    out_.slowDown = 1;
    both();
    const double total = out_.bandwidthInGbps + out_.bandwidthOutGbps;
    if (set_.bandwidthGbps > 0 && total > set_.bandwidthGbps) {
        out_.slowDown = total / set_.bandwidthGbps + 1e-2; // as fpgaConvNet's greedy solver
        both();
    }
    out_.bandwidthGbps = out_.bandwidthInGbps + out_.bandwidthOutGbps;
    const double interval = std::ceil(out_.intervalCycles * out_.slowDown);
    const double wr = part_.weightsReloading;
    const double batchCycles = (interval * set_.batch + out_.pipelineDepthCycles) * wr +
                               (wr - 1) * double(reloadedWeights());
    out_.cycles = static_cast<std::int64_t>(batchCycles);
}

} // namespace

StreamingPartitionEstimate evaluatePartition(const HwNetwork& net,
                                             const std::vector<LayerFolding>& folding,
                                             const StreamingPartition& partition,
                                             const StreamingSettings& settings,
                                             PartitionScratch& scratch, int partitionIndex,
                                             std::vector<StreamingLayerEstimate>* rows) {
    return PartitionEvaluator(net, folding, partition, settings, scratch).run(partitionIndex, rows);
}

} // namespace codesign
