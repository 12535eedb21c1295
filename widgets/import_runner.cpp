#include "import_runner.h"

#include <QFileInfo>
#include <QMetaObject>

namespace codesign {

ImportRunner::ImportRunner(QObject* parent) : QObject(parent) {}

ImportRunner::~ImportRunner() {
    cancel();
    if (worker_.joinable())
        worker_.join();
}

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
    if (running_)
        return false;
    if (worker_.joinable())
        worker_.join();
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    options.weightsFile = modelio::defaultWeightsFile(projectPath.toStdString());
    options.stopRequested = [cancel = cancel_] {
        return cancel->load();
    };
    options.progress = [this](int percent, std::string_view step) {
        QMetaObject::invokeMethod(
            this,
            [this, percent, text = QString::fromUtf8(step.data(), qsizetype(step.size()))] {
                Q_EMIT progressed(percent, text);
            },
            Qt::QueuedConnection);
    };
    worker_ = std::thread([this, modelPath, projectPath, options, cancel = cancel_] {
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
        QMetaObject::invokeMethod(
            this,
            [this, outcome] {
                running_ = false;
                if (worker_.joinable())
                    worker_.join();
                Q_EMIT finished(outcome);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void ImportRunner::cancel() {
    if (cancel_)
        cancel_->store(true);
}

} // namespace codesign
