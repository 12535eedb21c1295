#include "qor_evaluator_options.h"

#include "core/qor/benchmark_qor.h"
#include "core/qor/command_evaluator.h"
#include "core/qor/qor_cache.h"
#include "core/qor/surrogate.h"

#ifdef CODESIGN_HAVE_TORCH
#include "train/fast_training.h"
#include "train/torch_qor_evaluator.h"
#endif

#include <QFileInfo>

namespace codesign {
namespace {

QString cachePath(const QString& projectPath) {
    if (projectPath.isEmpty())
        return {};
    return QString::fromStdString(projectDataDir(projectPath.toStdString())) +
           QStringLiteral("/qor-cache.csv");
}

// The project's measured QoR, read without creating anything on disk.
std::vector<QorRecord> measuredRecords(const QString& projectPath) {
    const QString path = cachePath(projectPath);
    if (path.isEmpty() || !QFileInfo::exists(path))
        return {};
    Result<std::shared_ptr<QorCache>> cache = QorCache::open(path.toStdString());
    return cache.ok() ? (*cache)->records() : std::vector<QorRecord>{};
}

#ifdef CODESIGN_HAVE_TORCH
QString trainingText(int design, const train::TrainProgress& p) {
    const QString lead = QStringLiteral("design %1: ").arg(design);
    if (p.phase == "prepare")
        return lead + QStringLiteral("preparing images %1/%2").arg(p.batch).arg(p.batches);
    const QString epoch = QStringLiteral("%1 epoch %2/%3")
                              .arg(QString::fromStdString(p.phase))
                              .arg(p.epoch)
                              .arg(p.epochs);
    if (p.batch > 0)
        return lead + epoch + QStringLiteral(", batch %1/%2").arg(p.batch).arg(p.batches);
    return lead + epoch + QStringLiteral(" done, validation %1 %").arg(100 * p.metric, 0, 'f', 1);
}
#endif

} // namespace

std::vector<QorEvaluatorOption> qorEvaluatorOptions(const QString& projectPath) {
    std::vector<QorEvaluatorOption> options;
    QorEvaluatorOption surrogate{
        QStringLiteral("surrogate"), QStringLiteral("Surrogate (measured QoR)"), {}, true, {}};
    const auto records = measuredRecords(projectPath);
    if (projectPath.isEmpty()) {
        surrogate.available = false;
        surrogate.unavailableReason = QStringLiteral("save the project first: the surrogate is "
                                                     "fitted to its QoR cache");
    } else if (static_cast<int>(records.size()) < SurrogateModel::kMinPoints) {
        surrogate.available = false;
        surrogate.unavailableReason =
            QStringLiteral("the project's QoR cache has %1 measured designs; the surrogate "
                           "needs %2 (measure some with the command or torch evaluator)")
                .arg(records.size())
                .arg(SurrogateModel::kMinPoints);
    }
    options.push_back(surrogate);
#ifdef CODESIGN_HAVE_TORCH
    options.push_back({QStringLiteral("torch"),
                       QStringLiteral("Fast training (libtorch)"),
                       QStringLiteral("data set folder or CSV (empty: synthetic images)"),
                       true,
                       {}});
#endif
    options.push_back({QStringLiteral("command"),
                       QStringLiteral("External command"),
                       QStringLiteral("command: {model_yaml} {out_json} {workdir}"),
                       true,
                       {}});
    options.push_back(
        {QStringLiteral("benchmark"), QStringLiteral("Benchmark (synthetic)"), {}, true, {}});
    return options;
}

QString defaultQorEvaluator(const std::vector<QorEvaluatorOption>& options) {
    for (const auto& o : options)
        if (o.key == QStringLiteral("surrogate") && o.available)
            return o.key;
    return QStringLiteral("benchmark");
}

Result<std::unique_ptr<QorEvaluator>> makeQorEvaluator(const QString& key, const QString& argument,
                                                       const QString& projectPath,
                                                       const TrainingChoice& training,
                                                       QorDetailFn detail) {
    const std::string dataDir =
        projectPath.isEmpty() ? std::string() : projectDataDir(projectPath.toStdString());
    if (key == QStringLiteral("benchmark"))
        return std::unique_ptr<QorEvaluator>(std::make_unique<BenchmarkQorEvaluator>());
    if (key == QStringLiteral("surrogate")) {
        SurrogateModel model;
        if (Status s = model.fit(measuredRecords(projectPath)); !s.ok())
            return makeError(s.error().message +
                             " (the surrogate is fitted to the project's QoR cache)");
        return std::unique_ptr<QorEvaluator>(
            std::make_unique<SurrogateQorEvaluator>(std::move(model)));
    }
    if (key == QStringLiteral("command")) {
        const std::string command = argument.trimmed().toStdString();
        if (Status s = CommandQorEvaluator::validateTemplate(command); !s.ok())
            return makeError("command: " + s.error().message);
        if (dataDir.empty())
            return makeError("save the project first: each command run gets a folder beside it");
        CommandEvaluatorOptions o;
        o.commandTemplate = command;
        o.runsDir = dataDir + "/runs";
        // Relative paths in the template are relative to the project's folder.
        o.workingDir = QFileInfo(projectPath).absolutePath().toStdString();
        return std::unique_ptr<QorEvaluator>(std::make_unique<CommandQorEvaluator>(o));
    }
#ifdef CODESIGN_HAVE_TORCH
    if (key == QStringLiteral("torch")) {
        train::TorchQorOptions o;
        o.data.path = argument.trimmed().toStdString();
        o.weightsDir = dataDir.empty() ? std::string() : dataDir + "/weights";
        o.train.epochs = training.epochs;
        o.train.qatEpochs = train::FastTraining().qatEpochs;
        if (o.data.path.empty())
            o.data.synthetic.count = training.images;
        else
            o.data.maxImages = static_cast<std::size_t>(training.images);
        o.resolution = training.resolution;
        if (detail)
            o.progress = [detail](int design, const std::string&, const train::TrainProgress& p) {
                detail(trainingText(design, p));
            };
        return train::makeTorchQorEvaluator(o);
    }
#endif
    return makeError("unknown QoR evaluator '" + key.toStdString() + "'");
}

} // namespace codesign
