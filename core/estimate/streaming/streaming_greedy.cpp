// fpgaConvNet's greedy partitioner (fpgaconvnet-optimiser solvers/greedy_partition.py and
// transforms/{fine,coarse,weights_reloading}.py at d11a643), as its example configuration
// runs it (examples/optimisers/greedy_partition_throughput.toml): every conv and fc starts a
// partition, with the largest weights reloading; per partition, raise fine on the slowest
// conv while it helps, lower weights reloading while the partition fits, then for each
// weights reloading factor the coarse phases on the slowest layers and a rebalancing of
// coarse pairs against the bottleneck resource; finally merge neighbouring partitions while
// that raises throughput. Not reproduced: its off-chip streaming of weights and line buffers
// (allocate_memory), which our designs do not have.
#include "streaming_optimiser.h"
#include "streaming_space.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace codesign {
namespace {

class Greedy {
public:
    Greedy(const StreamingSpace& s, RunControl* control, const FoundBest& found)
        : s_(s), control_(control), found_(found) {}

    StreamingDesign run() {
        d_ = defaultStreamingDesign(s_.net());
        d_.partitions = s_.completeSplit();
        for (std::size_t p = 0; p < d_.partitions.size(); ++p)
            s_.maxReloading(d_, p);
        needOptimise_.assign(d_.partitions.size(), true);
        if (solve())
            found_();
        mergePartitions();
        return d_;
    }

private:
    bool stopped() const { return control_ && control_->stopRequested(); }

    const StreamingPartitionEstimate& eval(int p) {
        return s_.evaluate(d_.folding, d_.partitions[p]);
    }
    bool fits(int p) { return s_.fits(eval(p)); }
    double partitionMs(int p) { return s_.partitionMs(eval(p)); }
    double totalCost() {
        bool feasible = false;
        return s_.latencyMs(d_, feasible);
    }
    bool allFit() {
        for (std::size_t p = 0; p < d_.partitions.size(); ++p)
            if (!fits(static_cast<int>(p)))
                return false;
        return true;
    }

    // Layers of a partition in descending order of latency (numpy's stable argsort, reversed).
    std::vector<int> bySlowest(int p, bool convOnly) {
        const StreamingPartition& part = d_.partitions[p];
        std::vector<int> layers;
        std::vector<double> latency;
        for (int i = part.first; i <= part.last; ++i) {
            const HwLayer& l = s_.net().layers[i];
            if (convOnly && (l.kind != HwKind::Conv || s_.fine(i).size() < 2))
                continue;
            layers.push_back(i);
            latency.push_back(layerLatency(p, i));
        }
        std::vector<int> order(layers.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](int a, int b) { return latency[a] < latency[b]; });
        std::vector<int> out;
        for (auto it = order.rbegin(); it != order.rend(); ++it)
            out.push_back(layers[*it]);
        return out;
    }

    double layerLatency(int p, int layer) {
        return layerPerf(s_.net().layers[layer], s_.shapeIn(d_.partitions[p], layer),
                         d_.folding[layer])
            .latency;
    }

    // transforms.apply_more_fine: the next fine on the slowest conv that gains.
    bool moreFine(int p) {
        for (int layer : bySlowest(p, true)) {
            LayerFolding& f = d_.folding[layer];
            const std::vector<int>& fines = s_.fine(layer);
            if (f.fine >= fines.back())
                continue;
            const double before = layerLatency(p, layer);
            const int old = f.fine;
            f.fine = *std::upper_bound(fines.begin(), fines.end(), f.fine);
            if (before / layerLatency(p, layer) > 1)
                return true;
            f.fine = old;
        }
        return false;
    }

    // transforms.apply_less_weight_reloading: the next smaller factor.
    bool lessReloading(int p) {
        StreamingPartition& part = d_.partitions[p];
        if (part.weightsReloading <= 1)
            return false;
        const int current = part.weightsReloading;
        part.weightsReloading = 1;
        const std::vector<int> factors = s_.reloadingFactors(part, d_.folding);
        part.weightsReloading = *(std::lower_bound(factors.begin(), factors.end(), current) - 1);
        s_.repairFolding(part, d_.folding);
        return true;
    }

    bool moreCoarse(int p, bool coarseInFirst, bool fixed);
    void optimiseCoarse(int p);
    bool rebalance(int p, int layer, const std::vector<std::pair<int, int>>& candidates);
    bool empirical(int p, int phase);
    void solvePartition(int p);
    bool solve();
    void mergePartitions();

    const StreamingSpace& s_;
    RunControl* control_;
    const FoundBest& found_;
    StreamingDesign d_;
    std::vector<bool> needOptimise_;
};

