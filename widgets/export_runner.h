#pragma once

#include "background_job.h"
#include "core/model/project.h"

#include <QObject>
#include <QString>
#include <memory>

namespace codesign {

// File > Export off the GUI thread: hls::exportProject with progress and cancel.
class ExportRunner : public QObject {
    Q_OBJECT
public:
    explicit ExportRunner(QObject* parent = nullptr);

    // False when an export is already running.
    // `projectPath` (may be empty) locates the QoR cache whose trained weights the export
    // carries when it has some for this design (hls::cachedTrainedWeights).
    bool start(const Project& project, const QString& projectPath, const QString& outDir,
               bool replace);
    void cancel();
    bool isRunning() const { return job_.isRunning(); }

Q_SIGNALS:
    void progressed(int percent, const QString& step);
    // ok: `message` summarises what was written; else it says why nothing was.
    void finished(bool ok, const QString& message);

private:
    BackgroundJob job_;
};

} // namespace codesign
