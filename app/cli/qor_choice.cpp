#include "qor_choice.h"

#include "core/qor/qor_factory.h"

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
    Result<std::shared_ptr<QorCache>> cache =
        QorCache::open(projectDataDir(projectPath) + "/qor-cache.csv");
    if (!cache.ok())
        return makeError(cache.error().format());
    c.cache = *cache;
    QorEvaluatorRequest r;
    r.kind = args.option("qor", "surrogate");
    r.projectPath = projectPath;
    if (args.has("qor-data"))
        r.extraDataCsv.push_back(args.option("qor-data"));
    if (r.kind == "command" && !args.has("command"))
        return makeError("--qor command needs --command TEMPLATE (see docs/search.md)");
    r.commandTemplate = args.option("command");
    if (!parseNumber(args.option("jobs", "1"), r.jobs) || r.jobs < 1 || r.jobs > 1024)
        return makeError("--jobs must be between 1 and 1024");
    if (!parseNumber(args.option("timeout", "3600"), r.timeoutSeconds) || r.timeoutSeconds <= 0)
        return makeError("--timeout must be a positive number of seconds");
#ifdef CODESIGN_HAVE_TORCH
    train::TorchQorOptions torch;
    if (r.kind == "torch") {
        if (std::string e =
                readTrainOptions(args, torch.train, torch.data, torch.resolution, false);
            !e.empty())
            return makeError(e);
        // Each design's training on stderr, as codesign train shows it.
        auto printer = std::make_shared<TrainProgressPrinter>("QoR", ::isatty(STDERR_FILENO) != 0);
        torch.progress = [printer](int design, const std::string& hash,
                                   const train::TrainProgress& p) {
            printer->show(p, "design " + std::to_string(design) + " (" + hash + "): ");
        };
        r.makeTorch = [&torch](const std::string& weightsDir) -> Result<QorEvaluatorPtr> {
            torch.weightsDir = weightsDir;
            Result<const train::TrainPlugin*> plugin = train::loadTrainPlugin();
            if (!plugin.ok())
                return makeError(plugin.error().message);
            return (*plugin)->makeTorchQorEvaluator(torch);
        };
    }
#endif
    Result<QorEvaluatorPtr> inner = makeQorEvaluator(r);
    if (!inner.ok())
        return makeError(inner.error().format());
    c.inner = std::move(inner).value();
    c.evaluator = std::make_unique<CachedQorEvaluator>(*c.inner, c.cache);
    return c;
}

} // namespace codesign::cli
