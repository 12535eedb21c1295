#pragma once

#include "core/model/project.h"
#include "core/qor/qor_evaluator.h"
#include "core/util/result.h"

#include <QString>
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

Result<std::unique_ptr<QorEvaluator>> makeQorEvaluator(const QString& key, const QString& argument,
                                                       const QString& projectPath);

} // namespace codesign
