// Our streaming optimiser. A partition's time depends only on its own layers and folding,
// and the network's latency is the sum of the partitions' times plus the reconfigurations,
// so the best partitioning is a shortest path over the cut points (dynamic programming),
// given the best time of each candidate partition. That time comes from coordinate descent
// on the partition's folding: start at folding 1, then repeatedly take the move that speeds
// up the layer setting the interval (its next fine, coarse_out, coarse_in or coarse_group;
// for a squeeze, its narrower neighbour), the one with the fewest cycles and, on a tie, the
// least resource pressure, while the partition stays under the cap. Each weights reloading
// factor of the partition's last conv is tried. Partitions may start before a conv or fc
// layer where one tensor flows (as fpgaConvNet's example configurations allow).
#include "streaming_optimiser.h"
#include "streaming_space.h"

#include <algorithm>
#include <cmath>

namespace codesign {
namespace {

struct RangeResult {
    double ms = kInfeasible;
    int weightsReloading = 1;
    std::vector<LayerFolding> folding; // the range's layers
    bool minimumFits = false;          // the range fits at folding 1 with some reloading
};

class Descent {
public:
    Descent(const StreamingSpace& s, const StreamingOptimiserOptions& o)
        : s_(s), control_(o.control), onePartition_(o.onePartitionWhenItFits) {
        folding_.assign(s.layers(), LayerFolding{});
    }

    StreamingDesign run();

private:
    bool stopped() const { return control_ && control_->stopRequested(); }
    RangeResult bestForRange(int first, int last);
    StreamingDesign designOf(const std::vector<std::pair<int, int>>& chosen,
                             const std::vector<int>& starts,
                             const std::vector<std::vector<RangeResult>>& range) const;
    double foldRange(const StreamingPartition& p);
    void targets(const StreamingPartition& p, const StreamingPartitionEstimate& e,
                 std::vector<int>& out) const;
    void moves(const StreamingPartition& p, int layer, std::vector<LayerFolding>& out) const;

