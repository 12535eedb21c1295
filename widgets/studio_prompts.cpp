#include "studio_prompts.h"

#include "low_rank_dialog.h"
#include "model_io/model_reader.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

namespace codesign {

StudioPrompts::SaveChoice StudioPrompts::askSaveChanges(QWidget* parent, const QString& name) {
    const auto answer = QMessageBox::warning(
        parent, QStringLiteral("Unsaved changes"),
        QStringLiteral("%1 has changes that are not saved. Save them?").arg(name),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return SaveChoice::Save;
    return answer == QMessageBox::Discard ? SaveChoice::Discard : SaveChoice::Cancel;
}

bool StudioPrompts::askRestoreRecovery(QWidget* parent, const QString& description) {
    return QMessageBox::question(parent, QStringLiteral("Recover unsaved work?"), description,
                                 QMessageBox::Yes | QMessageBox::No,
                                 QMessageBox::Yes) == QMessageBox::Yes;
}

QString StudioPrompts::askOpenPath(QWidget* parent, const QString& directory) {
    const QString models = QString::fromStdString(modelio::readerFileFilter());
    return QFileDialog::getOpenFileName(parent, QStringLiteral("Open project"), directory,
                                        QStringLiteral("Projects (*.yaml *.yml);;") + models +
                                            QStringLiteral(";;All files (*)"));
}

QString StudioPrompts::askImportPath(QWidget* parent, const QString& directory) {
    const QString models = QString::fromStdString(modelio::readerFileFilter());
    return QFileDialog::getOpenFileName(parent, QStringLiteral("Import a model"), directory,
                                        models + QStringLiteral(";;All files (*)"));
}

bool StudioPrompts::askImportChoice(QWidget* parent, const QString& modelPath,
                                    const QString& device, ImportDialog::Choice& choice) {
    ImportDialog dialog(QFileInfo(modelPath).fileName(), device,
                        modelio::declaredInput(modelPath.toStdString()), parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    choice = dialog.choice();
    return true;
}

bool StudioPrompts::askLowRank(QWidget* parent, const QString& selection,
                               LowRankSettings& settings) {
    LowRankDialog dialog(selection, settings, parent);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    settings = dialog.settings();
    return true;
}

QString StudioPrompts::askSavePath(QWidget* parent, const QString& suggested) {
    QString path = QFileDialog::getSaveFileName(parent, QStringLiteral("Save project"), suggested,
                                                QStringLiteral("Projects (*.yaml *.yml)"));
    if (!path.isEmpty() && !path.endsWith(QStringLiteral(".yaml")) &&
        !path.endsWith(QStringLiteral(".yml")))
        path += QStringLiteral(".yaml");
    return path;
}

QString StudioPrompts::askExportFolder(QWidget* parent, const QString& suggested, bool& replace) {
    replace = false;
    const QString dir = QFileDialog::getExistingDirectory(
        parent, QStringLiteral("Export into an empty folder"), suggested);
    if (dir.isEmpty())
        return {};
    if (!QDir(dir).isEmpty()) {
        const auto answer = QMessageBox::warning(
            parent, QStringLiteral("Folder not empty"),
            QStringLiteral("%1 is not empty. Replace its contents with the export?").arg(dir),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes)
            return {};
        replace = true;
    }
    return dir;
}

void StudioPrompts::showError(QWidget* parent, const QString& title, const QString& text) {
    QMessageBox::warning(parent, title, text);
}

} // namespace codesign
