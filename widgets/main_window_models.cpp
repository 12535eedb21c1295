// The main window's model actions (issue 15, docs/gui.md): File > Import through
// model_io's reader seam, and Edit > Low-rank through core/transform, each off the GUI
// thread. The rest of the window is main_window.cpp.
#include "core/model/project_edits.h"
#include "import_runner.h"
#include "low_rank_edit.h"
#include "low_rank_report.h"
#include "low_rank_runner.h"
#include "main_window.h"
#include "network_model.h"
#include "network_view.h"
#include "project_document.h"
#include "project_files.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressDialog>
#include <QStatusBar>
#include <QTableView>

namespace codesign {

void MainWindow::importDialog() {
    const QString dir = document_->filePath().isEmpty()
                            ? QString()
                            : QFileInfo(document_->filePath()).absolutePath();
    const QString path = prompts_->askImportPath(this, dir);
    if (!path.isEmpty())
        importModel(path);
}

bool MainWindow::importModel(const QString& modelPath) {
    if (import_->isRunning() || !maybeSave())
        return false;
    ImportDialog::Choice choice;
    if (!prompts_->askImportChoice(
            this, modelPath, QString::fromStdString(document_->project().device.name), choice))
        return false;
    const QFileInfo model(modelPath);
    const QString suggested =
        model.absoluteDir().filePath(model.completeBaseName() + QStringLiteral(".yaml"));
    const QString projectPath = prompts_->askSavePath(this, suggested);
    return !projectPath.isEmpty() && startImport(modelPath, projectPath, choice);
}

bool MainWindow::importRunning() const {
    return import_->isRunning();
}

bool MainWindow::startImport(const QString& modelPath, const QString& projectPath,
                             const ImportDialog::Choice& choice) {
    const QString absolute = QFileInfo(projectPath).absoluteFilePath();
    modelio::ImportOptions options;
    if (!choice.device.empty())
        options.deviceName = choice.device;
    options.input = choice.input;
    if (!import_->start(modelPath, absolute, options))
        return false;
    // The reader's steps; Cancel stops it at the next step, and nothing is written.
    const QString name = QFileInfo(modelPath).fileName();
    auto* progress = new QProgressDialog(QStringLiteral("Importing %1...").arg(name),
                                         QStringLiteral("Cancel"), 0, 100, this);
    progress->setObjectName(QStringLiteral("importProgress"));
    progress->setWindowTitle(QStringLiteral("Import"));
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, import_, &ImportRunner::cancel);
    connect(import_, &ImportRunner::progressed, progress,
            [progress, name](int percent, const QString& step) {
                progress->setValue(percent);
                progress->setLabelText(QStringLiteral("Importing %1: %2...").arg(name, step));
            });
    statusBar()->showMessage(QStringLiteral("Importing %1...").arg(modelPath));
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection =
        connect(import_, &ImportRunner::finished, this,
                [this, progress, connection,
                 modelPath](const std::shared_ptr<const ImportRunner::Outcome>& outcome) {
                    disconnect(*connection);
                    progress->close();
                    if (!outcome->ok) {
                        loadError_->setText(
                            QStringLiteral("<b>Could not import %1.</b> Nothing was written.<br>")
                                .arg(QFileInfo(modelPath).fileName().toHtmlEscaped()) +
                            outcome->message.toHtmlEscaped().replace(QLatin1Char('\n'),
                                                                     QStringLiteral("<br>")) +
                            QStringLiteral("<br><i>The editor still shows %1.</i>")
                                .arg(document_->displayName().toHtmlEscaped()));
                        loadError_->show();
                        statusBar()->showMessage(QStringLiteral("Import failed"), 5000);
                        Q_EMIT importFinished(false);
                        return;
                    }
                    Result<Project> project = readProjectFile(outcome->projectPath);
                    if (!project.ok()) { // written a moment ago: only a full disk or a race
                        showLoadError(QString::fromStdString(project.error().format()));
                        Q_EMIT importFinished(false);
                        return;
                    }
                    loadError_->hide();
                    showProject(*project, outcome->projectPath);
                    addRecentFile(outcome->projectPath);
                    statusBar()->showMessage(outcome->message, 15000);
                    Q_EMIT importFinished(true);
                });
    return true;
}

void MainWindow::updateLowRankAction() {
    const QString reason = QString::fromStdString(
        lowRankUnavailableReason(document_->project(), document_->filePath().toStdString()));
    lowRankAction_->setEnabled(reason.isEmpty());
    lowRankAction_->setToolTip(reason.isEmpty()
                                   ? QStringLiteral("Decompose the convs of the selected layer "
                                                    "or bundle instance with their weights")
                                   : QStringLiteral("Low-rank is unavailable: ") + reason);
    lowRankAction_->setStatusTip(lowRankAction_->toolTip());
}

void MainWindow::lowRankDialog() {
    std::vector<int> rows;
    QStringList names;
    for (const QModelIndex& index : networkView_->table()->selectionModel()->selectedRows()) {
        rows.push_back(index.row());
        names << index.siblingAtColumn(NetworkModel::Entry).data().toString();
    }
    LowRankSettings settings = lowRankSettings_;
    if (!prompts_->askLowRank(this, names.join(QStringLiteral(", ")), settings))
        return;
    lowRankSettings_ = settings;
    if (rows.empty() && settings.ranksFile.empty()) { // the dialog says so; a script may not
        prompts_->showError(this, QStringLiteral("Low-rank"),
                            QStringLiteral("Select a layer or a bundle instance in the network "
                                           "list first, or give a ranks file."));
        return;
    }
    applyLowRank(rows, settings);
}

bool MainWindow::applyLowRank(const std::vector<int>& rows, const LowRankSettings& settings) {
    const Project before = document_->project();
    if (!lowRank_->start(before, document_->filePath(), rows, settings))
        return false;
    auto* progress = new QProgressDialog(QStringLiteral("Decomposing the convs by SVD..."),
                                         QStringLiteral("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("lowRankProgress"));
    progress->setWindowTitle(QStringLiteral("Low-rank"));
    progress->setWindowModality(Qt::WindowModal); // the project stays as the worker saw it
    progress->setMinimumDuration(300);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, lowRank_, &LowRankRunner::cancel);
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection =
        connect(lowRank_, &LowRankRunner::finished, this,
                [this, progress, connection, before,
                 settings](const std::shared_ptr<const Result<LowRankEdit>>& edit) {
                    disconnect(*connection);
                    progress->close();
                    const bool ok = edit && edit->ok() && document_->project() == before;
                    if (edit && !edit->ok())
                        prompts_->showError(this, QStringLiteral("Low-rank failed"),
                                            QString::fromStdString(edit->error().format()));
                    if (ok)
                        showLowRankEdit(**edit, settings);
                    Q_EMIT lowRankFinished(ok);
                });
    return true;
}

void MainWindow::showLowRankEdit(const LowRankEdit& edit, const LowRankSettings& settings) {
    QStringList entries;
    for (const std::string& e : edit.entries)
        entries << QString::fromStdString(e);
    document_->edit(QStringLiteral("Low-rank %1").arg(entries.join(QStringLiteral(", "))),
                    edit.project);
    if (!lowRankReport_)
        lowRankReport_ = new LowRankReport(this);
    lowRankReport_->showResult(edit.result, entries, settings,
                               QString::fromStdString(edit.project.weights));
    lowRankReport_->show();
    lowRankReport_->raise();
    statusBar()->showMessage(QStringLiteral("Low-rank %1 (Edit > Undo reverts it)")
                                 .arg(entries.join(QStringLiteral(", "))),
                             8000);
}

} // namespace codesign
