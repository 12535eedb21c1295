#include "project_document.h"

#include "project_edit_command.h"

#include <QFileInfo>

namespace codesign {

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent) {
    connect(&undo_, &QUndoStack::cleanChanged, this, [this] { emitModifiedIfChanged(); });
}

QString ProjectDocument::displayName() const {
    if (!path_.isEmpty())
        return QFileInfo(path_).fileName();
    return project_.name.empty() ? QStringLiteral("untitled")
                                 : QString::fromStdString(project_.name);
}

void ProjectDocument::reset(Project project, const QString& path, bool modified) {
    undo_.clear();
    project_ = std::move(project);
    modifiedWithoutUndo_ = modified;
    if (path_ != path) {
        path_ = path;
        Q_EMIT filePathChanged(path_);
    }
    Q_EMIT projectChanged();
    emitModifiedIfChanged();
}

void ProjectDocument::edit(const QString& text, Project after, const QString& mergeKey) {
    if (after == project_)
        return;
    undo_.push(new ProjectEditCommand(this, text, project_, std::move(after), mergeKey));
}

void ProjectDocument::markSaved(const QString& path) {
    modifiedWithoutUndo_ = false;
    undo_.setClean();
    if (path_ != path) {
        path_ = path;
        Q_EMIT filePathChanged(path_);
    }
    emitModifiedIfChanged();
}

void ProjectDocument::applyFromCommand(const Project& project) {
    project_ = project;
    Q_EMIT projectChanged();
    emitModifiedIfChanged();
}

void ProjectDocument::emitModifiedIfChanged() {
    const bool now = isModified();
    if (now != lastModified_) {
        lastModified_ = now;
        Q_EMIT modifiedChanged(now);
    }
}

} // namespace codesign
