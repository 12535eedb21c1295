#pragma once

// The decomposition schemes of SVD-NAS / StreamSVD (seed 002; docs/transforms.md): how a
// conv's F x C x Kh x Kw weights are unfolded into matrices, and the two layers their
// truncated SVD gives. The rank is per matrix (per group for s0 and s3).
//   s0: F matrices C x KhKw     -> 1x1 conv to F*rank, then Kh x Kw conv in F groups to F
//   s1: one matrix F x C*Kh*Kw  -> Kh x Kw conv to rank, then 1x1 conv to F
//   s2: one matrix F*Kh x C*Kw  -> 1 x Kw conv to rank, then Kh x 1 conv to F (stride 1)
//   s3: C matrices F x KhKw     -> Kh x Kw conv in C groups to C*rank, then 1x1 conv to F
#include "core/model/graph.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign::transform {

enum class Scheme { S0, S1, S2, S3 };
inline constexpr Scheme kSchemes[] = {Scheme::S0, Scheme::S1, Scheme::S2, Scheme::S3};

const char* schemeName(Scheme s); // "s0" ...
bool parseScheme(const std::string& text, Scheme& out);

// Why `scheme` cannot decompose `n` ("" when it can).
std::string schemeRefusal(Scheme scheme, const Node& n);

struct Unfolding {
    int groups = 1; // matrices
    int rows = 0;
    int cols = 0;
    int maxRank() const { return rows < cols ? rows : cols; }
};
Unfolding unfoldingOf(Scheme scheme, const Node& n);

// The MACs of the two layers at `rank`.
std::int64_t schemeMacs(Scheme scheme, const Node& n, int rank);

// The largest rank whose two layers cost at most `budget` of the layer's MACs (at least 1,
// at most the unfolding's rank).
int schemeRankForBudget(Scheme scheme, const Node& n, double budget);

struct SchemeFactors {
    std::vector<float> first;  // the first layer's weights, [out][in/groups][kh][kw]
    std::vector<float> second; // the second's
    std::vector<std::vector<double>> singularValues; // per matrix, largest first
    double error = 0; // ||W - W_rank||_F / ||W||_F, from the singular values' tails
};

// `weights`: n's F x C x Kh x Kw weights; 1 <= rank <= unfoldingOf(...).maxRank().
SchemeFactors factorizeScheme(Scheme scheme, const Node& n, const std::vector<float>& weights,
                              int rank);

// The singular values of each matrix of the unfolding (no factors).
std::vector<std::vector<double>> schemeSingularValues(Scheme scheme, const Node& n,
                                                      const std::vector<float>& weights);

// The first-order Taylor terms of the dropped components (taylor_ranks.h): for each
// gradient g (one per batch, in the weights' F x C x Kh x Kw layout) and each component
// index i < the unfolding's rank, p[b][i] = sum over matrices m of
// sigma_{m,i} u_{m,i}^T G_{b,m} v_{m,i}, G_{b,m} the gradient unfolded as the weights are.
// Then <g_b, W - W_r> = sum of p[b][i] for i >= r (an unfolding only permutes entries).
std::vector<std::vector<double>>
schemeComponentTerms(Scheme scheme, const Node& n, const std::vector<float>& weights,
                     const std::vector<std::vector<float>>& gradients);

// sqrt(sum over matrices of the squared singular values from `rank` on / sum of all).
double tailError(const std::vector<std::vector<double>>& singularValues, int rank);

} // namespace codesign::transform
