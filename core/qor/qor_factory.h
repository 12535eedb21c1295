#pragma once

// The one place that turns "which QoR evaluator, with what" into an evaluator, for the CLI
// (--qor ...) and the GUI (the exploration view's choice) alike.
#include "../util/result.h"
#include "qor_evaluator.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace codesign {

using QorEvaluatorPtr = std::unique_ptr<QorEvaluator>;

struct QorEvaluatorRequest {
    std::string kind = "surrogate";        // surrogate | command | benchmark | torch
    std::string projectPath;               // its data folder holds the QoR cache, runs and weights
    std::vector<std::string> extraDataCsv; // surrogate: more measured designs (--qor-data)
    std::string commandTemplate;           // command: {model_yaml} {out_json} {workdir}
    std::string workingDir;                // command: where it runs (empty: here)
    int jobs = 1;
    double timeoutSeconds = 3600;
    // torch: the trainer lives outside the core (train/); the caller passes how to make it,
    // given the folder for the trained weights. Empty: this build has no trainer.
    std::function<Result<QorEvaluatorPtr>(const std::string& weightsDir)> makeTorch;
};

Result<QorEvaluatorPtr> makeQorEvaluator(const QorEvaluatorRequest& request);

// The evaluators there are, for usage texts and the GUI's list.
struct QorEvaluatorKind {
    std::string key;          // "surrogate", ...
    std::string label;        // "Surrogate (measured QoR)"
    std::string argumentHint; // what the GUI's argument field holds; empty: none
};
std::vector<QorEvaluatorKind> qorEvaluatorKinds(bool withTrainer);

// Why the surrogate cannot be fitted for this project yet; empty when it can.
std::string surrogateUnavailableReason(const std::string& projectPath);

} // namespace codesign
