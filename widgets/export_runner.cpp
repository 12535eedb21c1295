#include "export_runner.h"

#include "hls_export/exporter.h"
#include "hls_export/trained_weights.h"

namespace codesign {

ExportRunner::ExportRunner(QObject* parent) : QObject(parent) {}

bool ExportRunner::start(const Project& project, const QString& projectPath, const QString& outDir,
                         bool replace) {
    return job_.start([this, project, source = projectPath.toStdString(),
                       dir = outDir.toStdString(), replace](BackgroundJob::CancelFlag cancel) {
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
            postToThreadOf(this, [this, percent,
                                  text = QString::fromUtf8(step.data(), qsizetype(step.size()))] {
                Q_EMIT progressed(percent, text);
            });
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
        job_.finishOn(this, [this, ok, message] { Q_EMIT finished(ok, message); });
    });
}

void ExportRunner::cancel() {
    job_.cancel();
}

} // namespace codesign
