#include "nsga2.h"

#include "nsga2_ranking.h"
#include "walker.h"

#include <algorithm>
#include <deque>
#include <set>

namespace codesign {
namespace {

// A child equal to a design of the population or of its own generation is mutated again,
// up to this many times.
constexpr int kDuplicateRetries = 8;
// Generations the default population size aims at.
constexpr int kGenerations = 50;

RankedMember memberOf(const EvaluatedPoint& p) {
    RankedMember m;
    m.id = p.id;
    m.objectives = p.objectives();
    m.feasible = p.feasible;
    m.violation = p.feasible ? 0 : -1 - p.objective; // invalid networks: 999
    return m;
}

class Nsga2 : public SearchStrategy {
public:
    Nsga2(const DesignSpace& space, const StrategyOptions& o)
        : space_(space), walk_(space, o.seed), size_(populationSize(o)), crossover_(o.crossover) {}

    std::vector<DesignPoint> propose(std::size_t count) override {
        if (pending_.empty() && awaiting_ == 0)
            breed();
        std::vector<DesignPoint> out;
        while (out.size() < count && !pending_.empty()) {
            out.push_back(std::move(pending_.front()));
            pending_.pop_front();
        }
        awaiting_ += out.size();
        return out;
    }

    void observe(const std::vector<const EvaluatedPoint*>& results) override {
        for (const EvaluatedPoint* r : results) {
            children_.push_back({memberOf(*r), r->point});
            --awaiting_;
        }
        if (pending_.empty() && awaiting_ == 0)
            select();
    }

private:
    struct Member {
        RankedMember ranked;
        DesignPoint point;
    };

    // About 50 generations of the budget, within 20 and 100 designs: on the benchmark
    // space 40 to 100 give the same hypervolume (docs/search.md, "Fronts").
    static std::size_t populationSize(const StrategyOptions& o) {
        const int size = o.population > 0 ? std::max(o.population, 2)
                                          : std::clamp(o.budget / kGenerations, 20, 100);
        return static_cast<std::size_t>(size);
    }

    // The next generation's designs: the first is the project's own point and random ones;
    // later ones children of tournament winners.
    void breed() {
        std::set<DesignPoint> taken;
        for (const Member& m : population_)
            taken.insert(m.point);
        if (population_.empty()) {
            pending_.push_back(space_.basePoint());
            taken.insert(space_.basePoint());
            for (int tries = 0; pending_.size() < size_ && tries < 20 * int(size_); ++tries)
                if (DesignPoint p = walk_.randomPoint(); taken.insert(p).second)
                    pending_.push_back(std::move(p));
            return;
        }
        while (pending_.size() < size_) {
            DesignPoint a = tournament().point;
            DesignPoint b = tournament().point;
            if (walk_.unit() < crossover_)
                uniformCrossover(a, b);
            for (DesignPoint* child : {&a, &b}) {
                mutate(*child);
                for (int k = 0; k < kDuplicateRetries && taken.count(*child); ++k)
                    mutate(*child);
                if (pending_.size() < size_) {
                    taken.insert(*child);
                    pending_.push_back(*child);
                }
            }
        }
    }

    const Member& tournament() {
        const Member& a = population_[pick()];
        const Member& b = population_[pick()];
        return crowdedBetter(b.ranked, a.ranked) ? b : a;
    }
    std::size_t pick() {
        return static_cast<std::size_t>(walk_.uniform(static_cast<int>(population_.size())));
    }

    void uniformCrossover(DesignPoint& a, DesignPoint& b) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (walk_.uniform(2) == 1)
                std::swap(a[i], b[i]);
    }

    // Each coordinate with probability 1/dimensions: one step up or down, or (as often) a
    // new value drawn uniformly; at least one coordinate changes.
    void mutate(DesignPoint& p) {
        const std::size_t d = p.size();
        bool changed = false;
        for (std::size_t i = 0; i < d; ++i)
            if (walk_.unit() * static_cast<double>(d) < 1.0)
                changed |= mutateCoordinate(p, i);
        if (!changed)
            mutateCoordinate(p, static_cast<std::size_t>(walk_.uniform(static_cast<int>(d))));
    }

    bool mutateCoordinate(DesignPoint& p, std::size_t i) {
        const int n = walk_.valueCount(i);
        if (n < 2)
            return false;
        if (walk_.uniform(2) == 0) {
            int step = walk_.uniform(2) == 0 ? -1 : 1;
            if (p[i] + step < 0 || p[i] + step >= n)
                step = -step;
            p[i] += step;
        } else {
            const int v = walk_.uniform(n - 1);
            p[i] = v >= p[i] ? v + 1 : v;
        }
        return true;
    }

    // Environmental selection: parents and children (each design once), whole fronts in
    // rank order, the last one cut by crowding distance.
    void select() {
        std::vector<Member> all;
        std::set<int> ids;
        for (auto* group : {&population_, &children_})
            for (Member& m : *group)
                if (ids.insert(m.ranked.id).second)
                    all.push_back(std::move(m));
        children_.clear();
        std::vector<RankedMember> ranked;
        for (const Member& m : all)
            ranked.push_back(m.ranked);
        const auto fronts = rankAndCrowd(ranked);
        population_.clear();
        for (const auto& front : fronts) {
            std::vector<std::size_t> order = front;
            if (population_.size() + order.size() > size_)
                std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                    if (ranked[a].crowding != ranked[b].crowding)
                        return ranked[a].crowding > ranked[b].crowding;
                    return ranked[a].id < ranked[b].id;
                });
            for (std::size_t i : order) {
                if (population_.size() == size_)
                    break;
                population_.push_back({ranked[i], std::move(all[i].point)});
            }
        }
    }

    const DesignSpace& space_;
    Walker walk_;
    std::size_t size_;
    double crossover_;
    std::vector<Member> population_;
    std::vector<Member> children_;
    std::deque<DesignPoint> pending_;
    std::size_t awaiting_ = 0;
};

} // namespace

std::unique_ptr<SearchStrategy> makeNsga2(const DesignSpace& space,
                                          const StrategyOptions& options) {
    return std::make_unique<Nsga2>(space, options);
}

} // namespace codesign
