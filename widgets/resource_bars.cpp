#include "resource_bars.h"

#include "qcustomplot_include.h"

#include <QVBoxLayout>

namespace codesign {

ResourceBars::ResourceBars(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumHeight(180);
}

void ResourceBars::setUsage(const Resources& used, const Resources& available) {
    plot_->clearPlottables();
    const QStringList names{QStringLiteral("DSP"), QStringLiteral("BRAM18"), QStringLiteral("LUT"),
                            QStringLiteral("FF")};
    const double u[] = {double(used.dsp), double(used.bram18), double(used.lut), double(used.ff)};
    const double a[] = {double(available.dsp), double(available.bram18), double(available.lut),
                        double(available.ff)};
    auto* fits = new QCPBars(plot_->yAxis, plot_->xAxis);
    auto* over = new QCPBars(plot_->yAxis, plot_->xAxis);
    fits->setBrush(QColor(70, 130, 180));
    fits->setPen(Qt::NoPen);
    over->setBrush(QColor(200, 40, 40));
    over->setPen(Qt::NoPen);
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < 4; ++i) {
        const double pct = a[i] > 0 ? 100.0 * u[i] / a[i] : 0;
        ticker->addTick(i + 1, QStringLiteral("%1  %2/%3").arg(names[i]).arg(u[i]).arg(a[i]));
        (pct > 100 ? over : fits)->addData(i + 1, pct);
    }
    plot_->yAxis->setTicker(ticker);
    plot_->yAxis->setRange(0.4, 4.6);
    plot_->xAxis->setRange(0, 110);
    plot_->xAxis->setLabel(QStringLiteral("% of the device"));
    plot_->replot();
}

} // namespace codesign
