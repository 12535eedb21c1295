#pragma once

#include "core/model/project.h"
#include "core/qor/qor_evaluator.h"
#include "core/util/result.h"

#include <QString>
#include <functional>
#include <memory>
#include <vector>

namespace codesign {

// The QoR evaluators the exploration view offers, as in `codesign explore --qor`: each
// with whether it can run for this project and, if not, why. New evaluators are one more
// entry here.
struct QorEvaluatorOption {
    QString key;          // "surrogate", "benchmark", "command", "torch"
    QString label;        // shown in the combo box
    QString argumentHint; // what the argument field means; empty: no argument
    bool available = true;
    QString unavailableReason;
};

std::vector<QorEvaluatorOption> qorEvaluatorOptions(const QString& projectPath);
// The option a new search starts with: the surrogate when the project has measurements,
// else the synthetic benchmark (labelled so everywhere).
QString defaultQorEvaluator(const std::vector<QorEvaluatorOption>& options);

// The fast training the torch evaluator runs per design (docs/training.md, "Fast QoR"):
// float epochs, images (synthetic, or an evenly spaced subset of a data set) and the share
// of the network's input resolution it trains at.
// The defaults are train::FastTraining's (the CLI's --fast).
struct TrainingChoice {
    int epochs = 4;
    int images = 256;
    double resolution = 0.5;
};

// A line about the work inside one evaluation ("design 2: float epoch 1/4, batch 7/26"),
// called on the search's thread.
using QorDetailFn = std::function<void(const QString&)>;

Result<std::unique_ptr<QorEvaluator>> makeQorEvaluator(const QString& key, const QString& argument,
                                                       const QString& projectPath,
                                                       const TrainingChoice& training = {},
                                                       QorDetailFn detail = {});

} // namespace codesign
