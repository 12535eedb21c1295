#include "benchmark_qor.h"

#include <algorithm>
#include <cmath>

namespace codesign {

double benchmarkQor(const DesignFeatures& f) {
    const auto& v = f.values;
    const double log2Macs = v[1], log2Params = v[2], meanWidth = v[3];
    const double weightBits = v[5], activationBits = v[6], log2Pixels = v[7];
    // Capacity: compute and parameters, 0 around 16 M MACs / 16 k params, 1 around 1 G / 1 M.
    const double capacity = 0.5 * (log2Macs - 24) / 6 + 0.5 * (log2Params - 14) / 6;
    double q = 0.74 * (1 - std::exp(-2.5 * std::max(0.0, capacity)));
    // Wide layers help a little beyond raw capacity.
    q += 0.01 * std::clamp(meanWidth - 6, 0.0, 3.0);
    // Oversized networks do worse on a small data set.
    q -= 0.012 * std::pow(std::max(0.0, log2Params - 20.5), 2);
    // Narrow formats cost accuracy; feature maps more than weights (seed Fig. 1a).
    q -= 0.0040 * std::pow(std::max(0.0, 9 - activationBits), 2);
    q -= 0.0015 * std::pow(std::max(0.0, 8 - weightBits), 2);
    // Smaller inputs lose detail, slowly at first (seed: < 1 % down to resize 0.78).
    const double pixelsLost = std::max(0.0, 15.8 - log2Pixels); // 160 x 360 ~ 2^15.8
    q -= 0.015 * pixelsLost * pixelsLost;
    return std::clamp(q, 0.0, 1.0);
}

std::vector<QorValue> BenchmarkQorEvaluator::evaluate(std::span<const QorQuery> batch,
                                                      RunControl& control,
                                                      const QorProgress& progress) {
    std::vector<QorValue> out(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (control.stopRequested()) {
            out[i].error = "cancelled";
            continue;
        }
        out[i].qor = benchmarkQor(designFeatures(*batch[i].graph));
        out[i].source = "benchmark";
        if (progress)
            progress(static_cast<int>(i + 1), static_cast<int>(batch.size()));
    }
    return out;
}

} // namespace codesign
