#include "nnls.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace codesign {
namespace {

// Least squares on the columns in `passive` only; the other entries are zero. Column
// pivoting keeps it finite when those columns are dependent.
Eigen::VectorXd solveOnPassive(const Eigen::MatrixXd& a, const Eigen::VectorXd& b,
                               const std::vector<bool>& passive) {
    std::vector<Eigen::Index> cols;
    for (Eigen::Index j = 0; j < a.cols(); ++j)
        if (passive[j])
            cols.push_back(j);
    Eigen::MatrixXd sub(a.rows(), Eigen::Index(cols.size()));
    for (std::size_t k = 0; k < cols.size(); ++k)
        sub.col(Eigen::Index(k)) = a.col(cols[k]);
    const Eigen::VectorXd s = sub.colPivHouseholderQr().solve(b);
    Eigen::VectorXd z = Eigen::VectorXd::Zero(a.cols());
    for (std::size_t k = 0; k < cols.size(); ++k)
        z[cols[k]] = s[Eigen::Index(k)];
    return z;
}

} // namespace

NnlsResult solveNnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b) {
    const Eigen::Index n = a.cols();
    NnlsResult r;
    r.x = Eigen::VectorXd::Zero(n);
    if (n == 0 || a.rows() == 0) {
        r.residualNorm = b.norm();
        return r;
    }
    // Gradient entries below this are rounding noise (the tolerance of Lawson-Hanson's
    // code and of SciPy's port of it).
    const double tol = 10 * std::numeric_limits<double>::epsilon() *
                       a.cwiseAbs().colwise().sum().maxCoeff() * double(std::max(a.rows(), n));
    std::vector<bool> passive(std::size_t(n), false);
    const int maxIterations = int(3 * n) + 10;
    Eigen::VectorXd w = a.transpose() * (b - a * r.x);
    while (true) {
        // The most promising column still held at zero.
        Eigen::Index t = -1;
        double best = tol;
        for (Eigen::Index j = 0; j < n; ++j)
            if (!passive[j] && w[j] > best) {
                best = w[j];
                t = j;
            }
        if (t < 0)
            break;
        if (r.iterations >= maxIterations) {
            r.converged = false;
            break;
        }
        ++r.iterations;
        passive[t] = true;
        bool skipped = false;
        // Inner loop: step towards the unconstrained solution on the passive set, stopping
        // where a coefficient reaches zero, and drop that coefficient.
        for (int inner = 0; inner <= n; ++inner) {
            const Eigen::VectorXd z = solveOnPassive(a, b, passive);
            if (inner == 0 && z[t] <= 0) {
                // Rounding made the chosen column look useful: leave it out this round.
                passive[t] = false;
                w[t] = 0;
                skipped = true;
                break;
            }
            bool feasible = true;
            for (Eigen::Index j = 0; j < n; ++j)
                if (passive[j] && z[j] <= 0)
                    feasible = false;
            if (feasible) {
                r.x = z;
                break;
            }
            double alpha = 1;
            for (Eigen::Index j = 0; j < n; ++j)
                if (passive[j] && z[j] <= 0)
                    alpha = std::min(alpha, r.x[j] / (r.x[j] - z[j]));
            r.x += alpha * (z - r.x);
            for (Eigen::Index j = 0; j < n; ++j)
                if (passive[j] && r.x[j] <= tol) {
                    passive[j] = false;
                    r.x[j] = 0;
                }
        }
        if (!skipped)
            w = a.transpose() * (b - a * r.x);
    }
    for (Eigen::Index j = 0; j < n; ++j) // never a negative zero or rounding below zero
        r.x[j] = std::max(0.0, r.x[j]);
    r.residualNorm = (a * r.x - b).norm();
    return r;
}

} // namespace codesign
