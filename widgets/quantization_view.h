#pragma once

#include "core/estimate/quantization_curves.h"

#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QLabel;
class QMouseEvent;

namespace codesign {

// The seed's two quantization observations for the current design: DSP slices against
// the weight width and BRAM18 against the input resize, on the same accelerator, with the
// current point marked. Clicking a point asks to apply it (one undo step).
class QuantizationView : public QWidget {
    Q_OBJECT
public:
    explicit QuantizationView(QWidget* parent = nullptr);
    void setCurves(const QuantizationCurves& curves);
    // Stale: the design stopped building. The last curves stay, disabled; with none (a
    // project that never built) the plots give way to a line that says so.
    void setStale(bool stale);
    // Forgets the curves (another project).
    void clear();
    bool hasCurves() const { return hasCurves_; }
    QString emptyText() const; // the line shown instead of the plots; empty when they show

    // What a click on the point does; public so that tests and keyboard users can call it.
    void chooseWeightBits(int bits) { Q_EMIT weightBitsChosen(bits); }
    void chooseResize(double resize) { Q_EMIT resizeChosen(resize); }

Q_SIGNALS:
    void weightBitsChosen(int bits);
    void resizeChosen(double resize);

private:
    QCustomPlot* makePlot(const QString& xLabel, const QString& yLabel);
    // The data point of `graph` nearest to the click, within a few pixels.
    static std::optional<double> pointNear(QCustomPlot* plot, QCPGraph* graph, QMouseEvent* e);

    void showPlots(bool shown, const QString& emptyText);

    QLabel* caption_;
    QLabel* empty_;
    bool hasCurves_ = false;
    QCustomPlot* dspPlot_;
    QCustomPlot* bramPlot_;
    QCPGraph* dspCurve_ = nullptr;
    QCPGraph* dspNow_ = nullptr;
    QCPGraph* bramCurve_ = nullptr;
    QCPGraph* bramNow_ = nullptr;
};

} // namespace codesign
