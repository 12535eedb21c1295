#pragma once

#include "core/estimate/design_estimate.h"

#include <QWidget>

class QCustomPlot;

namespace codesign {

// Per-layer stage time of the design (ms per batch), one bar per layer that runs on the
// accelerator, coloured by the unit that runs it. Layers folded into their producer
// (relu, bn) take no time of their own and are left out.
class LayerLatencyChart : public QWidget {
    Q_OBJECT
public:
    explicit LayerLatencyChart(QWidget* parent = nullptr);
    void setEstimate(const DesignEstimate& estimate);
    void setStale(bool stale);
    int barCount() const { return bars_; }

private:
    QCustomPlot* plot_;
    int bars_ = 0;
};

} // namespace codesign
