#include "qor_choice.h"

#include "core/qor/benchmark_qor.h"
#include "core/qor/command_evaluator.h"
#include "core/qor/surrogate.h"

#ifdef CODESIGN_HAVE_TORCH
#include "train/torch_qor_evaluator.h"
#include "train/train_plugin.h"
#include "train_options_args.h"
#include "train_progress_printer.h"

#include <unistd.h>
#endif

namespace codesign::cli {

std::set<std::string> qorOptionNames() {
    std::set<std::string> names = {"qor", "qor-data", "command", "jobs", "timeout"};
#ifdef CODESIGN_HAVE_TORCH
    names.merge(trainOptionNames());
#endif
    return names;
}

std::set<std::string> qorFlagNames() {
#ifdef CODESIGN_HAVE_TORCH
    return trainFlagNames();
#else
    return {};
#endif
}

std::string qorOptionsUsage() {
    return "  --qor surrogate   regression fitted to the project's QoR cache and --qor-data CSV\n"
           "  --qor command     runs --command TEMPLATE per design ({model_yaml} {out_json}\n"
           "                    {workdir}); --jobs J in parallel, --timeout SECONDS each\n"
           "  --qor benchmark   the synthetic benchmark function (docs/search.md)\n"
#ifdef CODESIGN_HAVE_TORCH
           "  --qor torch       trains each design (libtorch, docs/training.md) on --data PATH\n"
           "                    or --synthetic N images; --fast, --resolution F, --epochs E,\n"
           "                    --qat-epochs Q, --batch B, --lr X, --optimizer adam|sgd,\n"
           "                    --validation F, --max-images N, --threads T, --image-size WxH,\n"
           "                    --skip-bad as for codesign train\n"
#endif
        ;
}

Result<QorChoice> chooseQorEvaluator(const Args& args, const std::string& projectPath) {
    QorChoice c;
    const std::string dataDir = projectDataDir(projectPath);
    Result<std::shared_ptr<QorCache>> cache = QorCache::open(dataDir + "/qor-cache.csv");
    if (!cache.ok())
        return makeError(cache.error().format());
    c.cache = *cache;
    const std::string kind = args.option("qor", "surrogate");
    if (kind == "surrogate") {
        std::vector<QorRecord> records = c.cache->records();
        if (args.has("qor-data")) {
            Result<std::vector<QorRecord>> extra = readQorCsv(args.option("qor-data"));
            if (!extra.ok())
                return makeError(extra.error().format());
            records.insert(records.end(), extra->begin(), extra->end());
        }
        SurrogateModel model;
        if (Status s = model.fit(records); !s.ok())
            return makeError(s.error().message + " (the project's cache " + c.cache->path() +
                             " has " + std::to_string(c.cache->size()) +
                             "); give --qor-data CSV, or measure with --qor command, or use "
                             "--qor benchmark for the synthetic function");
        c.inner = std::make_unique<SurrogateQorEvaluator>(std::move(model));
    } else if (kind == "command") {
        if (!args.has("command"))
            return makeError("--qor command needs --command TEMPLATE (see docs/search.md)");
        if (Status s = CommandQorEvaluator::validateTemplate(args.option("command")); !s.ok())
            return makeError("--command: " + s.error().message);
        CommandEvaluatorOptions o;
        o.commandTemplate = args.option("command");
        o.runsDir = dataDir + "/runs";
        const std::string jobs = args.option("jobs", "1");
        if (!parseNumber(jobs, o.jobs) || o.jobs < 1 || o.jobs > 1024)
            return makeError("--jobs must be between 1 and 1024");
        const std::string timeout = args.option("timeout", "3600");
        if (!parseNumber(timeout, o.timeoutSeconds) || o.timeoutSeconds <= 0)
            return makeError("--timeout must be a positive number of seconds");
        c.inner = std::make_unique<CommandQorEvaluator>(o);
    } else if (kind == "benchmark") {
        c.inner = std::make_unique<BenchmarkQorEvaluator>();
    } else if (kind == "torch") {
#ifdef CODESIGN_HAVE_TORCH
        train::TorchQorOptions o;
        if (std::string e = readTrainOptions(args, o.train, o.data, o.resolution, false);
            !e.empty())
            return makeError(e);
        o.weightsDir = dataDir + "/weights";
        // Each design's training on stderr, as codesign train shows it.
        auto printer = std::make_shared<TrainProgressPrinter>("QoR", ::isatty(STDERR_FILENO) != 0);
        o.progress = [printer](int design, const std::string& hash, const train::TrainProgress& p) {
            printer->show(p, "design " + std::to_string(design) + " (" + hash + "): ");
        };
        Result<const train::TrainPlugin*> plugin = train::loadTrainPlugin();
        if (!plugin.ok())
            return makeError(plugin.error().message);
        Result<std::unique_ptr<QorEvaluator>> torch = (*plugin)->makeTorchQorEvaluator(o);
        if (!torch.ok())
            return makeError(torch.error().format());
        c.inner = std::move(torch).value();
#else
        return makeError("--qor torch needs the trainer, and this build has none (install "
                         "libtorch-dev and libturbojpeg0-dev, then reconfigure)");
#endif
    } else {
        return makeError("unknown QoR evaluator '" + kind +
                         "'; use surrogate, command, benchmark or torch");
    }
    c.evaluator = std::make_unique<CachedQorEvaluator>(*c.inner, c.cache);
    return c;
}

} // namespace codesign::cli
