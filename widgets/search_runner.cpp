#include "search_runner.h"

#include "core/search/search_report.h"

#include <QMetaObject>

namespace codesign {
namespace {

std::int64_t nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

// Runs on the worker: copies each point into the runner's buffer.
class SearchRunner::Observer : public SearchObserver {
public:
    explicit Observer(SearchRunner& runner) : runner_(runner) {}
    void pointEvaluated(const EvaluatedPoint& p) override {
        std::lock_guard lock(runner_.mutex_);
        runner_.pending_.push_back(p);
    }
    void progressed(const SearchProgress& p) override {
        std::lock_guard lock(runner_.mutex_);
        runner_.progress_ = p;
    }

private:
    SearchRunner& runner_;
};

SearchRunner::SearchRunner(QObject* parent) : QObject(parent) {}

SearchRunner::~SearchRunner() {
    if (control_)
        control_->stop();
    join();
}

void SearchRunner::join() {
    if (worker_.joinable())
        worker_.join();
}

Status SearchRunner::start(SearchJob job) {
    if (running_)
        return makeError("a search is running; stop it first");
    join(); // the previous run's thread has ended (its finished() was delivered)
    Result<DesignSpace> space = DesignSpace::fromProject(job.project);
    if (!space.ok())
        return space.error();
    space_ = std::make_shared<const DesignSpace>(std::move(space).value());
    {
        std::lock_guard lock(mutex_);
        pending_.clear();
        progress_.reset();
        qorDetail_.clear();
    }
    stopRequestedAtNs_ = 0;
    control_ = std::make_shared<RunControl>();
    running_ = true;
    worker_ = std::thread([this, shared = std::make_shared<SearchJob>(std::move(job)),
                           control = control_] { run(shared, control); });
    return okStatus();
}

void SearchRunner::run(std::shared_ptr<SearchJob> job, std::shared_ptr<RunControl> control) {
    SearchRunSummary summary;
    CandidateEvaluator candidates(*space_, job->device, job->constraints);
    std::unique_ptr<CachedQorEvaluator> cached;
    QorEvaluator* qor = job->evaluator.get();
    if (job->cache) {
        cached = std::make_unique<CachedQorEvaluator>(*job->evaluator, job->cache);
        qor = cached.get();
    }
    Observer observer(*this);
    Result<SearchOutcome> outcome =
        runSearch(*space_, candidates, *qor, job->settings, *control, &observer);
    if (outcome.ok()) {
        summary.ok = true;
        summary.message = QString::fromStdString(outcome->stopReason);
        if (!job->outputDir.empty())
            if (Status s = writeSearchOutputs(job->outputDir, *space_, *outcome, job->info);
                !s.ok())
                summary.outputError = QString::fromStdString(s.error().format());
        summary.outcome = std::make_shared<const SearchOutcome>(std::move(outcome).value());
    } else {
        summary.message = QString::fromStdString(outcome.error().format());
    }
    if (const std::int64_t at = stopRequestedAtNs_.load(); at > 0)
        summary.stopToEndMs = double(nowNs() - at) / 1e6;
    QMetaObject::invokeMethod(
        this,
        [this, summary] {
            running_ = false;
            join();
            Q_EMIT finished(summary);
        },
        Qt::QueuedConnection);
}

void SearchRunner::pause() {
    if (control_)
        control_->pause();
}

void SearchRunner::resume() {
    if (control_)
        control_->resume();
}

void SearchRunner::stop() {
    if (!control_ || !running_)
        return;
    std::int64_t expected = 0;
    stopRequestedAtNs_.compare_exchange_strong(expected, nowNs());
    control_->stop();
}

bool SearchRunner::isPaused() const {
    return control_ && control_->paused();
}

std::vector<EvaluatedPoint> SearchRunner::takePoints() {
    std::lock_guard lock(mutex_);
    std::vector<EvaluatedPoint> out;
    out.swap(pending_);
    return out;
}

std::optional<SearchProgress> SearchRunner::latestProgress() const {
    std::lock_guard lock(mutex_);
    return progress_;
}

void SearchRunner::setQorDetail(const QString& text) {
    std::lock_guard lock(mutex_);
    qorDetail_ = text;
}

QString SearchRunner::qorDetail() const {
    std::lock_guard lock(mutex_);
    return qorDetail_;
}

} // namespace codesign
