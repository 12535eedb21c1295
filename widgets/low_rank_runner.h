#pragma once

#include "background_job.h"
#include "low_rank_edit.h"

#include <QObject>
#include <QString>
#include <memory>

namespace codesign {

// Edit > Low-rank off the GUI thread: the SVDs of a large conv take seconds (resnet18's
// last stage, 512 x 4608 unfoldings: about 8 s), so lowRankEdit runs on a worker.
class LowRankRunner : public QObject {
    Q_OBJECT
public:
    explicit LowRankRunner(QObject* parent = nullptr);

    // False when one is already running. `project` is the document's at the start.
    bool start(const Project& project, const QString& projectPath, std::vector<int> rows,
               LowRankSettings settings);
    // The result is dropped and its weights file removed when it arrives.
    void cancel();
    bool isRunning() const { return job_.isRunning(); }

Q_SIGNALS:
    // The edit (null when cancelled), or the error.
    void finished(std::shared_ptr<const codesign::Result<codesign::LowRankEdit>> edit);

private:
    BackgroundJob job_;
};

} // namespace codesign
