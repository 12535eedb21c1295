#pragma once

#include "core/model/graph.h"

#include <QAbstractTableModel>
#include <optional>
#include <utility>

namespace codesign {

class ProjectDocument;

// The network list of the document, one row per entry (a bundle instance or a single
// layer), top to bottom as the data flows. Cells edit through undo commands; drops take
// palette ops (a new single layer), bundles (a new instance) and its own rows (reorder).
class NetworkModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Entry, Channels, Repeat, Downsample, Id, From, Output, ColumnCount };

    explicit NetworkModel(ProjectDocument* document, QObject* parent = nullptr);

    // The resolved graph of the current project, for the output shapes. When the project
    // does not build, the part that resolved (buildGraph's `resolved`): the entries it
    // covers show their shapes, the others a dash.
    void setGraph(std::optional<Graph> graph);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role) override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDropActions() const override;
    Qt::DropActions supportedDragActions() const override;
    bool canDropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                         const QModelIndex& parent) const override;
    bool dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int column,
                      const QModelIndex& parent) override;

    bool removeEntry(int row);
    bool moveEntry(int from, int to); // `to`: insert-before row
    bool insertInstance(int row, const QString& bundle);
    // The row the last accepted drop put an item at (once), for the view to select.
    int takeLastDropRow() { return std::exchange(lastDropRow_, -1); }

Q_SIGNALS:
    void dropRefused(const QString& reason);

private:
    QString refusal(const QMimeData* data) const;
    QString outputShape(int row) const;
    // The project does not build up to this entry: its shape is unknown (a dash).
    bool unresolved(int row) const;

    ProjectDocument* document_;
    std::optional<Graph> graph_;
    std::vector<int> lastGroupOfEntry_; // graph group index ending each entry
    int lastDropRow_ = -1;
};

} // namespace codesign
