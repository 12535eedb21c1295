#pragma once

#include "core/model/project.h"

#include <QString>
#include <QUndoCommand>

namespace codesign {

class ProjectDocument;

// An edit as a pair of snapshots. Projects are small (a few kilobytes), so keeping the whole
// before and after is simpler and safer than an inverse per kind of edit. Commands with the
// same merge key merge (Tiled's change-value pattern) so that turning a spin box through ten
// values is one undo step.
class ProjectEditCommand : public QUndoCommand {
public:
    ProjectEditCommand(ProjectDocument* document, const QString& text, Project before,
                       Project after, QString mergeKey);

    void undo() override;
    void redo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand* other) override;

private:
    ProjectDocument* document_;
    Project before_;
    Project after_;
    QString mergeKey_;
};

} // namespace codesign
