#pragma once

#include <QAbstractListModel>

namespace codesign {

class ProjectDocument;

// The bundle definitions of the document by name; each drags as mime::kBundle so that it
// can be dropped on the network as a new instance. Renaming edits through undo commands.
class BundleListModel : public QAbstractListModel {
    Q_OBJECT
public:
    explicit BundleListModel(ProjectDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

Q_SIGNALS:
    void editRefused(const QString& reason);

private:
    ProjectDocument* document_;
};

} // namespace codesign
