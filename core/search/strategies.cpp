// The four strategies behind SearchStrategy (docs/search.md, "Strategies").
#include "strategy.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace codesign {

std::optional<StrategyKind> strategyFromName(const std::string& name) {
    if (name == "scd")
        return StrategyKind::Scd;
    if (name == "random")
        return StrategyKind::Random;
    if (name == "anneal")
        return StrategyKind::Anneal;
    if (name == "exhaustive")
        return StrategyKind::Exhaustive;
    return std::nullopt;
}

const char* strategyName(StrategyKind kind) {
    switch (kind) {
    case StrategyKind::Scd:
        return "scd";
    case StrategyKind::Random:
        return "random";
    case StrategyKind::Anneal:
        return "anneal";
    case StrategyKind::Exhaustive:
        return "exhaustive";
    }
    return "?";
}

namespace {

// Shared by the strategies that walk from point to point.
class Walker {
public:
    Walker(const DesignSpace& space, std::uint64_t seed) : space_(space), rng_(seed) {}

    DesignPoint randomPoint() {
        DesignPoint p(space_.dimensions());
        for (std::size_t i = 0; i < p.size(); ++i)
            p[i] = uniform(static_cast<int>(space_.coordinates()[i].values.size()));
        return p;
    }

    // One coordinate, chosen at random, one step up or down (reflected at the ends).
    DesignPoint neighbour(const DesignPoint& from) {
        DesignPoint p = from;
        std::vector<std::size_t> movable;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (space_.coordinates()[i].values.size() > 1)
                movable.push_back(i);
        if (movable.empty())
            return p;
        const std::size_t i =
            movable[static_cast<std::size_t>(uniform(static_cast<int>(movable.size())))];
        const int n = static_cast<int>(space_.coordinates()[i].values.size());
        int step = uniform(2) == 0 ? -1 : 1;
        if (p[i] + step < 0 || p[i] + step >= n)
            step = -step;
        p[i] += step;
        return p;
    }

    int uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

private:
    const DesignSpace& space_;
    std::mt19937_64 rng_;
};

// Stochastic coordinate descent (seed step 3): from the project's own point, move one
// random coordinate one step; keep the move when the objective does not get worse;
// restart at a random point after `patience` steps without improvement.
class Scd : public SearchStrategy {
public:
    Scd(const DesignSpace& space, const StrategyOptions& o)
        : space_(space), walk_(space, o.seed),
          patience_(o.patience > 0 ? o.patience : 4 * static_cast<int>(space.dimensions())) {}

    std::vector<DesignPoint> propose(std::size_t count) override {
        if (!current_)
            return {space_.basePoint()};
        if (restart_)
            return {walk_.randomPoint()};
        std::vector<DesignPoint> moves;
        for (std::size_t k = 0; k < count; ++k)
            moves.push_back(walk_.neighbour(*current_));
        return moves;
    }

    void observe(const std::vector<const EvaluatedPoint*>& results) override {
        const EvaluatedPoint* best = nullptr;
        for (const EvaluatedPoint* r : results)
            if (!best || r->objective > best->objective)
                best = r;
        if (!best)
            return;
        if (!current_ || restart_) {
            current_ = best->point;
            value_ = best->objective;
            restart_ = false;
            stalled_ = 0;
            return;
        }
        if (best->objective > value_) {
            stalled_ = 0;
        } else {
            ++stalled_;
        }
        if (best->objective >= value_) {
            current_ = best->point;
            value_ = best->objective;
        }
        if (stalled_ >= patience_)
            restart_ = true;
    }

private:
    const DesignSpace& space_;
    Walker walk_;
    int patience_;
    std::optional<DesignPoint> current_;
    double value_ = 0;
    int stalled_ = 0;
    bool restart_ = false;
};

class RandomSearch : public SearchStrategy {
public:
    RandomSearch(const DesignSpace& space, const StrategyOptions& o) : walk_(space, o.seed) {}
    std::vector<DesignPoint> propose(std::size_t count) override {
        std::vector<DesignPoint> points;
        for (std::size_t k = 0; k < count; ++k)
            points.push_back(walk_.randomPoint());
        return points;
    }
    void observe(const std::vector<const EvaluatedPoint*>&) override {}

private:
    Walker walk_;
};

// Simulated annealing with fpgaConvNet's acceptance rule and geometric cooling. Once cold
// it stays at a local optimum and proposes only designs it has seen; after `patience` such
// steps in a row it reheats (T back to the start) from a random point, so the budget is
// spent on new designs.
class Annealing : public SearchStrategy {
public:
    Annealing(const DesignSpace& space, const StrategyOptions& o)
        : space_(space), walk_(space, o.seed), initialTemperature_(o.initialTemperature),
          temperature_(o.initialTemperature), cooling_(o.cooling), boltzmann_(o.boltzmann),
          patience_(o.patience > 0 ? o.patience : 4 * static_cast<int>(space.dimensions())) {}

    std::vector<DesignPoint> propose(std::size_t) override {
        if (!current_)
            return {space_.basePoint()};
        if (reheat_)
            return {walk_.randomPoint()};
        return {walk_.neighbour(*current_)};
    }

    void observe(const std::vector<const EvaluatedPoint*>& results) override {
        if (results.empty())
            return;
        const EvaluatedPoint* r = results.front();
        const bool fresh = r->id > newestId_;
        newestId_ = std::max(newestId_, r->id);
        if (!current_ || reheat_) {
            current_ = r->point;
            value_ = r->objective;
            temperature_ = initialTemperature_;
            reheat_ = false;
            seenInARow_ = 0;
            return;
        }
        const double cost = -value_;
        const double newCost = -r->objective;
        const bool accept = newCost <= cost ||
                            walk_.unit() < std::exp((cost - newCost) /
                                                    (boltzmann_ * std::max(temperature_, 1e-12)));
        if (accept) {
            current_ = r->point;
            value_ = r->objective;
        }
        temperature_ *= cooling_;
        seenInARow_ = fresh ? 0 : seenInARow_ + 1;
        if (seenInARow_ >= patience_)
            reheat_ = true;
    }

private:
    const DesignSpace& space_;
    Walker walk_;
    double initialTemperature_;
    double temperature_;
    double cooling_;
    double boltzmann_;
    int patience_;
    std::optional<DesignPoint> current_;
    double value_ = 0;
    int newestId_ = -1;
    int seenInARow_ = 0;
    bool reheat_ = false;
};

class Exhaustive : public SearchStrategy {
public:
    explicit Exhaustive(const DesignSpace& space) : space_(space) {}
    std::vector<DesignPoint> propose(std::size_t count) override {
        std::vector<DesignPoint> points;
        while (points.size() < count && next_ < space_.size())
            points.push_back(space_.pointAt(next_++));
        return points;
    }
    void observe(const std::vector<const EvaluatedPoint*>&) override {}

private:
    const DesignSpace& space_;
    std::uint64_t next_ = 0;
};

} // namespace

std::unique_ptr<SearchStrategy> makeStrategy(StrategyKind kind, const DesignSpace& space,
                                             const StrategyOptions& options) {
    switch (kind) {
    case StrategyKind::Scd:
        return std::make_unique<Scd>(space, options);
    case StrategyKind::Random:
        return std::make_unique<RandomSearch>(space, options);
    case StrategyKind::Anneal:
        return std::make_unique<Annealing>(space, options);
    case StrategyKind::Exhaustive:
        return std::make_unique<Exhaustive>(space);
    }
    return nullptr;
}

} // namespace codesign
