#include "surrogate.h"

#include <algorithm>
#include <cmath>

namespace codesign {

Eigen::VectorXd SurrogateModel::standardised(const DesignFeatures& f) const {
    const int k = static_cast<int>(DesignFeatures::kCount);
    Eigen::VectorXd x(k + 1);
    x(0) = 1.0;
    for (int j = 0; j < k; ++j)
        x(j + 1) = (f.values[j] - mean_(j)) / scale_(j);
    return x;
}

Status SurrogateModel::fit(const std::vector<QorRecord>& records, double lambda) {
    const int n = static_cast<int>(records.size());
    const int k = static_cast<int>(DesignFeatures::kCount);
    if (n < kMinPoints)
        return makeError("the surrogate needs at least " + std::to_string(kMinPoints) +
                         " measured designs to fit, and has " + std::to_string(n));
    mean_ = Eigen::VectorXd::Zero(k);
    scale_ = Eigen::VectorXd::Ones(k);
    for (const QorRecord& r : records)
        for (int j = 0; j < k; ++j)
            mean_(j) += r.features.values[j] / n;
    for (int j = 0; j < k; ++j) {
        double var = 0;
        for (const QorRecord& r : records)
            var += std::pow(r.features.values[j] - mean_(j), 2) / n;
        // A feature that never changes carries no information; keep it harmless.
        scale_(j) = var > 1e-12 ? std::sqrt(var) : 1.0;
    }
    Eigen::MatrixXd X(n, k + 1);
    Eigen::VectorXd y(n);
    for (int i = 0; i < n; ++i) {
        X.row(i) = standardised(records[i].features).transpose();
        y(i) = records[i].value.qor;
    }
    Eigen::MatrixXd A = X.transpose() * X;
    for (int j = 1; j <= k; ++j)
        A(j, j) += lambda * n;
    covariance_ = A.ldlt().solve(Eigen::MatrixXd::Identity(k + 1, k + 1));
    beta_ = covariance_ * X.transpose() * y;
    const double rss = (y - X * beta_).squaredNorm();
    const int dof = std::max(1, n - (k + 1));
    residualSd_ = std::sqrt(rss / dof);
    points_ = n;
    return okStatus();
}

QorValue SurrogateModel::predict(const DesignFeatures& f) const {
    QorValue v;
    v.predicted = true;
    v.source = "surrogate";
    if (!fitted()) {
        v.error = "the surrogate is not fitted";
        return v;
    }
    const Eigen::VectorXd x = standardised(f);
    v.qor = std::clamp(double(x.dot(beta_)), 0.0, 1.0);
    v.uncertainty = residualSd_ * std::sqrt(1.0 + double(x.dot(covariance_ * x)));
    return v;
}

std::vector<QorValue> SurrogateQorEvaluator::evaluate(std::span<const QorQuery> batch,
                                                      RunControl& control,
                                                      const QorProgress& progress) {
    std::vector<QorValue> out(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (control.stopRequested()) {
            out[i].error = "cancelled";
            continue;
        }
        out[i] = model_.predict(designFeatures(*batch[i].graph));
        if (progress)
            progress(static_cast<int>(i + 1), static_cast<int>(batch.size()));
    }
    return out;
}

} // namespace codesign
