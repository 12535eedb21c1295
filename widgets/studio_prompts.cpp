#include "studio_prompts.h"

#include "model_io/model_reader.h"

#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
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

bool StudioPrompts::askLowRankBudget(QWidget* parent, const QString& selection, double& budget) {
    bool ok = false;
    const double value = QInputDialog::getDouble(
        parent, QStringLiteral("Low-rank decomposition"),
        QStringLiteral("Decompose the convs of %1 by a truncated SVD of their weights.\n"
                       "OPs budget: the share of each conv's MACs its two factors may cost "
                       "(0.05 to 0.95):")
            .arg(selection),
        budget, 0.05, 0.95, 2, &ok, Qt::WindowFlags(), 0.05);
    if (ok)
        budget = value;
    return ok;
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
