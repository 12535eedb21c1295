#include "resource_bars.h"

#include "qcustomplot_include.h"

#include <QLocale>
#include <QVBoxLayout>
#include <algorithm>

namespace codesign {

ResourceBars::ResourceBars(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumHeight(150);

    fits_ = new QCPBars(plot_->yAxis, plot_->xAxis);
    over_ = new QCPBars(plot_->yAxis, plot_->xAxis);
    fits_->setBrush(QColor(52, 101, 164));
    fits_->setPen(Qt::NoPen);
    fits_->setWidth(0.6);
    over_->setBrush(QColor(204, 0, 0));
    over_->setPen(Qt::NoPen);
    over_->setWidth(0.6);
    capLine_ = new QCPItemStraightLine(plot_);
    capLine_->setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
    fullLine_ = new QCPItemStraightLine(plot_);
    fullLine_->setPen(QPen(QColor(204, 0, 0), 1));
    fullLine_->point1->setCoords(100, 0);
    fullLine_->point2->setCoords(100, 1);
    plot_->xAxis->setLabel(QStringLiteral("% of the device (dashed: resource cap)"));
    plot_->yAxis->setRangeReversed(true); // DSP on top
    plot_->yAxis->grid()->setVisible(false);
    plot_->setBackground(palette().base());
}

void ResourceBars::setUsage(const Resources& used, const Resources& available, double cap) {
    const QString names[] = {QStringLiteral("DSP"), QStringLiteral("BRAM18"), QStringLiteral("LUT"),
                             QStringLiteral("FF")};
    const double u[] = {double(used.dsp), double(used.bram18), double(used.lut), double(used.ff)};
    const double a[] = {double(available.dsp), double(available.bram18), double(available.lut),
                        double(available.ff)};
    QVector<double> fitKeys, fitValues, overKeys, overValues;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    double highest = 100;
    for (int i = 0; i < 4; ++i) {
        percent_[i] = a[i] > 0 ? 100.0 * u[i] / a[i] : 0;
        highest = std::max(highest, percent_[i]);
        ticker->addTick(i + 1, QStringLiteral("%1 %2 / %3 (%4 %)")
                                   .arg(names[i])
                                   .arg(QLocale().toString(qint64(u[i])))
                                   .arg(QLocale().toString(qint64(a[i])))
                                   .arg(percent_[i], 0, 'f', 0));
        (percent_[i] > 100 ? overKeys : fitKeys).push_back(i + 1);
        (percent_[i] > 100 ? overValues : fitValues).push_back(percent_[i]);
    }
    fits_->setData(fitKeys, fitValues, true);
    over_->setData(overKeys, overValues, true);
    capLine_->point1->setCoords(cap * 100, 0);
    capLine_->point2->setCoords(cap * 100, 1);
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(0.4, 4.6);
    plot_->xAxis->setRange(0, std::min(highest * 1.08, 1000.0));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ResourceBars::setStale(bool stale) {
    const double opacity = stale ? 0.35 : 1.0;
    auto faded = [opacity](QColor c) {
        c.setAlphaF(float(opacity));
        return QBrush(c);
    };
    fits_->setBrush(faded(QColor(52, 101, 164)));
    over_->setBrush(faded(QColor(204, 0, 0)));
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace codesign
