#include "background_job.h"

#include <QMetaObject>

namespace codesign {

BackgroundJob::~BackgroundJob() {
    cancel();
    join();
}

bool BackgroundJob::start(const std::function<void(CancelFlag)>& job) {
    if (running_)
        return false;
    join(); // the last job's thread has ended (finishOn ran) but may not be joined yet
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    thread_ = std::thread([job, cancel = cancel_] { job(cancel); });
    return true;
}

void BackgroundJob::finishOn(QObject* owner, std::function<void()> done) {
    postToThreadOf(owner, [this, done = std::move(done)] {
        running_ = false;
        join();
        done();
    });
}

void BackgroundJob::cancel() {
    if (cancel_)
        cancel_->store(true);
}

void BackgroundJob::join() {
    if (thread_.joinable())
        thread_.join();
}

void postToThreadOf(QObject* owner, std::function<void()> deliver) {
    QMetaObject::invokeMethod(owner, std::move(deliver), Qt::QueuedConnection);
}

} // namespace codesign
