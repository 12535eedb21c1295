#include "low_rank_runner.h"

#include <filesystem>

namespace codesign {

LowRankRunner::LowRankRunner(QObject* parent) : QObject(parent) {}

bool LowRankRunner::start(const Project& project, const QString& projectPath, std::vector<int> rows,
                          LowRankSettings settings) {
    return job_.start([this, project, path = projectPath.toStdString(), rows = std::move(rows),
                       settings = std::move(settings)](BackgroundJob::CancelFlag cancel) {
        auto edit =
            std::make_shared<Result<LowRankEdit>>(lowRankEdit(project, path, rows, settings));
        job_.finishOn(this, [this, edit, cancel] {
            if (cancel->load()) {
                if (edit->ok()) { // nothing refers to it yet
                    std::error_code ec;
                    std::filesystem::remove((*edit)->weightsPath, ec);
                }
                Q_EMIT finished(nullptr);
                return;
            }
            Q_EMIT finished(edit);
        });
    });
}

void LowRankRunner::cancel() {
    job_.cancel();
}

} // namespace codesign
