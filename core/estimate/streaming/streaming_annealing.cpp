// fpgaConvNet's simulated annealing (fpgaconvnet-optimiser solvers/simulated_annealing.py at
// d11a643, with the transforms of optimiser/transforms/): from every conv and fc in a
// partition of its own with full fine and the largest weights reloading, random transforms
// (coarse, fine, weights reloading, split or merge a partition), ten per temperature step;
// an infeasible step is undone (and does not cool), a worse one is kept with probability
// exp((cost - new) / (k T)); the best design seen is returned. Cost = -throughput.
#include "../../util/splitmix64.h"
#include "streaming_optimiser.h"
#include "streaming_space.h"

#include <cmath>

namespace codesign {
namespace {

constexpr double kStartT = 10.0;
constexpr double kK = 0.001;
constexpr double kMinT = 0.007;
constexpr double kCool = 0.97;
constexpr int kIterations = 10;
constexpr int kStartLoop = 1000;
constexpr int kMaxSteps = 20'000; // safety: infeasible steps do not cool

class Annealer {
public:
    Annealer(const StreamingSpace& s, std::uint64_t seed) : s_(s), rng_(seed) {}

    StreamingDesign run(RunControl* control, const FoundBest& found) {
        start();
        bool feasible = false;
        for (int i = 0; i < kStartLoop && !(cost(d_, feasible), feasible); ++i)
            transform();
        StreamingDesign best = d_;
        double bestCost = cost(best, feasible);
        found();
        double t = kStartT;
        for (int step = 0; t > kMinT && step < kMaxSteps; ++step) {
            if (control && control->stopRequested())
                break;
            const StreamingDesign before = d_;
            const double current = cost(d_, feasible);
            for (int i = 0; i < kIterations; ++i)
                transform();
            const double next = cost(d_, feasible);
            if (!feasible) {
                d_ = before;
                continue;
            }
            if (next >= current &&
                std::exp(std::min(0.0, (current - next) / (kK * t))) < rng_.uniform())
                d_ = before;
            if (const double now = cost(d_, feasible); now < bestCost && feasible) {
                best = d_;
                bestCost = now;
                found();
            }
            t *= kCool;
        }
        return best;
    }

private:
    // Complete split, full fine, the largest weights reloading (the example optimiser's start).
    void start() {
        d_ = defaultStreamingDesign(s_.net());
        d_.partitions = s_.completeSplit();
        for (int i = 0; i < s_.layers(); ++i)
            d_.folding[i].fine = s_.fine(i).back();
        for (std::size_t p = 0; p < d_.partitions.size(); ++p)
            s_.maxReloading(d_, p);
    }

    double cost(const StreamingDesign& d, bool& feasible) const {
        const double ms = s_.latencyMs(d, feasible);
        return -s_.model().settings.batch * 1e3 / ms; // -throughput
    }

    template <class T> const T& pick(const std::vector<T>& v) {
        return v[rng_.below(int(v.size()))];
    }

    void transform() {
        const int p = rng_.below(static_cast<int>(d_.partitions.size()));
        const StreamingPartition& part = d_.partitions[p];
        const int node = part.first + rng_.below(part.last - part.first + 1);
        switch (rng_.below(4)) {
        case 0:
            coarse(p, node);
            break;
        case 1:
            if (s_.net().layers[node].kind == HwKind::Conv)
                d_.folding[node].fine = pick(s_.fine(node));
            break;
        case 2: {
            StreamingPartition& q = d_.partitions[p];
            q.weightsReloading = 1;
            q.weightsReloading = pick(s_.reloadingFactors(q, d_.folding));
            s_.repairFolding(q, d_.folding);
            break;
        }
        default:
            partition(p);
        }
    }

    void coarse(int p, int node) {
        const StreamingPartition& part = d_.partitions[p];
        LayerFolding& f = d_.folding[node];
        const bool conv = hasConvFolding(s_.net().layers[node].kind);
        switch (rng_.below(3)) {
        case 0:
            f.coarseIn = pick(s_.coarseInIn(part, node));
            if (!conv)
                f.coarseOut = f.coarseIn;
            break;
        case 1:
            if (s_.net().layers[node].kind == HwKind::Conv)
                f.coarseGroup = pick(s_.coarseGroup(node));
            break;
        default:
            f.coarseOut = pick(s_.coarseOutIn(part, node));
            if (!conv)
                f.coarseIn = f.coarseOut;
        }
    }

    // Split at a random cut inside the partition, or merge it with a neighbour; the new
    // partitions take the largest weights reloading (transforms/partition.py).
    void partition(int p) {
        StreamingPartition part = d_.partitions[p];
        if (rng_.below(2) == 0) {
            std::vector<int> cuts;
            for (int i = part.first; i < part.last; ++i)
                if (s_.validCut(i))
                    cuts.push_back(i);
            if (cuts.empty())
                return;
            const int cut = pick(cuts);
            d_.partitions[p] = {part.first, cut, 1};
            d_.partitions.insert(d_.partitions.begin() + p + 1, {cut + 1, part.last, 1});
            s_.maxReloading(d_, p);
            s_.maxReloading(d_, p + 1);
            return;
        }
        std::vector<int> with;
        if (p > 0)
            with.push_back(p - 1);
        if (p + 1 < static_cast<int>(d_.partitions.size()))
            with.push_back(p + 1);
        if (with.empty())
            return;
        const int a = std::min(p, pick(with));
        d_.partitions[a] = {d_.partitions[a].first, d_.partitions[a + 1].last, 1};
        d_.partitions.erase(d_.partitions.begin() + a + 1);
        s_.maxReloading(d_, a);
    }

    const StreamingSpace& s_;
    SplitMix64 rng_;
    StreamingDesign d_;
};

} // namespace

StreamingDesign annealStreaming(const StreamingSpace& space, const StreamingOptimiserOptions& o,
                                const FoundBest& found) {
    return Annealer(space, o.seed).run(o.control, found);
}

} // namespace codesign