    const StreamingSpace& s_;
    RunControl* control_;
    bool onePartition_;
    std::vector<LayerFolding> folding_; // scratch folding of the whole network
};

void Descent::targets(const StreamingPartition& p, const StreamingPartitionEstimate& e,
                      std::vector<int>& out) const {
    out.clear();
    const PartitionScratch& sc = s_.lastScratch();
    if (e.slowestLayer >= 0) {
        out.push_back(e.slowestLayer);
    } else { // a squeeze: widen its narrower side
        for (std::size_t k = 0; k < sc.squeeze.size(); ++k)
            if (sc.squeeze[k].latency == e.intervalCycles)
                for (int layer : {sc.squeezeFrom[k], sc.squeezeTo[k]})
                    if (layer >= 0)
                        out.push_back(layer);
    }
    if (e.pipelineDepthCycles > e.intervalCycles) { // depth-bound: also the deepest layer
        int deepest = p.first;
        double most = -1;
        for (int i = p.first; i <= p.last; ++i) {
            const LayerPerf& perf = sc.perf[i - p.first];
            if (perf.depth / perf.rateIn > most) {
                most = perf.depth / perf.rateIn;
                deepest = i;
            }
        }
        out.push_back(deepest);
    }
}

// The next larger value of each folding parameter of a layer.
void Descent::moves(const StreamingPartition& p, int layer, std::vector<LayerFolding>& out) const {
    out.clear();
    const LayerFolding f = folding_[layer];
    auto next = [](const std::vector<int>& values, int current) {
        auto it = std::upper_bound(values.begin(), values.end(), current);
        return it == values.end() ? -1 : *it;
    };
    const HwKind kind = s_.net().layers[layer].kind;
    if (!hasConvFolding(kind)) {
        if (const int c = next(s_.coarseInIn(p, layer), f.coarseIn); c > 0)
            out.push_back({c, c, 1, 1});
        return;
    }
    if (const int v = next(s_.coarseOutIn(p, layer), f.coarseOut); v > 0)
        out.push_back({f.coarseIn, v, f.coarseGroup, f.fine});
    if (const int v = next(s_.coarseInIn(p, layer), f.coarseIn); v > 0)
        out.push_back({v, f.coarseOut, f.coarseGroup, f.fine});
    if (kind == HwKind::Conv) {
        if (const int v = next(s_.fine(layer), f.fine); v > 0)
            out.push_back({f.coarseIn, f.coarseOut, f.coarseGroup, v});
        if (const int v = next(s_.coarseGroup(layer), f.coarseGroup); v > 0)
            out.push_back({f.coarseIn, f.coarseOut, v, f.fine});
    }
}

// Coordinate descent on one partition, from folding 1; the partition's time, or infinity.
double Descent::foldRange(const StreamingPartition& p) {
    for (int i = p.first; i <= p.last; ++i)
        folding_[i] = LayerFolding{};
    StreamingPartitionEstimate e = s_.evaluate(folding_, p);
    if (!s_.fits(e))
        return kInfeasible;
    std::vector<int> layers;
    std::vector<LayerFolding> options;
    while (!stopped()) {
        e = s_.evaluate(folding_, p); // the current design's squeezes and depths for targets()
        targets(p, e, layers);
        int bestLayer = -1;
        LayerFolding bestFolding;
        StreamingPartitionEstimate best = e;
        double bestPressure = kInfeasible;
        for (int layer : layers) {
            const LayerFolding keep = folding_[layer];
            const HwLayer& l = s_.net().layers[layer];
            const double before = layerPerf(l, s_.shapeIn(p, layer), keep).latency;
            moves(p, layer, options);
            for (const LayerFolding& o : options) {
                folding_[layer] = o;
                const StreamingPartitionEstimate& c = s_.evaluate(folding_, p);
                if (!s_.fits(c) || c.cycles > e.cycles)
                    continue;
                // equal cycles count as progress when the target itself got faster (a tie
                // for the slowest layer); every accepted move raises a folding: it ends
                if (c.cycles == e.cycles && layerPerf(l, s_.shapeIn(p, layer), o).latency >= before)
                    continue;
                const double pressure = s_.pressure(c);
                if (bestLayer < 0 || c.cycles < best.cycles ||
                    (c.cycles == best.cycles && pressure < bestPressure)) {
                    best = c;
                    bestLayer = layer;
                    bestFolding = o;
                    bestPressure = pressure;
                }
            }
            folding_[layer] = keep;
        }
        if (bestLayer < 0)
            break;
        folding_[bestLayer] = bestFolding;
    }
    return s_.partitionMs(s_.evaluate(folding_, p));
}

RangeResult Descent::bestForRange(int first, int last) {
    RangeResult r;
    StreamingPartition p{first, last, 1};
    for (int i = first; i <= last; ++i)
        folding_[i] = LayerFolding{};
    int worseInARow = 0;
    for (int wr : s_.reloadingFactors(p, folding_)) {
        if (stopped())
            break;
        p.weightsReloading = wr;
        const double ms = foldRange(p);
        if (ms == kInfeasible)
            continue;
        r.minimumFits = true;
        if (ms < r.ms) {
            r.ms = ms;
            r.weightsReloading = wr;
            r.folding.assign(folding_.begin() + first, folding_.begin() + last + 1);
            worseInARow = 0;
        } else if (++worseInARow == 2) {
            break; // more reloading only adds reload passes from here
        }
    }
    return r;
}

StreamingDesign Descent::run() {
    const int n = s_.layers();
    std::vector<int> starts{0};
    for (int i = 1; i < n; ++i)
        if (hasConvFolding(s_.net().layers[i].kind) && s_.validCut(i - 1))
            starts.push_back(i);
    const int m = static_cast<int>(starts.size());
    starts.push_back(n);
    const double t = s_.model().settings.reconfigurationMs;
    std::vector<std::vector<RangeResult>> range(m, std::vector<RangeResult>(m + 1));
    if (onePartition_) {
        range[0][m] = bestForRange(0, n - 1);
        if (range[0][m].ms < kInfeasible)
            return designOf({{0, m}}, starts, range);
    }
    std::vector<double> best{0.0}; // best[j]: the layers before starts[j]
    best.resize(m + 1, kInfeasible);
    std::vector<int> from(m + 1, -1);
    for (int i = 0; i < m && !stopped(); ++i)
        for (int j = i + 1; j <= m && !stopped(); ++j) {
            range[i][j] = bestForRange(starts[i], starts[j] - 1);
            if (!range[i][j].minimumFits)
                break; // a longer range holds more: it cannot fit either
        }
    // shortest path; each partition costs its time plus one reconfiguration
    for (int j = 1; j <= m; ++j)
        for (int i = 0; i < j; ++i)
            if (best[i] + range[i][j].ms + t < best[j]) {
                best[j] = best[i] + range[i][j].ms + t;
                from[j] = i;
            }
    // One partition pays no reconfiguration; under fpgaConvNet's convention (every partition
    // pays once there are two) the DP's extra t is right for two or more, so compare the best
    // of those with the single partition. Under per_switch every count pays one t less.
    int lastStart = from[m];
    if (s_.model().settings.charge == ReconfigurationCharge::PerPartition) {
        double bestMulti = kInfeasible;
        for (int i = 1; i < m; ++i)
            if (best[i] + range[i][m].ms + t < bestMulti) {
                bestMulti = best[i] + range[i][m].ms + t;
                lastStart = i;
            }
        if (range[0][m].ms <= bestMulti)
            lastStart = 0;
    }
    std::vector<std::pair<int, int>> chosen{{std::max(lastStart, 0), m}};
    for (int j = chosen.back().first; j > 0; j = from[j])
        chosen.push_back({from[j], j});
    std::reverse(chosen.begin(), chosen.end());
    return designOf(chosen, starts, range);
}

StreamingDesign Descent::designOf(const std::vector<std::pair<int, int>>& chosen,
                                  const std::vector<int>& starts,
                                  const std::vector<std::vector<RangeResult>>& range) const {
    StreamingDesign d = defaultStreamingDesign(s_.net());
    d.partitions.clear();
    for (const auto& [i, j] : chosen) {
        const RangeResult& r = range[i][j];
        d.partitions.push_back({starts[i], starts[j] - 1, r.weightsReloading});
        std::copy(r.folding.begin(), r.folding.end(), d.folding.begin() + starts[i]);
    }
    return d;
}

} // namespace

StreamingDesign descendStreaming(const StreamingSpace& space, const StreamingOptimiserOptions& o,
                                 const FoundBest& found) {
    StreamingDesign d = Descent(space, o).run();
    found();
    return d;
}

} // namespace codesign
