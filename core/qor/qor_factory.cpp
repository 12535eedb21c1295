#include "qor_factory.h"

#include "benchmark_qor.h"
#include "command_evaluator.h"
#include "qor_cache.h"
#include "surrogate.h"

#include <filesystem>

namespace codesign {
namespace {

std::string cachePath(const std::string& projectPath) {
    return projectPath.empty() ? std::string() : projectDataDir(projectPath) + "/qor-cache.csv";
}

// The project's measured QoR, read without creating anything on disk.
std::vector<QorRecord> measuredRecords(const std::string& projectPath) {
    const std::string path = cachePath(projectPath);
    if (path.empty() || !std::filesystem::exists(path))
        return {};
    Result<std::shared_ptr<QorCache>> cache = QorCache::open(path);
    return cache.ok() ? (*cache)->records() : std::vector<QorRecord>{};
}

Result<QorEvaluatorPtr> makeSurrogate(const QorEvaluatorRequest& r) {
    std::vector<QorRecord> records = measuredRecords(r.projectPath);
    for (const std::string& csv : r.extraDataCsv) {
        Result<std::vector<QorRecord>> extra = readQorCsv(csv);
        if (!extra.ok())
            return extra.error();
        records.insert(records.end(), extra->begin(), extra->end());
    }
    SurrogateModel model;
    if (Status s = model.fit(records); !s.ok())
        return makeError(s.error().message + " (the project's QoR cache " +
                         cachePath(r.projectPath) + " and the extra data hold " +
                         std::to_string(records.size()) +
                         "); give measured designs (--qor-data CSV), measure some with the "
                         "command or torch evaluator, or use the benchmark for the synthetic "
                         "function");
    return QorEvaluatorPtr(std::make_unique<SurrogateQorEvaluator>(std::move(model)));
}

Result<QorEvaluatorPtr> makeCommand(const QorEvaluatorRequest& r) {
    if (r.commandTemplate.empty())
        return makeError("the command evaluator needs a command template (see docs/search.md)");
    if (Status s = CommandQorEvaluator::validateTemplate(r.commandTemplate); !s.ok())
        return makeError("command: " + s.error().message);
    if (r.projectPath.empty())
        return makeError("save the project first: each command run gets a folder beside it");
    if (r.jobs < 1 || r.jobs > 1024)
        return makeError("jobs must be between 1 and 1024");
    if (!(r.timeoutSeconds > 0))
        return makeError("the timeout must be a positive number of seconds");
    CommandEvaluatorOptions o;
    o.commandTemplate = r.commandTemplate;
    o.runsDir = projectDataDir(r.projectPath) + "/runs";
    o.workingDir = r.workingDir;
    o.jobs = r.jobs;
    o.timeoutSeconds = r.timeoutSeconds;
    return QorEvaluatorPtr(std::make_unique<CommandQorEvaluator>(o));
}

} // namespace

Result<QorEvaluatorPtr> makeQorEvaluator(const QorEvaluatorRequest& r) {
    if (r.kind == "surrogate")
        return makeSurrogate(r);
    if (r.kind == "command")
        return makeCommand(r);
    if (r.kind == "benchmark")
        return QorEvaluatorPtr(std::make_unique<BenchmarkQorEvaluator>());
    if (r.kind == "torch") {
        if (!r.makeTorch)
            return makeError("the torch evaluator needs the trainer, and this build has none "
                             "(install libtorch-dev and libturbojpeg0-dev, then reconfigure)");
        return r.makeTorch(r.projectPath.empty() ? std::string()
                                                 : projectDataDir(r.projectPath) + "/weights");
    }
    return makeError("unknown QoR evaluator '" + r.kind +
                     "'; use surrogate, command, benchmark or torch");
}

std::vector<QorEvaluatorKind> qorEvaluatorKinds(bool withTrainer) {
    std::vector<QorEvaluatorKind> kinds{{"surrogate", "Surrogate (measured QoR)", {}}};
    if (withTrainer)
        kinds.push_back({"torch", "Fast training (libtorch)",
                         "data set folder or CSV (empty: synthetic images)"});
    kinds.push_back({"command", "External command", "command: {model_yaml} {out_json} {workdir}"});
    kinds.push_back({"benchmark", "Benchmark (synthetic)", {}});
    return kinds;
}

std::string surrogateUnavailableReason(const std::string& projectPath) {
    if (projectPath.empty())
        return "save the project first: the surrogate is fitted to its QoR cache";
    const std::size_t n = measuredRecords(projectPath).size();
    if (static_cast<int>(n) < SurrogateModel::kMinPoints)
        return "the project's QoR cache has " + std::to_string(n) +
               " measured designs; the surrogate needs " +
               std::to_string(SurrogateModel::kMinPoints) +
               " (measure some with the command or torch evaluator)";
    return {};
}

} // namespace codesign
