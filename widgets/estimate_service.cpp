#include "estimate_service.h"

#include "core/hw/device_library.h"

#include <QElapsedTimer>
#include <QMetaObject>

namespace codesign {

EstimateService::EstimateService(QObject* parent) : QObject(parent) {
    worker_ = std::thread([this] { run(); });
}

EstimateService::~EstimateService() {
    {
        std::lock_guard lock(mutex_);
        quit_ = true;
    }
    wake_.notify_all();
    worker_.join();
}

quint64 EstimateService::request(const Project& project) {
    {
        std::lock_guard lock(mutex_);
        pending_.emplace(++generation_, project);
    }
    wake_.notify_one();
    return generation_;
}

void EstimateService::run() {
    for (;;) {
        std::pair<quint64, Project> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return quit_ || pending_.has_value(); });
            if (quit_)
                return;
            job = std::move(*pending_);
            pending_.reset();
        }
        QElapsedTimer clock;
        clock.start();
        auto outcome = std::make_shared<EstimateOutcome>();
        outcome->generation = job.first;
        Result<DesignEstimate> estimate = estimateDesign(job.second, DeviceLibrary::standard());
        if (estimate.ok()) {
            outcome->curves = quantizationCurves(job.second, *estimate);
            outcome->estimate = std::move(estimate).value();
        } else {
            outcome->error = estimate.error();
            Result<Graph> graph = buildGraph(job.second, &outcome->resolved);
            if (graph.ok())
                outcome->resolved = std::move(graph).value();
        }
        outcome->computeMs = double(clock.nsecsElapsed()) / 1e6;
        // Queued to this object's (the GUI) thread; dropped if the service is gone.
        QMetaObject::invokeMethod(
            this,
            [this, result = std::shared_ptr<const EstimateOutcome>(std::move(outcome))] {
                Q_EMIT finished(result);
            },
            Qt::QueuedConnection);
    }
}

} // namespace codesign
