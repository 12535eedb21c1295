#pragma once

#include "cli_args.h"
#include "core/qor/qor_cache.h"
#include "core/util/result.h"

#include <memory>
#include <set>
#include <string>

namespace codesign::cli {

// The QoR evaluator a command asked for (--qor and its options), wrapped in the project's
// QoR cache so that nothing is measured twice. Shared by explore and bundles.
struct QorChoice {
    std::shared_ptr<QorCache> cache;
    std::unique_ptr<QorEvaluator> inner;
    std::unique_ptr<CachedQorEvaluator> evaluator; // use this one
};

// Options the choice reads: qor, qor-data, command, jobs, timeout, and the training options
// of --qor torch when the trainer is built; qorFlagNames() the flags.
std::set<std::string> qorOptionNames();
std::set<std::string> qorFlagNames();
std::string qorOptionsUsage();

// Errors are messages for badInput().
Result<QorChoice> chooseQorEvaluator(const Args& args, const std::string& projectPath);

} // namespace codesign::cli
