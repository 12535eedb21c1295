#pragma once

#include "import_dialog.h"
#include "low_rank_edit.h"

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
    // A project, or a model a reader takes (File > Open imports it).
    virtual QString askOpenPath(QWidget* parent, const QString& directory);
    // File > Import: a model file (ONNX).
    virtual QString askImportPath(QWidget* parent, const QString& directory);
    virtual QString askSavePath(QWidget* parent, const QString& suggested);
    // A folder for the export; `replace` is set when the user agreed to replace its contents.
    virtual QString askExportFolder(QWidget* parent, const QString& suggested, bool& replace);
    // File > Import: the device (`device` is the current project's) and the input size
    // (ImportDialog); false: cancel.
    virtual bool askImportChoice(QWidget* parent, const QString& modelPath, const QString& device,
                                 ImportDialog::Choice& choice);
    // Edit > Low-rank: the scheme, the OPs budget or a ranks file, the revert rule
    // (LowRankDialog; `settings` holds the last answer); false: cancel.
    virtual bool askLowRank(QWidget* parent, const QString& selection, LowRankSettings& settings);
    virtual void showError(QWidget* parent, const QString& title, const QString& text);
};

} // namespace codesign
