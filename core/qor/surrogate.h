#pragma once

#include "../util/result.h"
#include "qor_cache.h"
#include "qor_evaluator.h"

#include <Eigen/Dense>
#include <memory>

namespace codesign {

// Ridge regression of QoR on DesignFeatures (standardised, intercept unpenalised).
// Predictions come with their predictive standard deviation
//   sd(x) = s * sqrt(1 + x' (X'X + lambda I)^-1 x),  s^2 = RSS / (n - p)
// and are always marked as predictions.
class SurrogateModel {
public:
    static constexpr int kMinPoints = static_cast<int>(DesignFeatures::kCount) + 2;

    Status fit(const std::vector<QorRecord>& records, double lambda = 1e-2);
    QorValue predict(const DesignFeatures& features) const;

    bool fitted() const { return points_ > 0; }
    int points() const { return points_; }
    double residualSd() const { return residualSd_; }

private:
    Eigen::VectorXd standardised(const DesignFeatures& f) const;

    int points_ = 0;
    Eigen::VectorXd mean_, scale_;
    Eigen::VectorXd beta_;
    Eigen::MatrixXd covariance_; // (X'X + lambda I)^-1
    double residualSd_ = 0;
};

// The surrogate as a QoR evaluator, fitted once from measured records.
class SurrogateQorEvaluator : public QorEvaluator {
public:
    explicit SurrogateQorEvaluator(SurrogateModel model) : model_(std::move(model)) {}
    std::string name() const override { return "surrogate"; }
    bool predicts() const override { return true; }
    std::vector<QorValue> evaluate(std::span<const QorQuery> batch, RunControl& control,
                                   const QorProgress& progress = {}) override;
    const SurrogateModel& model() const { return model_; }

private:
    SurrogateModel model_;
};

} // namespace codesign
