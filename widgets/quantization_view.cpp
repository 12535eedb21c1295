#include "quantization_view.h"

#include "core/estimate/architecture.h"
#include "format_text.h"
#include "plot_style.h"
#include "qcustomplot_include.h"

#include <QLabel>
#include <QVBoxLayout>
#include <cmath>

namespace codesign {
namespace {

void styleCurve(QCPGraph* curve, QColor colour) {
    curve->setPen(QPen(colour, 1.5));
    curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, colour, Qt::white, 7));
}

void styleCurrent(QCPGraph* now) {
    now->setLineStyle(QCPGraph::lsNone);
    now->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(204, 0, 0), 11));
    now->setName(QStringLiteral("current design"));
}

void fit(QCustomPlot* plot, QCPGraph* curve, double xPad) {
    bool found = false;
    const QCPRange keys = curve->getKeyRange(found);
    const QCPRange values = curve->getValueRange(found);
    if (!found)
        return;
    plot->xAxis->setRange(keys.lower - xPad, keys.upper + xPad);
    plot->yAxis->setRange(0, std::max(1.0, values.upper * 1.15));
}

} // namespace

QuantizationView::QuantizationView(QWidget* parent)
    : QWidget(parent), caption_(new QLabel), empty_(new QLabel),
      dspPlot_(makePlot(QStringLiteral("weight bits"), QStringLiteral("DSP slices"))),
      bramPlot_(makePlot(QStringLiteral("input resize factor"), QStringLiteral("BRAM18"))) {
    caption_->setWordWrap(true);
    caption_->setTextFormat(Qt::PlainText);
    empty_->setWordWrap(true);
    empty_->setStyleSheet(QStringLiteral("color: palette(dark)"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(caption_);
    layout->addWidget(empty_);
    layout->addWidget(dspPlot_, 1);
    layout->addWidget(bramPlot_, 1);
    layout->addStretch(0);

    dspCurve_ = dspPlot_->addGraph();
    styleCurve(dspCurve_, QColor(52, 101, 164));
    dspCurve_->setLineStyle(QCPGraph::lsStepCenter);
    dspCurve_->setName(QStringLiteral("same accelerator"));
    dspNow_ = dspPlot_->addGraph();
    styleCurrent(dspNow_);
    bramCurve_ = bramPlot_->addGraph();
    styleCurve(bramCurve_, QColor(78, 154, 6));
    bramCurve_->setName(QStringLiteral("same accelerator"));
    bramNow_ = bramPlot_->addGraph();
    styleCurrent(bramNow_);
    for (QCustomPlot* plot : {dspPlot_, bramPlot_})
        putLegendBelow(plot);
    dspPlot_->xAxis->ticker()->setTickCount(8);

    connect(dspPlot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (auto bits = pointNear(dspPlot_, dspCurve_, e))
            chooseWeightBits(static_cast<int>(std::lround(*bits)));
    });
    connect(bramPlot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (auto resize = pointNear(bramPlot_, bramCurve_, e))
            chooseResize(*resize);
    });
    clear();
}

void QuantizationView::clear() {
    hasCurves_ = false;
    setEnabled(true);
    showPlots(false, QStringLiteral("<i>Estimating...</i>"));
}

QString QuantizationView::emptyText() const {
    return empty_->isHidden() ? QString() : empty_->text();
}

// Plots without curves would show axes of nothing: the view shows a line instead.
void QuantizationView::showPlots(bool shown, const QString& emptyText) {
    caption_->setVisible(shown);
    dspPlot_->setVisible(shown);
    bramPlot_->setVisible(shown);
    empty_->setText(emptyText);
    empty_->setVisible(!shown);
}

QCustomPlot* QuantizationView::makePlot(const QString& xLabel, const QString& yLabel) {
    auto* plot = new QCustomPlot;
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    plot->setMinimumHeight(170);
    plot->setToolTip(QStringLiteral("Click a point to apply it to the design (one undo step)"));
    plot->setBackground(palette().base());
    plot->setCursor(Qt::PointingHandCursor);
    return plot;
}

std::optional<double> QuantizationView::pointNear(QCustomPlot* plot, QCPGraph* graph,
                                                  QMouseEvent* e) {
    std::optional<double> best;
    double bestDistance = 14; // pixels
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
        const double dx = plot->xAxis->coordToPixel(it->key) - e->position().x();
        const double dy = plot->yAxis->coordToPixel(it->value) - e->position().y();
        const double distance = std::hypot(dx, dy);
        if (distance < bestDistance) {
            bestDistance = distance;
            best = it->key;
        }
    }
    return best;
}

void QuantizationView::setCurves(const QuantizationCurves& c) {
    QVector<double> x, y;
    for (const auto& p : c.dspByWeightBits) {
        x.push_back(p.x);
        y.push_back(p.y);
    }
    dspCurve_->setData(x, y, true);
    dspNow_->setData({double(c.weightBits)}, {c.dsp}, true);
    x.clear();
    y.clear();
    for (const auto& p : c.bramByResize) {
        x.push_back(p.x);
        y.push_back(p.y);
    }
    bramCurve_->setData(x, y, true);
    bramNow_->setData({c.resize}, {c.bram18}, true);
    fit(dspPlot_, dspCurve_, 0.5);
    fit(bramPlot_, bramCurve_, 0.03);
    // The activation width in use; a note when per-layer overrides widened a shared format
    // (the DSP curve is then flat below the widest weight override).
    const QString note = formatsNote(c.formats);
    caption_->setText(
        QStringLiteral("The current accelerator held fixed (%1) at "
                       "%2-bit activations. Click a point to apply it.%3")
            .arg(QString::fromStdString(architectureOf(c.design).designSummary(c.design, nullptr)))
            .arg(c.activationBits)
            .arg(note.isEmpty() ? QString() : QStringLiteral("\n") + note));
    dspPlot_->replot(QCustomPlot::rpQueuedReplot);
    bramPlot_->replot(QCustomPlot::rpQueuedReplot);
    hasCurves_ = true;
    showPlots(true, {});
}

void QuantizationView::setStale(bool stale) {
    if (stale && !hasCurves_) {
        showPlots(false, QStringLiteral("No curves: the design does not build. They show here "
                                        "once it does (the QoS panel names the layer)."));
        return;
    }
    setEnabled(!stale);
}

} // namespace codesign
