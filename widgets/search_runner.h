#pragma once

#include "core/qor/qor_cache.h"
#include "core/search/search_engine.h"
#include "core/search/search_report.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace codesign {

// Everything one search needs; the runner owns it for the run.
struct SearchJob {
    Project project; // the base design
    Device device;
    SearchConstraints constraints;
    SearchSettings settings;
    std::unique_ptr<QorEvaluator> evaluator;
    std::shared_ptr<QorCache> cache; // measured QoR is looked up and stored here; may be null
    std::string outputDir;           // archive.csv, pareto.json, designs/; empty: not written
    SearchRunInfo info;
};

struct SearchRunSummary {
    bool ok = false;
    QString message; // the stop reason, or the error
    std::shared_ptr<const SearchOutcome> outcome;
    double stopToEndMs = -1; // from stop() to the worker's end; -1 when not stopped
    QString outputError;     // writing the outputs failed, and why
};

// The thin adapter between the core's search and the GUI (docs/gui.md): runs runSearch on
// a worker thread, turns RunControl into start/pause/resume/stop and buffers the observer's
// points, which the GUI takes in batches on its own clock (takePoints()) rather than one
// queued signal per design: the search can evaluate thousands of designs a second.
class SearchRunner : public QObject {
    Q_OBJECT
public:
    explicit SearchRunner(QObject* parent = nullptr);
    ~SearchRunner() override; // stops the search and waits for it

    // Builds the design space and starts. An error (a bad space) starts nothing.
    Status start(SearchJob job);
    void pause();
    void resume();
    void stop();
    bool isRunning() const { return running_; }
    bool isPaused() const;

    // The designs evaluated since the last call, in the order they were evaluated.
    std::vector<EvaluatedPoint> takePoints();
    std::optional<SearchProgress> latestProgress() const;
    // What the QoR evaluator is doing inside the current evaluation (a design's training);
    // set from the search's thread, read on the GUI's clock. Cleared at start.
    void setQorDetail(const QString& text);
    QString qorDetail() const;
    // The space of the current (or last) run, for describe() and apply().
    std::shared_ptr<const DesignSpace> space() const { return space_; }

Q_SIGNALS:
    void finished(const codesign::SearchRunSummary& summary);

private:
    class Observer;
    void run(std::shared_ptr<SearchJob> job, std::shared_ptr<RunControl> control);
    void join();

    std::thread worker_;
    std::shared_ptr<RunControl> control_;
    std::shared_ptr<const DesignSpace> space_;
    bool running_ = false;

    mutable std::mutex mutex_; // guards the three below
    std::vector<EvaluatedPoint> pending_;
    std::optional<SearchProgress> progress_;
    QString qorDetail_;

    std::atomic<std::int64_t> stopRequestedAtNs_{0};
};

} // namespace codesign
