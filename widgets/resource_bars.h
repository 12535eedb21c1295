#pragma once

#include "core/estimate/estimate.h"

#include <QWidget>

class QCustomPlot;

namespace codesign {

// DSP, BRAM18, LUT and FF of a design as percentages of the device, over-capacity in red.
class ResourceBars : public QWidget {
    Q_OBJECT
public:
    explicit ResourceBars(QWidget* parent = nullptr);
    void setUsage(const Resources& used, const Resources& available);

private:
    QCustomPlot* plot_;
};

} // namespace codesign
