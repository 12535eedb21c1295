#pragma once

#include <QString>

class QWidget;

namespace codesign {

// Every question the main window asks the user, behind one interface so that tests (and
// the screenshot mode) answer without a modal dialog.
class StudioPrompts {
public:
    enum class SaveChoice { Save, Discard, Cancel };

    virtual ~StudioPrompts() = default;
    virtual SaveChoice askSaveChanges(QWidget* parent, const QString& documentName);
    virtual bool askRestoreRecovery(QWidget* parent, const QString& description);
    virtual QString askOpenPath(QWidget* parent, const QString& directory);
    virtual QString askSavePath(QWidget* parent, const QString& suggested);
    // A folder for the export; `replace` is set when the user agreed to replace its contents.
    virtual QString askExportFolder(QWidget* parent, const QString& suggested, bool& replace);
    virtual void showError(QWidget* parent, const QString& title, const QString& text);
};

} // namespace codesign
