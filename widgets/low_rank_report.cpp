#include "low_rank_report.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

namespace codesign {
namespace {

QTableWidgetItem* cell(const QString& text, bool number = true) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString macs(std::int64_t v) {
    return QLocale(QLocale::English).toString(qlonglong(v));
}

} // namespace

LowRankReport::LowRankReport(QWidget* parent)
    : QDialog(parent), summary_(new QLabel), table_(new QTableWidget), reverted_(new QLabel) {
    setObjectName(QStringLiteral("lowRankReport"));
    setWindowTitle(QStringLiteral("Low-rank decomposition"));
    summary_->setWordWrap(true);
    reverted_->setWordWrap(true);
    table_->setColumnCount(9);
    table_->setHorizontalHeaderLabels({QStringLiteral("Layer"), QStringLiteral("Rank"),
                                       QStringLiteral("Error"), QStringLiteral("MACs before"),
                                       QStringLiteral("MACs after"), QStringLiteral("Outcome"),
                                       QStringLiteral("Cycles before"),
                                       QStringLiteral("Cycles after"), QStringLiteral("Scheme")});
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setToolTip(QStringLiteral("Error: ||W - W_r||_F / ||W||_F of the rank-r weights "
                                      "(the tail of the singular values)"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(table_, 1);
    layout->addWidget(reverted_);
    layout->addWidget(buttons);
    resize(940, 420);
}

void LowRankReport::showResult(const transform::LowRankResult& r, const QStringList& entries,
                               const LowRankSettings& settings, const QString& weightsFile) {
    const double share = r.macsBefore > 0 ? 100.0 * double(r.macsAfter) / double(r.macsBefore) : 0;
    const QString asked =
        settings.ranksFile.empty()
            ? QStringLiteral("at an OPs budget of %1").arg(settings.budget)
            : QStringLiteral("at the ranks of %1")
                  .arg(QString::fromStdString(settings.ranksFile).toHtmlEscaped());
    summary_->setText(
        QStringLiteral("<b>%1</b>, scheme %2, %3: network MACs %4 before, %5 after "
                       "(%6 %). New weights in %7. <i>Edit &gt; Undo (Ctrl+Z) restores the "
                       "project.</i>")
            .arg(entries.join(QStringLiteral(", ")).toHtmlEscaped())
            .arg(QString::fromStdString(settings.scheme).toHtmlEscaped(), asked)
            .arg(macs(r.macsBefore), macs(r.macsAfter))
            .arg(share, 0, 'f', 1)
            .arg(weightsFile.toHtmlEscaped()));
    table_->setRowCount(int(r.layers.size()));
    QStringList reverted;
    for (int i = 0; i < int(r.layers.size()); ++i) {
        const transform::LowRankLayer& l = r.layers[std::size_t(i)];
        const bool kept = l.outcome == transform::LayerOutcome::Reverted;
        table_->setItem(i, 0, cell(QString::fromStdString(l.name), false));
        table_->setItem(i, 1, cell(QStringLiteral("%1 of %2").arg(l.rank).arg(l.fullRank)));
        table_->setItem(i, 2, cell(QString::number(l.error, 'f', 4)));
        table_->setItem(i, 3, cell(macs(l.macsBefore)));
        table_->setItem(i, 4, cell(kept ? QStringLiteral("-") : macs(l.macsAfter)));
        table_->setItem(i, 5,
                        cell(kept ? QStringLiteral("reverted")
                                  : QStringLiteral("%1 + %2").arg(QString::fromStdString(l.first),
                                                                  QString::fromStdString(l.second)),
                             false));
        const bool cycles = l.cyclesBefore > 0;
        table_->setItem(i, 6, cell(cycles ? macs(l.cyclesBefore) : QStringLiteral("-")));
        table_->setItem(i, 7, cell(cycles ? macs(l.cyclesAfter) : QStringLiteral("-")));
        table_->setItem(i, 8, cell(QString::fromStdString(l.scheme), false));
        if (kept)
            reverted << QStringLiteral("%1: %2").arg(QString::fromStdString(l.name),
                                                     QString::fromStdString(l.why).toHtmlEscaped());
    }
    const QString judged = r.design.empty()
                               ? QStringLiteral("Layers judged by MACs.")
                               : QStringLiteral("Layers judged by their cycles on %1.")
                                     .arg(QString::fromStdString(r.design).toHtmlEscaped());
    reverted_->setText(judged + QStringLiteral(" ") +
                       (reverted.isEmpty()
                            ? QStringLiteral("No layer reverted.")
                            : QStringLiteral("<b>Reverted</b> (left as they were):<br>") +
                                  reverted.join(QStringLiteral("<br>"))));
}

QString LowRankReport::summary() const {
    return summary_->text();
}

} // namespace codesign
