#pragma once

#include "design_space.h"

#include <cstdint>
#include <random>

namespace codesign {

// Random moves through a design space, shared by the strategies that walk from point to
// point. Deterministic for a seed.
class Walker {
public:
    Walker(const DesignSpace& space, std::uint64_t seed) : space_(space), rng_(seed) {}

    DesignPoint randomPoint() {
        DesignPoint p(space_.dimensions());
        for (std::size_t i = 0; i < p.size(); ++i)
            p[i] = uniform(valueCount(i));
        return p;
    }

    // One coordinate, chosen at random, one step up or down (reflected at the ends).
    DesignPoint neighbour(const DesignPoint& from) {
        DesignPoint p = from;
        std::vector<std::size_t> movable;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (valueCount(i) > 1)
                movable.push_back(i);
        if (movable.empty())
            return p;
        const std::size_t i =
            movable[static_cast<std::size_t>(uniform(static_cast<int>(movable.size())))];
        const int n = valueCount(i);
        int step = uniform(2) == 0 ? -1 : 1;
        if (p[i] + step < 0 || p[i] + step >= n)
            step = -step;
        p[i] += step;
        return p;
    }

    int valueCount(std::size_t coordinate) const {
        return static_cast<int>(space_.coordinates()[coordinate].values.size());
    }
    int uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
    double unit() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng_); }

private:
    const DesignSpace& space_;
    std::mt19937_64 rng_;
};

} // namespace codesign
