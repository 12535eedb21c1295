#include "partition_view.h"

#include "core/estimate/streaming/streaming_detail.h"

#include <QHeaderView>
#include <QLocale>

namespace codesign {
namespace {

const QString kSlowest = QStringLiteral("slowest");

QString cycles(double v) {
    return QLocale().toString(v, 'f', 0);
}

QString folding(const StreamingLayerEstimate& row) {
    return QStringLiteral("%1 / %2 / %3").arg(row.coarseIn).arg(row.coarseOut).arg(row.fine);
}

void emphasise(QTreeWidgetItem* item, const QColor& colour) {
    for (int c = 0; c < PartitionView::ColumnCount; ++c) {
        QFont f = item->font(c);
        f.setBold(true);
        item->setFont(c, f);
        if (colour.isValid())
            item->setForeground(c, colour);
    }
}

QTreeWidgetItem* partitionItem(const StreamingDetail& d, int p) {
    const StreamingPartitionEstimate& part = d.estimate.partitions[std::size_t(p)];
    auto* item = new QTreeWidgetItem;
    item->setText(PartitionView::Name, QStringLiteral("Partition %1").arg(p + 1));
    item->setText(PartitionView::Interval, cycles(part.intervalCycles));
    item->setText(PartitionView::Dsp, QLocale().toString(part.dsp, 'f', 1));
    item->setText(PartitionView::Bram18, QString::number(part.bram18));
    QString note = QStringLiteral("%1 cycles").arg(QLocale().toString(qlonglong(part.cycles)));
    if (part.range.weightsReloading > 1)
        note += QStringLiteral(", weights reloaded x%1").arg(part.range.weightsReloading);
    if (part.slowDown > 1)
        note += QStringLiteral(", bandwidth slow-down x%1").arg(part.slowDown, 0, 'f', 2);
    item->setText(PartitionView::Note, note);
    item->setToolTip(PartitionView::Note,
                     QStringLiteral("Pipeline depth %1 cycles, off-chip %2 Gb/s")
                         .arg(cycles(part.pipelineDepthCycles))
                         .arg(part.bandwidthGbps, 0, 'f', 2));
    return item;
}

} // namespace

PartitionView::PartitionView(QWidget* parent) : QTreeWidget(parent) {
    setObjectName(QStringLiteral("partitionView"));
    setColumnCount(ColumnCount);
    setHeaderLabels({QStringLiteral("Partition / layer"), QStringLiteral("Interval"),
                     QStringLiteral("Folding"), QStringLiteral("DSP"), QStringLiteral("BRAM18"),
                     QString()});
    headerItem()->setToolTip(Interval, QStringLiteral("cycles per image"));
    headerItem()->setToolTip(Folding, QStringLiteral("coarse_in / coarse_out / fine"));
    header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setRootIsDecorated(true);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::NoSelection);
    setMinimumHeight(260);
}

bool PartitionView::setEstimate(const Estimate& estimate) {
    clear();
    const auto* d = std::get_if<StreamingDetail>(&estimate.detail);
    if (!d)
        return false;
    const int limiting = d->estimate.bottleneck.partition;
    for (int p = 0; p < int(d->estimate.partitions.size()); ++p) {
        QTreeWidgetItem* item = partitionItem(*d, p);
        if (p == limiting && d->estimate.partitions.size() > 1)
            emphasise(item, {});
        addTopLevelItem(item);
    }
    for (std::size_t r = 0; r < d->estimate.layers.size(); ++r) {
        const StreamingLayerEstimate& row = d->estimate.layers[r];
        QTreeWidgetItem* parent = topLevelItem(row.partition);
        if (!parent)
            continue;
        auto* item = new QTreeWidgetItem(parent);
        item->setText(Name, QString::fromStdString(d->rowNames[r]));
        item->setText(Interval, cycles(row.intervalCycles));
        item->setText(Folding, folding(row));
        item->setText(Dsp, QLocale().toString(row.dsp, 'f', 1));
        item->setText(Bram18, QString::number(row.bram18));
        if (row.slowest) {
            item->setText(Note, kSlowest);
            emphasise(item, QColor(0xa4, 0x00, 0x00));
        }
    }
    expandAll();
    return true;
}

void PartitionView::setStale(bool stale) {
    setEnabled(!stale);
}

QString PartitionView::slowestLayer(int partition) const {
    const QTreeWidgetItem* p = topLevelItem(partition);
    for (int i = 0; p && i < p->childCount(); ++i)
        if (p->child(i)->text(Note) == kSlowest)
            return p->child(i)->text(Name);
    return {};
}

} // namespace codesign
