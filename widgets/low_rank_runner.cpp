#include "low_rank_runner.h"

#include <QMetaObject>
#include <filesystem>

namespace codesign {

LowRankRunner::LowRankRunner(QObject* parent) : QObject(parent) {}

LowRankRunner::~LowRankRunner() {
    cancel();
    if (worker_.joinable())
        worker_.join();
}

bool LowRankRunner::start(const Project& project, const QString& projectPath, std::vector<int> rows,
                          double budget) {
    if (running_)
        return false;
    if (worker_.joinable())
        worker_.join();
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    worker_ = std::thread([this, project, path = projectPath.toStdString(), rows = std::move(rows),
                           budget, cancel = cancel_] {
        auto edit = std::make_shared<Result<LowRankEdit>>(lowRankEdit(project, path, rows, budget));
        QMetaObject::invokeMethod(
            this,
            [this, edit, cancel] {
                running_ = false;
                if (worker_.joinable())
                    worker_.join();
                if (cancel->load()) {
                    if (edit->ok()) { // nothing refers to it yet
                        std::error_code ec;
                        std::filesystem::remove((*edit)->weightsPath, ec);
                    }
                    Q_EMIT finished(nullptr);
                    return;
                }
                Q_EMIT finished(edit);
            },
            Qt::QueuedConnection);
    });
    return true;
}

void LowRankRunner::cancel() {
    if (cancel_)
        cancel_->store(true);
}

} // namespace codesign
