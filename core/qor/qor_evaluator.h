#pragma once

#include "../model/graph.h"
#include "../model/project.h"
#include "../util/run_control.h"

#include <functional>
#include <span>
#include <string>
#include <vector>

namespace codesign {

// One design whose QoR is wanted. The project and graph stay valid for the call.
struct QorQuery {
    std::string designHash; // designHash(graph)
    const Project* project = nullptr;
    const Graph* graph = nullptr;
};

// QoR: IoU (box regression) or top-1 accuracy, in [0, 1].
struct QorValue {
    double qor = 0;
    double uncertainty = 0;  // one standard deviation; 0 for a measurement
    bool predicted = false;  // a model's prediction, not a measurement
    std::string source;      // "surrogate", "command", "torch", "benchmark", "cache"
    std::string error;       // not empty: this design could not be evaluated, and why
    std::string weightsPath; // trained weights, when the evaluator produced them

    bool ok() const { return error.empty(); }
};

// Progress of a batch: designs done out of the batch.
using QorProgress = std::function<void(int done, int total)>;

// Anything that can tell how good a network is (docs/search.md, "QoR evaluators").
class QorEvaluator {
public:
    virtual ~QorEvaluator() = default;
    virtual std::string name() const = 0;
    // True when the numbers are predictions (the GUI draws them differently).
    virtual bool predicts() const { return false; }
    // Whether its results belong in the QoR cache: measurements yes, predictions and
    // synthetic stand-ins no.
    virtual bool cacheable() const { return !predicts(); }
    // How many designs it likes to receive at once (e.g. its parallel jobs).
    virtual int preferredBatch() const { return 1; }
    // Results in the order of the batch. Honours control.stopRequested(): designs not
    // started when it is set come back with an error "cancelled".
    virtual std::vector<QorValue> evaluate(std::span<const QorQuery> batch, RunControl& control,
                                           const QorProgress& progress = {}) = 0;
};

} // namespace codesign
