#pragma once

#include <QObject>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

namespace codesign {

// The one-job-at-a-time worker that the export, import and low-rank runners share: the
// thread, the job's cancel flag, and the hand-back of results to the GUI thread.
class BackgroundJob {
public:
    using CancelFlag = std::shared_ptr<std::atomic<bool>>;

    BackgroundJob() = default;
    BackgroundJob(const BackgroundJob&) = delete;
    BackgroundJob& operator=(const BackgroundJob&) = delete;
    ~BackgroundJob(); // cancels and waits

    // False when a job is running. `job` runs on a new thread with its own cancel flag.
    bool start(const std::function<void(CancelFlag)>& job);
    // Called by the job as its last step: `done` runs on `owner`'s (the GUI) thread once
    // the worker has ended.
    void finishOn(QObject* owner, std::function<void()> done);
    void cancel();
    bool isRunning() const { return running_; }

private:
    void join();

    std::thread thread_;
    CancelFlag cancel_;
    bool running_ = false;
};

// Runs `deliver` on `owner`'s thread, later: a worker's progress report to the GUI.
void postToThreadOf(QObject* owner, std::function<void()> deliver);

} // namespace codesign
