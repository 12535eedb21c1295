#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace codesign {

// Cancel and pause for long work (search, training, export). The worker polls
// stopRequested() and calls waitWhilePaused() between steps; any thread may call stop(),
// pause() and resume(). Stopping also releases a paused worker.
class RunControl {
public:
    void stop() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        changed_.notify_all();
    }
    void pause() {
        std::lock_guard lock(mutex_);
        paused_ = true;
    }
    void resume() {
        {
            std::lock_guard lock(mutex_);
            paused_ = false;
        }
        changed_.notify_all();
    }
    bool stopRequested() const { return stop_.load(std::memory_order_relaxed); }
    bool paused() const {
        std::lock_guard lock(mutex_);
        return paused_;
    }
    // Blocks while paused; returns false when stopped.
    bool waitWhilePaused() {
        std::unique_lock lock(mutex_);
        ++waiting_;
        changed_.wait(lock, [&] { return !paused_ || stop_; });
        --waiting_;
        return !stop_;
    }
    // True while a worker is blocked in waitWhilePaused(): the pause has taken hold (a
    // worker finishes its current step before it looks).
    bool holding() const {
        std::lock_guard lock(mutex_);
        return waiting_ > 0;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::atomic<bool> stop_{false};
    bool paused_ = false;
    int waiting_ = 0;
};

} // namespace codesign
