#pragma once

#include <QAbstractListModel>
#include <utility>

namespace codesign {

class ProjectDocument;

// The layers of one bundle of the document. Drops of palette ops insert a layer and drops
// of its own layers reorder them; each is one undo command on the document, never a
// direct change (Tiled's pattern). Drops a bundle cannot take are refused with a reason.
class BundleLayersModel : public QAbstractListModel {
    Q_OBJECT
public:
    explicit BundleLayersModel(ProjectDocument* document, QObject* parent = nullptr);

    void setBundle(int bundle);
    int bundle() const { return bundle_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

    // Removes a layer (one undo command).
    bool removeLayer(int row);
    // The row the last accepted drop put an item at (once), for the view to select.
    int takeLastDropRow() { return std::exchange(lastDropRow_, -1); }

Q_SIGNALS:
    void dropRefused(const QString& reason);

private:
    // Empty when the drop is fine, else why it is not.
    QString refusal(const QMimeData* data) const;
    int dropRow(int row, const QModelIndex& parent) const;

    ProjectDocument* document_;
    int bundle_ = -1;
    int lastDropRow_ = -1;
};

} // namespace codesign