// transforms.apply_more_coarse: the slowest layer that the next larger coarse product speeds
// up, with the variants' rules for which of coarse_in, coarse_out may grow.
bool Greedy::moreCoarse(int p, bool coarseInFirst, bool fixed) {
    const StreamingPartition& part = d_.partitions[p];
    const bool batched = s_.model().settings.batch > 1; // skip_second_slowest_node
    for (int layer : bySlowest(p, false)) {
        const HwLayer& l = s_.net().layers[layer];
        LayerFolding& f = d_.folding[layer];
        const LayerFolding old = f;
        const int product = f.coarseIn * f.coarseOut * f.coarseGroup;
        const std::vector<int> groups =
            l.kind == HwKind::Conv && l.groups != 1 ? s_.coarseGroup(layer) : std::vector<int>{1};
        std::vector<LayerFolding> options;
        const bool transformable = hasConvFolding(l.kind);
        for (int g : groups)
            for (int ci : s_.coarseInIn(part, layer))
                for (int co : transformable ? s_.coarseOutIn(part, layer) : std::vector<int>{ci}) {
                    if (g * ci * co <= product)
                        continue;
                    bool allowed = true; // free: any larger product
                    if (transformable && fixed)
                        allowed = g >= f.coarseGroup &&
                                  (coarseInFirst ? ci >= f.coarseIn && co == f.coarseOut
                                                 : ci == f.coarseIn && co >= f.coarseOut);
                    if (!transformable)
                        allowed = g >= f.coarseGroup && ci >= f.coarseIn;
                    if (allowed)
                        options.push_back({ci, co, g, f.fine});
                }
        if (!options.empty()) {
            auto prod = [](const LayerFolding& o) {
                return o.coarseIn * o.coarseOut * o.coarseGroup;
            };
            const int next =
                prod(*std::min_element(options.begin(), options.end(),
                                       [&](auto& a, auto& b) { return prod(a) < prod(b); }));
            std::erase_if(options, [&](const LayerFolding& o) { return prod(o) != next; });
            std::stable_sort(options.begin(), options.end(), [&](auto& a, auto& b) {
                return coarseInFirst ? std::tie(a.coarseOut, a.coarseIn, a.coarseGroup) <
                                           std::tie(b.coarseOut, b.coarseIn, b.coarseGroup)
                                     : std::tie(a.coarseIn, a.coarseOut, a.coarseGroup) <
                                           std::tie(b.coarseIn, b.coarseOut, b.coarseGroup);
            });
            const double before = layerLatency(p, layer);
            for (const LayerFolding& o : options) {
                f = o;
                if (layerLatency(p, layer) < before)
                    return true;
                f = old;
            }
        }
        if (batched)
            break;
    }
    return false;
}

// Greedy.empirical_solver: apply a phase while the partition still fits (fast mode: stop at
// the first step that does not).
bool Greedy::empirical(int p, int phase) {
    bool changed = false;
    StreamingDesign saved = d_;
    while (!stopped()) {
        bool status = false;
        switch (phase) {
        case 0:
            status = moreFine(p);
            break;
        case 1:
            status = lessReloading(p);
            break;
        case 2:
            status = moreCoarse(p, false, false);
            break; // favour coarse_out
        case 3:
            status = moreCoarse(p, true, true);
            break; // fix coarse_out
        case 4:
            status = moreCoarse(p, false, true);
            break; // fix coarse_in
        default:
            status = moreCoarse(p, true, false);
            break; // favour coarse_in
        }
        if (!status)
            break;
        if (!fits(p))
            break;
        saved = d_;
        changed = true;
    }
    d_ = saved;
    return changed;
}

// Greedy.optimise_coarse: among coarse pairs of the same product, the one that lowers the
// bottleneck resource (DSP, LUT or FF, the most used) without more cycles.
bool Greedy::rebalance(int p, int layer, const std::vector<std::pair<int, int>>& candidates) {
    const StreamingPartitionEstimate base = eval(p);
    const Device& dev = s_.model().device;
    auto usage = [&](const StreamingPartitionEstimate& e, int which) {
        return which == 0   ? std::ceil(e.dsp) / dev.dsp
               : which == 1 ? double(e.lut) / dev.lut
                            : double(e.ff) / dev.ff;
    };
    const int bottleneck = usage(base, 0) > usage(base, 1) && usage(base, 0) > usage(base, 2) ? 0
                           : usage(base, 1) > usage(base, 2)                                  ? 1
                                                                                              : 2;
    LayerFolding& f = d_.folding[layer];
    const LayerFolding old = f;
    LayerFolding best = old;
    double bestUse = usage(base, bottleneck);
    for (const auto& [ci, co] : candidates) {
        f.coarseIn = ci;
        f.coarseOut = co;
        const StreamingPartitionEstimate& e = eval(p);
        if (e.cycles > base.cycles || usage(e, bottleneck) >= usage(base, bottleneck) ||
            !s_.fits(e))
            continue;
        if (usage(e, bottleneck) < bestUse) {
            bestUse = usage(e, bottleneck);
            best = f;
        }
    }
    f = best;
    return !(best == old);
}

