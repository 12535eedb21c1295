#pragma once

// Deterministic pseudo-random numbers and string hashing that give the same values on every
// platform and standard library (no <random> distributions): seeded weights, the testbench
// input, synthetic data, training splits and shuffles all depend on them being stable.
#include <cmath>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace codesign {

// splitmix64 (Steele, Lea, Flood 2014).
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform() { return std::ldexp(static_cast<double>(next() >> 11), -53); } // [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    template <class T> void shuffle(std::vector<T>& v) { // Fisher-Yates
        for (std::size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[next() % i]);
    }

private:
    std::uint64_t state_;
};

// FNV-1a, 64 bits.
inline std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

} // namespace codesign
