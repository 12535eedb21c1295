#include "project_edit_command.h"

#include "project_document.h"

namespace codesign {

namespace {
constexpr int kMergeableEditId = 0x434f4445; // any fixed number; -1 means "never merge"
}

ProjectEditCommand::ProjectEditCommand(ProjectDocument* document, const QString& text,
                                       Project before, Project after, QString mergeKey)
    : QUndoCommand(text), document_(document), before_(std::move(before)), after_(std::move(after)),
      mergeKey_(std::move(mergeKey)) {}

void ProjectEditCommand::undo() {
    document_->applyFromCommand(before_);
}

void ProjectEditCommand::redo() {
    document_->applyFromCommand(after_);
}

int ProjectEditCommand::id() const {
    return mergeKey_.isEmpty() ? -1 : kMergeableEditId;
}

bool ProjectEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* next = dynamic_cast<const ProjectEditCommand*>(other);
    if (!next || next->mergeKey_ != mergeKey_)
        return false;
    after_ = next->after_;
    // Back to where it started: the step disappears from the stack.
    setObsolete(after_ == before_);
    return true;
}

} // namespace codesign
