#include "export_runner.h"

#include "hls_export/exporter.h"
#include "hls_export/trained_weights.h"

#include <QMetaObject>

namespace codesign {

ExportRunner::ExportRunner(QObject* parent) : QObject(parent) {}

ExportRunner::~ExportRunner() {
    cancel();
    if (worker_.joinable())
        worker_.join();
}

bool ExportRunner::start(const Project& project, const QString& projectPath, const QString& outDir,
                         bool replace) {
    if (running_)
        return false;
    if (worker_.joinable())
        worker_.join();
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    worker_ = std::thread([this, project, source = projectPath.toStdString(),
                           dir = outDir.toStdString(), replace, cancel = cancel_] {
        Result<std::optional<reference::WeightSet>> trained =
            hls::cachedTrainedWeights(source, project);
        hls::ExportOptions options;
        if (trained.ok() && *trained)
            options.weights = &**trained;
        options.outDir = dir;
        options.force = replace;
        options.stopRequested = [cancel] {
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
        Result<hls::ExportSummary> summary = trained.ok()
                                                 ? hls::exportProject(project, options)
                                                 : Result<hls::ExportSummary>(trained.error());
        QString message;
        const bool ok = summary.ok();
        if (ok)
            message = QStringLiteral("Exported %1 files (%2 layers) to %3; weights %4.")
                          .arg(summary->files.size())
                          .arg(summary->layers)
                          .arg(QString::fromStdString(summary->outDir),
                               QString::fromStdString(summary->weightsOrigin));
        else
            message = QString::fromStdString(summary.error().format());
        QMetaObject::invokeMethod(
            this,
            [this, ok, message] {
                running_ = false;
                if (worker_.joinable())
                    worker_.join();
                Q_EMIT finished(ok, message);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void ExportRunner::cancel() {
    if (cancel_)
        cancel_->store(true);
}

} // namespace codesign
