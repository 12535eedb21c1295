#include "qor_evaluator_options.h"

#include "core/qor/qor_factory.h"

#ifdef CODESIGN_HAVE_TORCH
#include "train/torch_qor_evaluator.h"
#endif

#include <QFileInfo>

namespace codesign {

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
                                                       const QString& projectPath) {
    QorEvaluatorRequest r;
    r.kind = key.toStdString();
    r.projectPath = projectPath.toStdString();
    r.commandTemplate = argument.trimmed().toStdString();
    // Relative paths in the template are relative to the project's folder.
    if (!projectPath.isEmpty())
        r.workingDir = QFileInfo(projectPath).absolutePath().toStdString();
#ifdef CODESIGN_HAVE_TORCH
    const std::string data = argument.trimmed().toStdString();
    r.makeTorch = [data](const std::string& weightsDir) {
        train::TorchQorOptions o;
        o.data.path = data;
        o.weightsDir = weightsDir;
        return train::makeTorchQorEvaluator(o);
    };
#endif
    return codesign::makeQorEvaluator(r);
}

} // namespace codesign
