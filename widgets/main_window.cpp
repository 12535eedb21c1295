#include "main_window.h"

#include "core/hw/device_library.h"
#include "core/report/estimate_report.h"
#include "resource_bars.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace codesign {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), summary_(new QLabel), error_(new QLabel), bars_(new ResourceBars),
      table_(new QPlainTextEdit) {
    setWindowTitle(QStringLiteral("Codesign Studio"));
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    error_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold"));
    error_->setWordWrap(true);
    error_->hide();
    summary_->setTextFormat(Qt::RichText);
    table_->setReadOnly(true);
    table_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(error_);
    layout->addWidget(summary_);
    layout->addWidget(bars_);
    layout->addWidget(table_, 1);
    setCentralWidget(central);
    resize(1100, 800);
}

void MainWindow::showLoadError(const QString& message) {
    error_->setText(message);
    error_->show();
}

void MainWindow::showProject(const Project& project) {
    Result<ProjectEstimate> pe = estimateProject(project, DeviceLibrary::standard());
    if (!pe.ok()) {
        showLoadError(QString::fromStdString(pe.error().format()));
        return;
    }
    error_->hide();
    const Estimate& e = pe->estimate;
    setWindowTitle(
        QStringLiteral("Codesign Studio - %1").arg(QString::fromStdString(project.name)));
    summary_->setText(
        QStringLiteral("<h2>%1 on %2</h2><p><b>%3 FPS</b> (compute-bound %4), "
                       "latency %5 ms, power %6 W, %7 mJ per image<br>"
                       "bottleneck: %8; %9</p>")
            .arg(QString::fromStdString(project.name), QString::fromStdString(pe->device.name))
            .arg(e.fps, 0, 'f', 1)
            .arg(e.computeBoundFps, 0, 'f', 1)
            .arg(e.latencyMs, 0, 'f', 2)
            .arg(e.powerW, 0, 'f', 2)
            .arg(e.energyPerImageMj, 0, 'f', 1)
            .arg(QString::fromStdString(e.bottleneck),
                 e.feasible ? QStringLiteral("fits the device")
                            : QStringLiteral("<span style='color:#b00020'>does "
                                             "not fit</span>")));
    bars_->setUsage(e.used, e.available);
    table_->setPlainText(QString::fromStdString(formatEstimateTable(*pe, project.name)));
}

} // namespace codesign
