#include "layer_latency_chart.h"

#include "plot_style.h"
#include "qcustomplot_include.h"

#include <QVBoxLayout>
#include <map>

namespace codesign {
namespace {

// One colour per unit the families name (tiled: pw, dw, pool, store; systolic: array, dw,
// fuse, vector); others grey.
QColor unitColor(std::string_view unit) {
    if (unit == "pw" || unit == "array")
        return {52, 101, 164};
    if (unit == "dw")
        return {78, 154, 6};
    if (unit == "fuse")
        return {206, 92, 0};
    if (unit == "pool" || unit == "vector")
        return {196, 160, 0};
    if (unit == "store")
        return {117, 80, 123};
    return {136, 138, 133};
}

} // namespace

LayerLatencyChart::LayerLatencyChart(QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumHeight(220);
    plot_->yAxis->setRangeReversed(true); // first layer on top
    plot_->yAxis->grid()->setVisible(false);
    plot_->xAxis->setLabel(QStringLiteral("stage time per layer, ms"));
    putLegendBelow(plot_);
    plot_->setBackground(palette().base());
}

void LayerLatencyChart::setEstimate(const DesignEstimate& de) {
    plot_->clearPlottables();
    std::map<std::string_view, QCPBars*> byUnit;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    int key = 0;
    double longest = 0;
    for (const LayerEstimate& l : de.estimate.layers) {
        if (l.cycles <= 0 || l.node < 0 || std::size_t(l.node) >= de.graph.nodes.size())
            continue;
        QCPBars*& bars = byUnit[l.unit];
        if (!bars) {
            bars = new QCPBars(plot_->yAxis, plot_->xAxis);
            bars->setName(QStringLiteral("%1 unit").arg(QString::fromUtf8(l.unit)));
            bars->setBrush(unitColor(l.unit));
            bars->setPen(Qt::NoPen);
            bars->setWidth(0.7);
        }
        longest = std::max(longest, l.timeMs);
        bars->addData(++key, l.timeMs);
        ticker->addTick(key, QString::fromStdString(de.graph.nodes[std::size_t(l.node)].name));
    }
    bars_ = key;
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(0.3, key + 0.7);
    plot_->xAxis->setRange(0, longest > 0 ? longest * 1.1 : 1);
    setMinimumHeight(std::max(220, 60 + 16 * key));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void LayerLatencyChart::setStale(bool stale) {
    for (int i = 0; i < plot_->plottableCount(); ++i)
        if (auto* bars = qobject_cast<QCPBars*>(plot_->plottable(i))) {
            QColor c = bars->brush().color();
            c.setAlphaF(stale ? 0.35f : 1.0f);
            bars->setBrush(c);
        }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace codesign
