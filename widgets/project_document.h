#pragma once

#include "core/model/project.h"

#include <QObject>
#include <QString>
#include <QUndoStack>

namespace codesign {

// The open project: its data, its file and its undo stack. Every change after loading goes
// through edit(), which pushes one undo command; "modified" follows the stack's clean state.
class ProjectDocument : public QObject {
    Q_OBJECT
public:
    explicit ProjectDocument(QObject* parent = nullptr);

    const Project& project() const { return project_; }
    QUndoStack* undoStack() { return &undo_; }
    const QString& filePath() const { return path_; }
    // The name shown in the title: the file's name, or the project's when it has no file.
    QString displayName() const;
    bool isModified() const { return modifiedWithoutUndo_ || !undo_.isClean(); }

    // Replaces the document (new, open, recovery); clears the undo history. A recovered
    // project is `modified` until it is saved.
    void reset(Project project, const QString& path, bool modified = false);

    // One undoable edit: `after` becomes the project. Successive edits with the same
    // non-empty mergeKey (one spin box being turned) merge into one undo step. An edit that
    // changes nothing pushes nothing.
    void edit(const QString& text, Project after, const QString& mergeKey = {});

    // After a successful save.
    void markSaved(const QString& path);

Q_SIGNALS:
    void projectChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);

private:
    friend class ProjectEditCommand;
    void applyFromCommand(const Project& project);
    void emitModifiedIfChanged();

    Project project_;
    QString path_;
    QUndoStack undo_;
    bool modifiedWithoutUndo_ = false;
    bool lastModified_ = false;
};

} // namespace codesign
