#pragma once

#include "core/estimate/estimate.h"

#include <QWidget>

class QCustomPlot;
class QCPBars;
class QCPItemStraightLine;

namespace codesign {

// DSP, BRAM18, LUT and FF of a design as percentages of the device: blue within the
// device, red over it; a dashed line marks the resource cap the sizing aims at.
class ResourceBars : public QWidget {
    Q_OBJECT
public:
    explicit ResourceBars(QWidget* parent = nullptr);
    void setUsage(const Resources& used, const Resources& available, double cap = 0.9);
    void setStale(bool stale);

    // For tests: the percentage shown for resource i (DSP, BRAM18, LUT, FF) and whether its
    // bar is drawn red.
    double percent(int i) const { return percent_[i]; }
    bool overCapacity(int i) const { return percent_[i] > 100.0; }

private:
    QCustomPlot* plot_;
    QCPBars* fits_;
    QCPBars* over_;
    QCPItemStraightLine* capLine_;
    QCPItemStraightLine* fullLine_;
    double percent_[4] = {0, 0, 0, 0};
};

} // namespace codesign
