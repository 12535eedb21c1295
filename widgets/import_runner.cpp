#include "import_runner.h"

#include <QFileInfo>

namespace codesign {

ImportRunner::ImportRunner(QObject* parent) : QObject(parent) {}

QString importSummary(const modelio::ImportedModel& model, const QString& modelPath) {
    const modelio::ImportReport& r = model.report;
    return QStringLiteral("Imported %1: %2 layers (%3 bundle instances of %4 bundles, %5 single "
                          "layers), %6 M MACs, %7 M parameters; weights in %8.")
        .arg(QFileInfo(modelPath).fileName())
        .arg(r.layers)
        .arg(r.bundleInstances)
        .arg(r.bundles)
        .arg(r.singleLayers)
        .arg(double(r.macs) / 1e6, 0, 'f', 2)
        .arg(double(r.params) / 1e6, 0, 'f', 2)
        .arg(QString::fromStdString(model.project.weights));
}

bool ImportRunner::start(const QString& modelPath, const QString& projectPath,
                         modelio::ImportOptions options) {
    options.weightsFile = modelio::defaultWeightsFile(projectPath.toStdString());
    options.progress = [this](int percent, std::string_view step) {
        postToThreadOf(
            this, [this, percent, text = QString::fromUtf8(step.data(), qsizetype(step.size()))] {
                Q_EMIT progressed(percent, text);
            });
    };
    return job_.start(
        [this, modelPath, projectPath, options](BackgroundJob::CancelFlag cancel) mutable {
            options.stopRequested = [cancel] {
                return cancel->load();
            };
            auto outcome = std::make_shared<Outcome>();
            outcome->projectPath = projectPath;
            outcome->result = modelio::importModel(modelPath.toStdString(), options);
            if (!outcome->result.ok()) {
                outcome->message = QString::fromStdString(outcome->result.error.format());
            } else if (cancel->load()) {
                outcome->message = QStringLiteral("Import cancelled; nothing was written.");
            } else if (modelio::importStep(options, 85, "Writing the project and its weights")) {
                outcome->message = QStringLiteral("Import cancelled; nothing was written.");
            } else if (Status s = modelio::writeImportedProject(*outcome->result.model,
                                                                projectPath.toStdString());
                       !s.ok()) {
                outcome->message = QString::fromStdString(s.error().format());
            } else {
                outcome->ok = true;
                outcome->message = importSummary(*outcome->result.model, modelPath);
            }
            job_.finishOn(this, [this, outcome] { Q_EMIT finished(outcome); });
        });
}

void ImportRunner::cancel() {
    job_.cancel();
}

} // namespace codesign
