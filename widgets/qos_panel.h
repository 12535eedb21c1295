#pragma once

#include "estimate_service.h"

#include <QWidget>

class QLabel;

namespace codesign {

class LayerLatencyChart;
class PartitionView;
class ResourceBars;

// What the accelerator of the current design costs: FPS, latency, power, energy per image,
// bottleneck, resources against the device, per-layer time and, for a streaming design, its
// partitions (PartitionView). When the project stops
// building, the last good numbers stay, greyed and marked stale, under a message that names
// the layer; with no good numbers (a project that never built) the charts give way to a
// line that says so.
class QosPanel : public QWidget {
    Q_OBJECT
public:
    explicit QosPanel(QWidget* parent = nullptr);

    void showOutcome(const EstimateOutcome& outcome, const Project& project);
    // Forgets the numbers (another project: its numbers are no "last valid" ones).
    void clear();
    bool isStale() const { return stale_; }
    bool hasNumbers() const { return hasNumbers_; }
    QString fpsText() const;     // the accelerator's FPS
    QString detailsText() const; // the table under it (system FPS, latency, power, ...)
    QString errorText() const;
    QString emptyText() const; // the line shown instead of the numbers; empty when they show
    const ResourceBars* resourceBars() const { return bars_; }
    const LayerLatencyChart* latencyChart() const { return latency_; }
    const PartitionView* partitionView() const { return partitions_; }

private:
    void setStale(bool stale);
    void showNumbers(bool shown, const QString& emptyText = {});

    QLabel* title_;
    QLabel* error_;
    QLabel* empty_;
    QWidget* numbers_; // everything that shows numbers
    QLabel* fps_;
    QLabel* details_;
    QLabel* config_;
    QLabel* formats_; // the shared storage formats, when overrides widened them
    ResourceBars* bars_;
    LayerLatencyChart* latency_;
    QLabel* partitionsCaption_;
    PartitionView* partitions_; // streaming designs only
    bool stale_ = false;
    bool hasNumbers_ = false;
};

} // namespace codesign
