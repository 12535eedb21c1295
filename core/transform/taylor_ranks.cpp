#include "taylor_ranks.h"

#include <cmath>
#include <limits>

namespace codesign::transform {

std::vector<double> taylorImportance(const std::vector<std::vector<double>>& terms) {
    const std::size_t ranks = terms.empty() ? 0 : terms.front().size();
    std::vector<double> importance(ranks, 0.0);
    for (const std::vector<double>& p : terms) {
        double tail = 0; // sum of p[i] for i >= r, built from the last component down
        for (std::size_t r = ranks; r-- > 1;) {
            tail += p[r];
            importance[r - 1] += std::fabs(tail);
        }
    }
    return importance;
}

std::vector<double> layerTaylorImportance(Scheme scheme, const Node& n,
                                          const std::vector<float>& weights,
                                          const std::vector<std::vector<float>>& gradients) {
    return taylorImportance(schemeComponentTerms(scheme, n, weights, gradients));
}

namespace {

// The largest rank cheaper than the layer (0: none).
int topRank(const RankCandidates& c) {
    int top = 0;
    for (std::size_t r = 0; r < c.macs.size(); ++r)
        if (c.macs[r] < c.macsBefore)
            top = int(r) + 1;
    return top;
}

std::int64_t macsAt(const RankCandidates& c, int rank) {
    return rank == 0 ? c.macsBefore : c.macs[std::size_t(rank - 1)];
}

double importanceAt(const RankCandidates& c, int rank) {
    return rank == 0 ? 0.0 : c.importance[std::size_t(rank - 1)];
}

// The rank one step down from `rank` (0 is whole); -1: none.
int nextRank(const RankCandidates& c, int rank) {
    if (rank == 0)
        return topRank(c) > 0 ? topRank(c) : -1;
    return rank > 1 ? rank - 1 : -1;
}

} // namespace

std::vector<int> chooseRanksGreedy(const std::vector<RankCandidates>& layers,
                                   std::int64_t budgetMacs) {
    std::vector<int> rank(layers.size(), 0);
    std::int64_t total = 0;
    for (const RankCandidates& c : layers)
        total += c.macsBefore;
    while (total > budgetMacs) {
        std::size_t best = layers.size();
        double bestRatio = std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < layers.size(); ++k) {
            const int next = nextRank(layers[k], rank[k]);
            if (next < 0)
                continue;
            const double lost = importanceAt(layers[k], next) - importanceAt(layers[k], rank[k]);
            const auto saved = double(macsAt(layers[k], rank[k]) - macsAt(layers[k], next));
            const double ratio = lost / saved;
            if (best == layers.size() || ratio < bestRatio) {
                best = k;
                bestRatio = ratio;
            }
        }
        if (best == layers.size())
            break;
        const int next = nextRank(layers[best], rank[best]);
        total -= macsAt(layers[best], rank[best]) - macsAt(layers[best], next);
        rank[best] = next;
    }
    return rank;
}

} // namespace codesign::transform
