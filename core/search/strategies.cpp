// The strategies behind SearchStrategy (docs/search.md, "Strategies").
#include "nsga2.h"
#include "scd_front.h"
#include "scd_walk.h"
#include "strategy.h"
#include "walker.h"

#include <algorithm>
#include <cmath>

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
    if (name == "nsga2")
        return StrategyKind::Nsga2;
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
    case StrategyKind::Nsga2:
        return "nsga2";
    }
    return "?";
}

int walkPatience(const DesignSpace& space, const StrategyOptions& options) {
    return options.patience > 0 ? options.patience : 4 * static_cast<int>(space.dimensions());
}

namespace {

// Stochastic coordinate descent (seed step 3) at the run's constraints, from the project's
// own point, restarting at a random point after `patience` steps without improvement.
class Scd : public SearchStrategy {
public:
    Scd(const DesignSpace& space, const StrategyOptions& o)
        : walk_(space, o.seed), scd_(walk_, walkPatience(space, o), objectiveOf) {
        scd_.startAt(space.basePoint(), objectiveOf);
    }
    std::vector<DesignPoint> propose(std::size_t count) override { return scd_.propose(count); }
    void observe(const std::vector<const EvaluatedPoint*>& results) override {
        scd_.observe(results);
    }

private:
    static double objectiveOf(const EvaluatedPoint& p) { return p.objective; }
    Walker walk_;
    ScdWalk scd_;
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
          patience_(walkPatience(space, o)) {}

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
        if (options.front)
            return makeScdFront(space, options);
        return std::make_unique<Scd>(space, options);
    case StrategyKind::Random:
        return std::make_unique<RandomSearch>(space, options);
    case StrategyKind::Anneal:
        return std::make_unique<Annealing>(space, options);
    case StrategyKind::Exhaustive:
        return std::make_unique<Exhaustive>(space);
    case StrategyKind::Nsga2:
        return makeNsga2(space, options);
    }
    return nullptr;
}

} // namespace codesign