void Greedy::optimiseCoarse(int p) {
    const StreamingPartition& part = d_.partitions[p];
    for (int layer = part.first; layer <= part.last; ++layer) {
        const HwLayer& l = s_.net().layers[layer];
        const LayerFolding& f = d_.folding[layer];
        std::vector<std::pair<int, int>> candidates;
        if (hasConvFolding(l.kind)) {
            for (int ci : s_.coarseInIn(part, layer))
                for (int co : s_.coarseOutIn(part, layer))
                    if (ci * co == f.coarseIn * f.coarseOut)
                        candidates.push_back({ci, co});
        } else {
            for (int c : s_.coarseInIn(part, layer))
                if (c > f.coarseIn)
                    candidates.push_back({c, c});
        }
        rebalance(p, layer, candidates);
    }
}

void Greedy::solvePartition(int p) {
    const int phases[] = {2, 3, 4, 5};
    empirical(p, 0);
    empirical(p, 1);
    StreamingPartition& part = d_.partitions[p];
    std::vector<int> factors{1};
    if (weightsReloadingLayer(s_.net(), part) >= 0) {
        const int current = part.weightsReloading;
        part.weightsReloading = 1;
        LayerFolding& w = d_.folding[weightsReloadingLayer(s_.net(), part)];
        const LayerFolding keep = w;
        w.coarseOut = 1; // Greedy.get_all_wr_feasible
        factors = s_.reloadingFactors(part, d_.folding);
        w = keep;
        part.weightsReloading = current;
        std::erase_if(factors, [&](int f) { return f < current; });
    }
    for (int wr : factors) {
        if (stopped())
            return;
        const StreamingDesign saved = d_;
        const double cost = partitionMs(p);
        d_.partitions[p].weightsReloading = wr;
        s_.repairFolding(d_.partitions[p], d_.folding);
        while (!stopped()) {
            bool changed = false;
            for (int phase : phases) // `changed or phase()`: stops at the first that changes
                if (!changed)
                    changed = empirical(p, phase);
            if (!changed)
                break;
            optimiseCoarse(p);
        }
        if (partitionMs(p) >= cost)
            d_ = saved;
    }
}

bool Greedy::solve() {
    if (!allFit())
        return false; // fpgaConvNet's run_solver gives up ("Exceeds resource usage")
    for (std::size_t p = 0; p < d_.partitions.size(); ++p)
        if (needOptimise_[p] && !stopped())
            solvePartition(static_cast<int>(p));
    return true;
}

// Greedy.merge_memory_bound_partitions: merge the slowest partition with a neighbour, solve
// again, keep the merge when the network's throughput improves.
void Greedy::mergePartitions() {
    std::vector<std::pair<int, int>> rejected;
    while (!stopped() && d_.partitions.size() > 1) {
        const double cost = totalCost();
        int slowest = -1;
        std::pair<int, int> merge;
        for (int p = 0; p < static_cast<int>(d_.partitions.size()); ++p) {
            const std::pair<int, int> next{p, p + 1}, prev{p - 1, p};
            const bool canNext =
                p + 1 < static_cast<int>(d_.partitions.size()) &&
                std::find(rejected.begin(), rejected.end(), next) == rejected.end();
            const bool canPrev =
                p > 0 && std::find(rejected.begin(), rejected.end(), prev) == rejected.end();
            if (!canNext && !canPrev)
                continue;
            if (slowest < 0 || partitionMs(p) > partitionMs(slowest)) {
                slowest = p;
                merge = canNext ? next : prev;
            }
        }
        if (slowest < 0)
            break;
        const StreamingDesign saved = d_;
        for (int q : {merge.first, merge.second}) { // reset_partition
            const StreamingPartition& part = d_.partitions[q];
            for (int i = part.first; i <= part.last; ++i)
                d_.folding[i] = LayerFolding{};
        }
        d_.partitions[merge.first] = {d_.partitions[merge.first].first,
                                      d_.partitions[merge.second].last, 1};
        d_.partitions.erase(d_.partitions.begin() + merge.second);
        s_.maxReloading(d_, merge.first);
        needOptimise_.assign(d_.partitions.size(), false);
        needOptimise_[merge.first] = true;
        if (!solve() || totalCost() >= cost) {
            d_ = saved;
            rejected.push_back(merge);
            continue;
        }
        found_();
        for (auto& r : rejected)
            if (r.first >= merge.second)
                r = {r.first - 1, r.second - 1};
    }
}

} // namespace

StreamingDesign greedyStreaming(const StreamingSpace& space, const StreamingOptimiserOptions& o,
                                const FoundBest& found) {
    return Greedy(space, o.control, found).run();
}

} // namespace codesign
