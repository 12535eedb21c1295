#include "low_rank_schemes.h"

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>

namespace codesign::transform {

namespace {

std::size_t at(int a, int b, int c, int d, int nb, int nc, int nd) {
    return ((std::size_t(a) * std::size_t(nb) + std::size_t(b)) * std::size_t(nc) +
            std::size_t(c)) *
               std::size_t(nd) +
           std::size_t(d);
}

// Matrix g of the unfolding: entry (r, c) is the weight W[f][ch][kh][kw] it holds. (Only
// matrix g's slice is read: s3 has a matrix per input channel.)
Eigen::MatrixXd unfold(Scheme s, const Node& n, const std::vector<float>& w, int g) {
    const int F = n.out.c, C = n.in.c, Kh = n.kernelH, Kw = n.kernelW;
    const Unfolding u = unfoldingOf(s, n);
    Eigen::MatrixXd m(u.rows, u.cols);
    const int f0 = s == Scheme::S0 ? g : 0, f1 = s == Scheme::S0 ? g + 1 : F;
    const int c0 = s == Scheme::S3 ? g : 0, c1 = s == Scheme::S3 ? g + 1 : C;
    for (int f = f0; f < f1; ++f)
        for (int c = c0; c < c1; ++c)
            for (int kh = 0; kh < Kh; ++kh)
                for (int kw = 0; kw < Kw; ++kw) {
                    const double v = double(w[at(f, c, kh, kw, C, Kh, Kw)]);
                    switch (s) {
                    case Scheme::S0:
                        m(c, kh * Kw + kw) = v;
                        break;
                    case Scheme::S1:
                        m(f, (c * Kh + kh) * Kw + kw) = v;
                        break;
                    case Scheme::S2:
                        m(f * Kh + kh, c * Kw + kw) = v;
                        break;
                    case Scheme::S3:
                        m(f, kh * Kw + kw) = v;
                        break;
                    }
                }
    return m;
}

// Places the rank-`rank` factors of matrix g, A = sqrt(S) V^T (rank x cols) and
// B = U sqrt(S) (rows x rank), into the two layers' weights.
void place(Scheme s, const Node& n, int g, int rank, const Eigen::MatrixXd& a,
           const Eigen::MatrixXd& b, SchemeFactors& out) {
    const int F = n.out.c, C = n.in.c, Kh = n.kernelH, Kw = n.kernelW;
    switch (s) {
    case Scheme::S0: // first [F*rank][C], second [F][rank][Kh][Kw]; b: C x rank, a: rank x KK
        for (int k = 0; k < rank; ++k) {
            for (int c = 0; c < C; ++c)
                out.first[std::size_t(g * rank + k) * std::size_t(C) + std::size_t(c)] =
                    float(b(c, k));
            for (int kk = 0; kk < Kh * Kw; ++kk)
                out.second[(std::size_t(g) * std::size_t(rank) + std::size_t(k)) *
                               std::size_t(Kh * Kw) +
                           std::size_t(kk)] = float(a(k, kk));
        }
        break;
    case Scheme::S1: // first [rank][C][Kh][Kw], second [F][rank]
        for (int k = 0; k < rank; ++k) {
            for (int c = 0; c < a.cols(); ++c)
                out.first[std::size_t(k) * std::size_t(a.cols()) + std::size_t(c)] = float(a(k, c));
            for (int f = 0; f < F; ++f)
                out.second[std::size_t(f) * std::size_t(rank) + std::size_t(k)] = float(b(f, k));
        }
        break;
    case Scheme::S2: // first [rank][C][1][Kw], second [F][rank][Kh][1]
        for (int k = 0; k < rank; ++k) {
            for (int c = 0; c < a.cols(); ++c)
                out.first[std::size_t(k) * std::size_t(a.cols()) + std::size_t(c)] = float(a(k, c));
            for (int f = 0; f < F; ++f)
                for (int kh = 0; kh < Kh; ++kh)
                    out.second[at(f, k, kh, 0, rank, Kh, 1)] = float(b(f * Kh + kh, k));
        }
        break;
    case Scheme::S3: // first [C*rank][1][Kh][Kw], second [F][C*rank]
        for (int k = 0; k < rank; ++k) {
            for (int kk = 0; kk < Kh * Kw; ++kk)
                out.first[(std::size_t(g) * std::size_t(rank) + std::size_t(k)) *
                              std::size_t(Kh * Kw) +
                          std::size_t(kk)] = float(a(k, kk));
            for (int f = 0; f < F; ++f)
                out.second[std::size_t(f) * std::size_t(C * rank) + std::size_t(g * rank + k)] =
                    float(b(f, k));
        }
        break;
    }
}

} // namespace

const char* schemeName(Scheme s) {
    switch (s) {
    case Scheme::S0:
        return "s0";
    case Scheme::S1:
        return "s1";
    case Scheme::S2:
        return "s2";
    case Scheme::S3:
        return "s3";
    }
    return "s1";
}

bool parseScheme(const std::string& text, Scheme& out) {
    for (Scheme s : kSchemes)
        if (text == schemeName(s)) {
            out = s;
            return true;
        }
    return false;
}

std::string schemeRefusal(Scheme scheme, const Node& n) {
    const bool spatial = n.kernelH * n.kernelW > 1;
    if (scheme != Scheme::S1 && !spatial)
        return std::string(schemeName(scheme)) +
               " splits the kernel window, and a 1x1 layer has none (s1 decomposes it)";
    if (scheme == Scheme::S2 && n.stride != 1)
        return "s2 needs stride 1: its 1 x Kw and Kh x 1 layers would need strides of their "
               "own per axis";
    return {};
}

Unfolding unfoldingOf(Scheme s, const Node& n) {
    const int F = n.out.c, C = n.in.c, Kh = n.kernelH, Kw = n.kernelW;
    switch (s) {
    case Scheme::S0:
        return {F, C, Kh * Kw};
    case Scheme::S1:
        return {1, F, C * Kh * Kw};
    case Scheme::S2:
        return {1, F * Kh, C * Kw};
    case Scheme::S3:
        return {C, F, Kh * Kw};
    }
    return {};
}

std::int64_t schemeMacs(Scheme s, const Node& n, int rank) {
    const std::int64_t F = n.out.c, C = n.in.c, Kh = n.kernelH, Kw = n.kernelW;
    const std::int64_t out = std::int64_t(n.out.h) * n.out.w, r = rank;
    switch (s) {
    case Scheme::S0: // the 1x1 layer runs on every input pixel
        return std::int64_t(n.in.h) * n.in.w * F * r * C + out * F * r * Kh * Kw;
    case Scheme::S1:
        return out * r * (C * Kh * Kw + F);
    case Scheme::S2: // the 1 x Kw layer keeps the input's rows (no vertical padding yet)
        return std::int64_t(n.in.h) * n.out.w * r * C * Kw + out * F * r * Kh;
    case Scheme::S3:
        return out * C * r * (Kh * Kw + F);
    }
    return 0;
}

int schemeRankForBudget(Scheme s, const Node& n, double budget) {
    const int most = unfoldingOf(s, n).maxRank();
    const std::int64_t perRank = schemeMacs(s, n, 1);
    const int r = perRank > 0 ? int(std::floor(budget * double(n.macs) / double(perRank))) : 1;
    return std::clamp(r, 1, std::max(1, most));
}

double tailError(const std::vector<std::vector<double>>& singularValues, int rank) {
    double all = 0, tail = 0;
    for (const std::vector<double>& s : singularValues)
        for (std::size_t i = 0; i < s.size(); ++i) {
            all += s[i] * s[i];
            if (int(i) >= rank)
                tail += s[i] * s[i];
        }
    return all > 0 ? std::sqrt(tail / all) : 0.0;
}

std::vector<std::vector<double>> schemeSingularValues(Scheme s, const Node& n,
                                                      const std::vector<float>& weights) {
    std::vector<std::vector<double>> out;
    for (int g = 0; g < unfoldingOf(s, n).groups; ++g) {
        Eigen::BDCSVD<Eigen::MatrixXd> svd(unfold(s, n, weights, g));
        const Eigen::VectorXd& sv = svd.singularValues();
        out.emplace_back(sv.data(), sv.data() + sv.size());
    }
    return out;
}

std::vector<std::vector<double>>
schemeComponentTerms(Scheme s, const Node& n, const std::vector<float>& weights,
                     const std::vector<std::vector<float>>& gradients) {
    const Unfolding u = unfoldingOf(s, n);
    std::vector<std::vector<double>> terms(gradients.size(),
                                           std::vector<double>(std::size_t(u.maxRank()), 0.0));
    for (int g = 0; g < u.groups; ++g) {
        Eigen::BDCSVD<Eigen::MatrixXd> svd(unfold(s, n, weights, g),
                                           Eigen::ComputeThinU | Eigen::ComputeThinV);
        const Eigen::VectorXd& sv = svd.singularValues();
        for (std::size_t b = 0; b < gradients.size(); ++b) {
            const Eigen::MatrixXd grad = unfold(s, n, gradients[b], g);
            for (int i = 0; i < u.maxRank(); ++i)
                terms[b][std::size_t(i)] +=
                    sv(i) * svd.matrixU().col(i).dot(grad * svd.matrixV().col(i));
        }
    }
    return terms;
}

SchemeFactors factorizeScheme(Scheme s, const Node& n, const std::vector<float>& weights,
                              int rank) {
    const Unfolding u = unfoldingOf(s, n);
    SchemeFactors out;
    out.first.assign(std::size_t(u.groups) * std::size_t(rank) * std::size_t(u.cols), 0.f);
    if (s == Scheme::S0)
        out.first.assign(std::size_t(u.groups) * std::size_t(rank) * std::size_t(u.rows), 0.f);
    out.second.assign(std::size_t(n.out.c) * std::size_t(rank) *
                          std::size_t(s == Scheme::S3 ? n.in.c : 1) *
                          std::size_t(s == Scheme::S0   ? n.kernelH * n.kernelW
                                      : s == Scheme::S2 ? n.kernelH
                                                        : 1),
                      0.f);
    for (int g = 0; g < u.groups; ++g) {
        const Eigen::MatrixXd m = unfold(s, n, weights, g);
        Eigen::BDCSVD<Eigen::MatrixXd> svd(m, Eigen::ComputeThinU | Eigen::ComputeThinV);
        const Eigen::VectorXd& sv = svd.singularValues();
        out.singularValues.emplace_back(sv.data(), sv.data() + sv.size());
        // The square root of each singular value on either side keeps the factors' ranges
        // alike (both go to fixed point).
        Eigen::MatrixXd a(rank, u.cols), b(u.rows, rank);
        for (int k = 0; k < rank; ++k) {
            const double root = std::sqrt(sv(k));
            a.row(k) = root * svd.matrixV().col(k).transpose();
            b.col(k) = root * svd.matrixU().col(k);
        }
        place(s, n, g, rank, a, b, out);
    }
    out.error = tailError(out.singularValues, rank);
    return out;
}

} // namespace codesign::transform
