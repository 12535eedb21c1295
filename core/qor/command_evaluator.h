#pragma once

#include "qor_evaluator.h"

#include <string>

namespace codesign {

struct CommandEvaluatorOptions {
    // e.g. "python3 train.py --model {model_yaml} --out {out_json}". {model_yaml},
    // {out_json} and {workdir} are substituted; the command runs without a shell unless it
    // names one itself ("sh -c '...'").
    std::string commandTemplate;
    std::string runsDir; // one folder per design under here: runs/<hash>/
    // Where the command runs, so that relative paths in the template mean what they mean
    // in the user's shell; empty: the current folder. The substituted paths are absolute.
    std::string workingDir;
    int jobs = 1; // designs evaluated at the same time
    double timeoutSeconds = 3600;
};

// Runs a user command per design and reads {"qor": x, "uncertainty": u?, "weights": path?}
// from out_json (docs/search.md, "Command evaluator"). A failing, hanging or garbled run
// is an error for that design, with the reason and the log's path.
class CommandQorEvaluator : public QorEvaluator {
public:
    explicit CommandQorEvaluator(CommandEvaluatorOptions options);
    std::string name() const override { return "command"; }
    int preferredBatch() const override { return options_.jobs; }
    std::vector<QorValue> evaluate(std::span<const QorQuery> batch, RunControl& control,
                                   const QorProgress& progress = {}) override;

    // Checks the template before any run: balanced quotes, a program, {out_json} present.
    static Status validateTemplate(const std::string& commandTemplate);

private:
    CommandEvaluatorOptions options_;
};

} // namespace codesign
