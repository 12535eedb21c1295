#include "family_compare_dialog.h"

#include "core/hw/device_library.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QMetaObject>
#include <QTableWidget>
#include <QVBoxLayout>

namespace codesign {
namespace {

const QStringList kColumns{QStringLiteral("Family"),     QStringLiteral("FPS"),
                           QStringLiteral("Latency ms"), QStringLiteral("Power W"),
                           QStringLiteral("DSP"),        QStringLiteral("BRAM18"),
                           QStringLiteral("LUT"),        QStringLiteral("FF"),
                           QStringLiteral("Bottleneck"), QStringLiteral("Design")};

QString usage(std::int64_t used, std::int64_t have) {
    const double pct = have > 0 ? 100.0 * double(used) / double(have) : 0;
    return QStringLiteral("%1 (%2 %)").arg(used).arg(pct, 0, 'f', 0);
}

QTableWidgetItem* cell(const QString& text, bool number) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(text); // the whole text, should the column be narrower than it
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

void fillRow(QTableWidget* t, int row, const FamilyEstimate& f) {
    t->setItem(row, 0, cell(QString::fromStdString(f.arch), false));
    if (!f.estimate.ok()) {
        t->setItem(row, 8,
                   cell(QStringLiteral("cannot estimate: ") +
                            QString::fromStdString(f.estimate.error().format()),
                        false));
        return;
    }
    const DesignEstimate& de = *f.estimate;
    const Estimate& e = de.estimate;
    t->setItem(row, 1, cell(QString::number(e.fps, 'f', 1), true));
    t->setItem(row, 2, cell(QString::number(e.latencyMs, 'f', 2), true));
    t->setItem(row, 3, cell(QString::number(e.powerW, 'f', 2), true));
    t->setItem(row, 4, cell(usage(e.used.dsp, e.available.dsp), true));
    t->setItem(row, 5, cell(usage(e.used.bram18, e.available.bram18), true));
    t->setItem(row, 6, cell(usage(e.used.lut, e.available.lut), true));
    t->setItem(row, 7, cell(usage(e.used.ff, e.available.ff), true));
    t->setItem(row, 8, cell(QString::fromStdString(e.bottleneck), false));
    t->setItem(
        row, 9,
        cell(QString::fromStdString(de.architecture->designSummary(e.detail, &de.graph)), false));
    if (!e.feasible)
        for (int c = 0; c < t->columnCount(); ++c)
            if (QTableWidgetItem* item = t->item(row, c))
                item->setForeground(QColor(164, 0, 0));
}

} // namespace

FamilyCompareDialog::FamilyCompareDialog(QWidget* parent)
    : QDialog(parent), headline_(new QLabel), table_(new QTableWidget(0, int(kColumns.size()))) {
    setObjectName(QStringLiteral("familyCompareDialog"));
    setWindowTitle(QStringLiteral("Compare accelerator families"));
    headline_->setWordWrap(true);
    table_->setHorizontalHeaderLabels(kColumns);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(headline_);
    layout->addWidget(table_, 1);
    layout->addWidget(buttons);
    resize(1100, 260);
}

FamilyCompareDialog::~FamilyCompareDialog() {
    if (worker_.joinable())
        worker_.join();
}

QString FamilyCompareDialog::headline() const {
    return headline_->text();
}

void FamilyCompareDialog::compare(const Project& project) {
    if (running_) {
        pending_ = project;
        return;
    }
    start(project);
}

void FamilyCompareDialog::start(Project project) {
    if (worker_.joinable())
        worker_.join();
    running_ = true;
    headline_->setText(
        QStringLiteral("Sizing every family for %1 ...").arg(QString::fromStdString(project.name)));
    worker_ = std::thread([this, project = std::move(project)] {
        auto outcome = std::make_shared<Outcome>();
        outcome->projectName = project.name;
        outcome->device = project.device.name;
        outcome->families = compareFamilies(project, {}, DeviceLibrary::standard());
        if (outcome->families.ok())
            for (const FamilyEstimate& f : *outcome->families)
                if (f.estimate.ok())
                    outcome->device = f.estimate->device.name;
        QMetaObject::invokeMethod(
            this,
            [this, outcome] {
                running_ = false;
                if (pending_) {
                    Project next = std::move(*pending_);
                    pending_.reset();
                    start(std::move(next));
                    return;
                }
                showOutcome(*outcome);
                Q_EMIT compared();
            },
            Qt::QueuedConnection);
    });
}

void FamilyCompareDialog::showOutcome(const Outcome& o) {
    table_->setRowCount(0);
    if (!o.families.ok()) {
        headline_->setText(
            QStringLiteral("<span style='color:#a40000'>%1</span>")
                .arg(QString::fromStdString(o.families.error().format()).toHtmlEscaped()));
        return;
    }
    headline_->setText(
        QStringLiteral("%1 on %2, each family sized automatically on the "
                       "device (codesign compare)")
            .arg(QString::fromStdString(o.projectName), QString::fromStdString(o.device)));
    table_->setRowCount(int(o.families->size()));
    for (std::size_t i = 0; i < o.families->size(); ++i)
        fillRow(table_, int(i), (*o.families)[i]);
    // A long design summary wraps in the last column: each row as tall as its text.
    table_->resizeRowsToContents();
}

} // namespace codesign
