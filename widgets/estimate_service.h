#pragma once

#include "core/estimate/design_estimate.h"
#include "core/estimate/quantization_curves.h"

#include <QObject>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace codesign {

// The estimate of one version of the project.
struct EstimateOutcome {
    quint64 generation = 0;
    std::optional<DesignEstimate> estimate; // empty when the project does not build
    Diagnostic error;
    // When it does not build: the network up to the error (buildGraph's resolved groups),
    // or all of it when the graph built and the estimate failed.
    Graph resolved;
    QuantizationCurves curves;
    double computeMs = 0;
};

// Estimates the document off the GUI thread. Requests coalesce: while one estimate runs,
// only the newest request waits, so a burst of edits costs one extra estimate, not one per
// edit. Results arrive on the GUI thread in finished().
class EstimateService : public QObject {
    Q_OBJECT
public:
    explicit EstimateService(QObject* parent = nullptr);
    ~EstimateService() override;

    // Returns the request's generation; results carry it so that stale ones can be told.
    quint64 request(const Project& project);
    quint64 latestGeneration() const { return generation_; }

Q_SIGNALS:
    void finished(std::shared_ptr<const codesign::EstimateOutcome> outcome);

private:
    void run();

    std::thread worker_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<std::pair<quint64, Project>> pending_;
    bool quit_ = false;
    quint64 generation_ = 0;
};

} // namespace codesign
