#include "qos_panel.h"

#include "format_text.h"
#include "layer_latency_chart.h"
#include "partition_view.h"
#include "resource_bars.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QVBoxLayout>

namespace codesign {
namespace {

QString number(double v, int decimals) {
    return QLocale().toString(v, 'f', decimals);
}

QLabel* caption(const QString& text) {
    auto* label = new QLabel(text);
    label->setStyleSheet(QStringLiteral("color: palette(mid)"));
    return label;
}

} // namespace

QosPanel::QosPanel(QWidget* parent)
    : QWidget(parent), title_(new QLabel), error_(new QLabel), empty_(new QLabel),
      numbers_(new QWidget), fps_(new QLabel), details_(new QLabel), config_(new QLabel),
      formats_(new QLabel), bars_(new ResourceBars), latency_(new LayerLatencyChart),
      partitionsCaption_(caption(QStringLiteral("Partitions (interval per layer, the slowest "
                                                "marked)"))),
      partitions_(new PartitionView) {
    error_->setWordWrap(true);
    error_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    error_->setStyleSheet(QStringLiteral("color: #a40000; background: #fde8e8; padding: 6px; "
                                         "border: 1px solid #e0a0a0; border-radius: 3px"));
    error_->hide();
    title_->setWordWrap(true);
    QFont big = fps_->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    fps_->setFont(big);
    details_->setTextFormat(Qt::RichText);
    details_->setWordWrap(true);
    config_->setWordWrap(true);
    config_->setTextFormat(Qt::PlainText);
    config_->setStyleSheet(QStringLiteral("color: palette(dark)"));
    formats_->setWordWrap(true);
    formats_->setTextFormat(Qt::PlainText);
    formats_->setStyleSheet(QStringLiteral("color: #7a4d00; background: #fff4d6; padding: 4px; "
                                           "border: 1px solid #e6c66e; border-radius: 3px"));
    formats_->hide();
    empty_->setWordWrap(true);
    empty_->setStyleSheet(QStringLiteral("color: palette(dark)"));

    auto* numbersLayout = new QVBoxLayout(numbers_);
    numbersLayout->setContentsMargins(0, 0, 0, 0);
    numbersLayout->addWidget(fps_);
    numbersLayout->addWidget(details_);
    numbersLayout->addWidget(config_);
    numbersLayout->addWidget(formats_);
    // A streaming design's partitions come first: they say what limits it.
    numbersLayout->addWidget(partitionsCaption_);
    numbersLayout->addWidget(partitions_);
    numbersLayout->addWidget(caption(QStringLiteral("Resources")));
    numbersLayout->addWidget(bars_);
    numbersLayout->addWidget(caption(QStringLiteral("Per-layer time")));
    numbersLayout->addWidget(latency_, 1);
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(title_);
    layout->addWidget(error_);
    layout->addWidget(empty_);
    layout->addWidget(numbers_, 1);
    layout->addStretch(0);
    clear();

    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
}

QString QosPanel::fpsText() const {
    return fps_->text();
}

QString QosPanel::detailsText() const {
    return details_->text();
}

QString QosPanel::errorText() const {
    return error_->isHidden() ? QString() : error_->text();
}

QString QosPanel::emptyText() const {
    return empty_->isHidden() ? QString() : empty_->text();
}

void QosPanel::clear() {
    hasNumbers_ = false;
    setStale(false);
    error_->hide();
    title_->setText(QStringLiteral("<i>Estimating...</i>"));
    showNumbers(false);
}

// Charts without numbers would show axes of nothing: the panel shows a line instead.
void QosPanel::showNumbers(bool shown, const QString& emptyText) {
    numbers_->setVisible(shown);
    empty_->setText(emptyText);
    empty_->setVisible(!shown && !emptyText.isEmpty());
}

void QosPanel::setStale(bool stale) {
    stale_ = stale;
    const QString colour = stale ? QStringLiteral("color: palette(mid)") : QString();
    fps_->setStyleSheet(colour);
    details_->setStyleSheet(colour);
    bars_->setStale(stale);
    latency_->setStale(stale);
    partitions_->setStale(stale);
}

void QosPanel::showOutcome(const EstimateOutcome& outcome, const Project& project) {
    if (!outcome.estimate) {
        const Diagnostic& d = outcome.error;
        // The layer's name is what the user sees in the editor; positions in the file
        // stop meaning much once the design has been edited.
        QString where = d.layer.empty() ? QString()
                                        : QStringLiteral("Layer <b>%1</b>: ")
                                              .arg(QString::fromStdString(d.layer).toHtmlEscaped());
        error_->setText(where + QString::fromStdString(d.message).toHtmlEscaped() +
                        (hasNumbers_ ? QStringLiteral("<br><i>The numbers below are the last "
                                                      "valid design's (stale).</i>")
                                     : QString()));
        error_->show();
        if (hasNumbers_) {
            setStale(true);
        } else {
            title_->setText(QStringLiteral("<i>No valid design yet</i>"));
            showNumbers(false, QStringLiteral("No numbers: the design does not build. FPS, "
                                              "power, resources and per-layer time show here "
                                              "once the layer above is fixed."));
        }
        return;
    }
    error_->hide();
    hasNumbers_ = true;
    setStale(false);
    showNumbers(true);
    const DesignEstimate& pe = *outcome.estimate;
    const Estimate& e = pe.estimate;
    title_->setText(QStringLiteral("<b>%1</b> on %2 (%3)")
                        .arg(QString::fromStdString(project.name).toHtmlEscaped(),
                             QString::fromStdString(pe.device.board).toHtmlEscaped(),
                             QString::fromStdString(pe.device.part)));
    fps_->setText(QStringLiteral("%1 FPS").arg(number(e.fps, 1)));
    fps_->setToolTip(QStringLiteral("The accelerator alone; the system figure below adds the "
                                    "processor's work per frame"));
    const PowerBreakdown& p = e.power;
    details_->setText(
        QStringLiteral("<table cellspacing='2'>"
                       "<tr><td>system</td><td><b>%7 FPS</b></td>"
                       "<td>&nbsp;&nbsp;host / frame</td><td>%8 ms</td></tr>"
                       "<tr><td>latency</td><td><b>%1 ms</b></td>"
                       "<td>&nbsp;&nbsp;compute-bound</td><td>%2 FPS</td></tr>"
                       "<tr><td>power</td><td><b>%3 W</b></td>"
                       "<td>&nbsp;&nbsp;energy / image</td><td><b>%4 mJ</b></td></tr>"
                       "<tr><td>bottleneck</td><td colspan='3'>%5</td></tr>"
                       "<tr><td>status</td><td colspan='3'>%6</td></tr></table>")
            .arg(number(e.latencyMs, 2), number(e.computeBoundFps, 1), number(e.powerW, 2),
                 number(e.energyPerImageMj, 1),
                 QString::fromStdString(e.bottleneck).toHtmlEscaped(),
                 e.feasible ? QStringLiteral("<span style='color:#2e7d32'>fits the device</span>")
                            : QStringLiteral("<span style='color:#a40000'>%1</span>")
                                  .arg(QString::fromStdString(e.violations.empty()
                                                                  ? std::string("does not fit")
                                                                  : e.violations.front())
                                           .toHtmlEscaped()))
            .arg(number(e.fpsSystem, 1), number(e.host.totalMs(), 1)));
    details_->setToolTip(QStringLiteral("Power: board static %1 W, PL static %2 W, DSP %3 W, "
                                        "BRAM %4 W, logic %5 W, DDR %6 W")
                             .arg(number(p.boardStaticW, 2), number(p.plStaticW, 2),
                                  number(p.dspW, 3), number(p.bramW, 3), number(p.logicW, 3),
                                  number(p.ddrW, 3)));
    // The formats in use, not the project's: per-layer overrides can widen the storage
    // that all layers share (the tiled accelerator's; other families store as written).
    const TiledDetail* tiled = std::get_if<TiledDetail>(&e.detail);
    config_->setText(
        QStringLiteral("%1 %2: %3 MHz, %4, %5; estimated in %6 ms")
            .arg(e.autoSized ? QStringLiteral("Auto-sized") : QStringLiteral("Fixed"),
                 QString::fromUtf8(pe.architecture->title()))
            .arg(e.clockMhz)
            .arg(QString::fromStdString(pe.architecture->designSummary(e.detail, &pe.graph)),
                 tiled ? formatsShort(tiled->formats)
                       : QStringLiteral("W%1/A%2")
                             .arg(project.precision.weights.width)
                             .arg(project.precision.activations.width),
                 number(outcome.computeMs, 1)));
    formats_->setText(tiled ? formatsNote(tiled->formats) : QString());
    formats_->setVisible(!formats_->text().isEmpty());
    bars_->setUsage(e.used, e.available, project.accelerator.resourceCap);
    latency_->setEstimate(pe);
    const bool streaming = partitions_->setEstimate(e);
    partitionsCaption_->setVisible(streaming);
    partitions_->setVisible(streaming);
}

} // namespace codesign
