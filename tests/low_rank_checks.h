#pragma once

// Checks of a low-rank transform's result shared by test_transform and test_onnx_models:
// the written factors reproduce the weights with the error the singular values' tail
// gives (computed here by another SVD, Eigen's JacobiSVD), and each layer's MACs are the
// transformed graph's.
#include "core/transform/low_rank.h"

#include <Eigen/SVD>
#include <QtTest>
#include <cmath>

namespace codesign::testing {

// The scheme's matrices of the weights W[f][c][kh][kw] (docs/transforms.md), built here
// apart from the transform's code.
inline std::vector<Eigen::MatrixXd> unfoldingsOf(const std::string& scheme, const Node& n,
                                                 const std::vector<float>& w) {
    const int F = n.out.c, C = n.in.c, Kh = n.kernelH, Kw = n.kernelW;
    const auto W = [&](int f, int c, int kh, int kw) {
        return double(w[std::size_t(((f * C + c) * Kh + kh) * Kw + kw)]);
    };
    std::vector<Eigen::MatrixXd> out;
    if (scheme == "s1" || scheme == "s2") {
        const bool s2 = scheme == "s2";
        Eigen::MatrixXd m(s2 ? F * Kh : F, s2 ? C * Kw : C * Kh * Kw);
        for (int f = 0; f < F; ++f)
            for (int c = 0; c < C; ++c)
                for (int kh = 0; kh < Kh; ++kh)
                    for (int kw = 0; kw < Kw; ++kw) {
                        if (s2)
                            m(f * Kh + kh, c * Kw + kw) = W(f, c, kh, kw);
                        else
                            m(f, (c * Kh + kh) * Kw + kw) = W(f, c, kh, kw);
                    }
        out.push_back(m);
    } else if (scheme == "s0") {
        for (int f = 0; f < F; ++f) {
            Eigen::MatrixXd m(C, Kh * Kw);
            for (int c = 0; c < C; ++c)
                for (int k = 0; k < Kh * Kw; ++k)
                    m(c, k) = W(f, c, k / Kw, k % Kw);
            out.push_back(m);
        }
    } else {
        for (int c = 0; c < C; ++c) {
            Eigen::MatrixXd m(F, Kh * Kw);
            for (int f = 0; f < F; ++f)
                for (int k = 0; k < Kh * Kw; ++k)
                    m(f, k) = W(f, c, k / Kw, k % Kw);
            out.push_back(m);
        }
    }
    return out;
}

// The weights the two written layers compute together, as convolutions compose.
inline std::vector<double> composedWeights(const std::string& scheme, const Node& n, int r,
                                           const std::vector<float>& a,
                                           const std::vector<float>& b) {
    const int F = n.out.c, C = n.in.c, Kh = n.kernelH, Kw = n.kernelW;
    std::vector<double> w(std::size_t(F) * std::size_t(C) * std::size_t(Kh * Kw), 0.0);
    for (int f = 0; f < F; ++f)
        for (int c = 0; c < C; ++c)
            for (int kh = 0; kh < Kh; ++kh)
                for (int kw = 0; kw < Kw; ++kw) {
                    double sum = 0;
                    for (int k = 0; k < r; ++k) {
                        const auto A = [&](std::size_t i) {
                            return double(a[i]);
                        };
                        const auto B = [&](std::size_t i) {
                            return double(b[i]);
                        };
                        if (scheme == "s1")
                            sum += B(std::size_t(f * r + k)) *
                                   A(std::size_t(((k * C + c) * Kh + kh) * Kw + kw));
                        else if (scheme == "s2")
                            sum += B(std::size_t((f * r + k) * Kh + kh)) *
                                   A(std::size_t((k * C + c) * Kw + kw));
                        else if (scheme == "s3")
                            sum += B(std::size_t(f * C * r + c * r + k)) *
                                   A(std::size_t((c * r + k) * Kh * Kw + kh * Kw + kw));
                        else // s0
                            sum += B(std::size_t((f * r + k) * Kh * Kw + kh * Kw + kw)) *
                                   A(std::size_t((f * r + k) * C + c));
                    }
                    w[std::size_t(((f * C + c) * Kh + kh) * Kw + kw)] = sum;
                }
    return w;
}

inline void checkLowRank(const Graph& before, const reference::WeightSet& weights,
                         const transform::LowRankResult& result, int& decomposed) {
    decomposed = 0;
    Result<Graph> after = buildGraph(result.project);
    QVERIFY2(after.ok(), after.ok() ? "" : after.error().format().c_str());
    QVERIFY(reference::checkWeightsFit(result.weights, *after).ok());
    QCOMPARE(result.macsAfter, after->totalMacs);
    std::int64_t saved = 0;
    for (const transform::LowRankLayer& l : result.layers) {
        const int i = before.findNode(l.name);
        QVERIFY(i >= 0);
        const Node& n = before.nodes[std::size_t(i)];
        QCOMPARE(l.macsBefore, n.macs);
        if (l.outcome == transform::LayerOutcome::Reverted) {
            QVERIFY(l.macsAfter == l.macsBefore);
            continue;
        }
        ++decomposed;
        saved += l.macsBefore - l.macsAfter;
        const reference::LayerWeights* w = weights.find(n.name);
        QVERIFY(w);
        double all = 0, tail = 0;
        for (const Eigen::MatrixXd& m : unfoldingsOf(l.scheme, n, w->weights)) {
            Eigen::JacobiSVD<Eigen::MatrixXd> svd(m);
            const Eigen::VectorXd s = svd.singularValues();
            for (int k = 0; k < s.size(); ++k) {
                all += s(k) * s(k);
                tail += k >= l.rank ? s(k) * s(k) : 0.0;
            }
        }
        const double expected = std::sqrt(tail / all);
        // The reported error, and the error of the factors as written (float32).
        QVERIFY2(std::fabs(l.error - expected) <= 1e-5 * expected + 1e-9,
                 qPrintable(QString::fromStdString(l.name)));
        // The two layers that replaced it.
        const int j = after->findNode(l.first);
        QVERIFY(j >= 0 && std::size_t(j) + 1 < after->nodes.size());
        QCOMPARE(after->nodes[std::size_t(j) + 1].name, l.second);
        QVERIFY(after->nodes[std::size_t(j)].in == n.in);
        QVERIFY(after->nodes[std::size_t(j) + 1].out == n.out);
        const Node& a = after->nodes[std::size_t(j)];
        const Node& b = after->nodes[std::size_t(j) + 1];
        QCOMPARE(a.macs + b.macs, l.macsAfter);
        const reference::LayerWeights* fa = result.weights.find(a.name);
        const reference::LayerWeights* fb = result.weights.find(b.name);
        QVERIFY(fa && fb);
        QCOMPARE(fb->bias, w->bias);
        const std::vector<double> approx =
            composedWeights(l.scheme, n, l.rank, fa->weights, fb->weights);
        double diff = 0, norm = 0;
        for (std::size_t k = 0; k < approx.size(); ++k) {
            diff += (double(w->weights[k]) - approx[k]) * (double(w->weights[k]) - approx[k]);
            norm += double(w->weights[k]) * double(w->weights[k]);
        }
        const double written = std::sqrt(diff / norm);
        QVERIFY2(std::fabs(written - expected) <= 1e-5 * expected + 1e-6,
                 qPrintable(QStringLiteral("%1 (%4): %2 against %3")
                                .arg(QString::fromStdString(l.name))
                                .arg(written)
                                .arg(expected)
                                .arg(QString::fromStdString(l.scheme))));
    }
    QCOMPARE(result.macsBefore - result.macsAfter, saved);
}

} // namespace codesign::testing
