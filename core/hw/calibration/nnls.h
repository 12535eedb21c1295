#pragma once

#include <Eigen/Dense>

namespace codesign {

// Non-negative least squares: min ||A x - b|| subject to x >= 0, by the active-set method of
// Lawson and Hanson ("Solving Least Squares Problems", 1974, ch. 23). The calibration fits
// its coefficients with it (docs/estimator.md, "Calibration").
struct NnlsResult {
    Eigen::VectorXd x;
    double residualNorm = 0; // ||A x - b||
    int iterations = 0;      // outer iterations (columns moved into the passive set)
    bool converged = true;   // false: the iteration limit stopped it (x is still >= 0)
};

NnlsResult solveNnls(const Eigen::MatrixXd& a, const Eigen::VectorXd& b);

} // namespace codesign
