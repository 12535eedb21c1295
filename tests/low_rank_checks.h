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
        const int rows = n.out.c, cols = n.in.c * n.kernelH * n.kernelW;
        const reference::LayerWeights* w = weights.find(n.name);
        QVERIFY(w);
        Eigen::MatrixXd m(rows, cols);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c)
                m(r, c) = double(w->weights[std::size_t(r * cols + c)]);
        Eigen::JacobiSVD<Eigen::MatrixXd> svd(m);
        const Eigen::VectorXd s = svd.singularValues();
        double all = 0, tail = 0;
        for (int k = 0; k < s.size(); ++k) {
            all += s(k) * s(k);
            tail += k >= l.rank ? s(k) * s(k) : 0.0;
        }
        const double expected = std::sqrt(tail / all);
        // The reported error, and the error of the factors as written (float32).
        QVERIFY2(std::fabs(l.error - expected) <= 1e-5 * expected,
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
        Eigen::MatrixXd first(l.rank, cols), second(rows, l.rank);
        for (int r = 0; r < l.rank; ++r)
            for (int c = 0; c < cols; ++c)
                first(r, c) = double(fa->weights[std::size_t(r * cols + c)]);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < l.rank; ++c)
                second(r, c) = double(fb->weights[std::size_t(r * l.rank + c)]);
        const double written = (m - second * first).norm() / m.norm();
        QVERIFY2(std::fabs(written - expected) <= 1e-5 * expected + 1e-6,
                 qPrintable(QStringLiteral("%1: %2 against %3")
                                .arg(QString::fromStdString(l.name))
                                .arg(written)
                                .arg(expected)));
    }
    QCOMPARE(result.macsBefore - result.macsAfter, saved);
}

} // namespace codesign::testing
