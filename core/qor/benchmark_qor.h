#pragma once

#include "design_features.h"
#include "qor_evaluator.h"

namespace codesign {

// A deterministic stand-in for training (docs/search.md, "Benchmark QoR"): a smooth
// function of the design's features that rewards capacity with diminishing returns,
// punishes narrow formats and small inputs, and punishes very large networks (the seed's
// Table 1: more parameters did not give more IoU). For tests, benchmarks and demos only;
// its numbers are labelled "benchmark" everywhere.
double benchmarkQor(const DesignFeatures& features);

class BenchmarkQorEvaluator : public QorEvaluator {
public:
    std::string name() const override { return "benchmark"; }
    bool cacheable() const override { return false; } // synthetic: nothing to remember
    std::vector<QorValue> evaluate(std::span<const QorQuery> batch, RunControl& control,
                                   const QorProgress& progress = {}) override;
};

} // namespace codesign
