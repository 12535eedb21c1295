#pragma once

#include "background_job.h"
#include "model_io/model_reader.h"

#include <QObject>
#include <QString>
#include <memory>

namespace codesign {

// File > Import off the GUI thread: reads a model through model_io's reader seam (the one
// `codesign import` uses) and, when it maps, writes the project and its weights beside it.
// Nothing is written when the model does not map or the import is cancelled.
class ImportRunner : public QObject {
    Q_OBJECT
public:
    struct Outcome {
        bool ok = false;
        QString projectPath;          // the project written (when ok)
        QString message;              // the summary, or why nothing was written
        modelio::ImportResult result; // what the reader said (the unsupported list)
    };

    explicit ImportRunner(QObject* parent = nullptr);

    // False when an import is already running.
    bool start(const QString& modelPath, const QString& projectPath,
               modelio::ImportOptions options = {});
    void cancel();
    bool isRunning() const { return job_.isRunning(); }

Q_SIGNALS:
    void progressed(int percent, const QString& step);
    void finished(std::shared_ptr<const codesign::ImportRunner::Outcome> outcome);

private:
    BackgroundJob job_;
};

// "imported resnet18.onnx: 60 layers, 8 bundle instances ...", as the CLI's first lines.
QString importSummary(const modelio::ImportedModel& model, const QString& modelPath);

} // namespace codesign
