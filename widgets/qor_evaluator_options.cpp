#include "qor_evaluator_options.h"

#include "core/qor/qor_factory.h"

#ifdef CODESIGN_HAVE_TORCH
#include "train/fast_training.h"
#include "train/torch_qor_evaluator.h"
#endif

#include <QFileInfo>

namespace codesign {
#ifdef CODESIGN_HAVE_TORCH
namespace {

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

} // namespace
#endif

std::vector<QorEvaluatorOption> qorEvaluatorOptions(const QString& projectPath) {
#ifdef CODESIGN_HAVE_TORCH
    const bool withTrainer = true;
#else
    const bool withTrainer = false;
#endif
    std::vector<QorEvaluatorOption> options;
    for (const QorEvaluatorKind& k : qorEvaluatorKinds(withTrainer)) {
        QorEvaluatorOption o{QString::fromStdString(k.key),
                             QString::fromStdString(k.label),
                             QString::fromStdString(k.argumentHint),
                             true,
                             {}};
        if (k.key == "surrogate") {
            const std::string why = surrogateUnavailableReason(projectPath.toStdString());
            o.available = why.empty();
            o.unavailableReason = QString::fromStdString(why);
        }
        options.push_back(o);
    }
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
    QorEvaluatorRequest r;
    r.kind = key.toStdString();
    r.projectPath = projectPath.toStdString();
    r.commandTemplate = argument.trimmed().toStdString();
    // Relative paths in the template are relative to the project's folder.
    if (!projectPath.isEmpty())
        r.workingDir = QFileInfo(projectPath).absolutePath().toStdString();
#ifdef CODESIGN_HAVE_TORCH
    const std::string data = argument.trimmed().toStdString();
    r.makeTorch = [data, training, detail](const std::string& weightsDir) {
        train::TorchQorOptions o;
        o.data.path = data;
        o.weightsDir = weightsDir;
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
    };
#endif
    return codesign::makeQorEvaluator(r);
}

} // namespace codesign
