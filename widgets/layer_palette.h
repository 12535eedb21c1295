#pragma once

#include "core/model/op.h"

#include <QAbstractListModel>
#include <QListView>

namespace codesign {

// Every op of the vocabulary, as drag sources (mime::kOp).
class LayerPaletteModel : public QAbstractListModel {
    Q_OBJECT
public:
    using QAbstractListModel::QAbstractListModel;
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QStringList mimeTypes() const override;
    QMimeData* mimeData(const QModelIndexList& indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

    Op opAt(int row) const;
};

// The palette dock: a list to drag from; double-click asks to add the op where the editor is.
class LayerPalette : public QListView {
    Q_OBJECT
public:
    explicit LayerPalette(QWidget* parent = nullptr);
    LayerPaletteModel* paletteModel() const { return model_; }

Q_SIGNALS:
    void opActivated(Op op);

private:
    LayerPaletteModel* model_;
};

} // namespace codesign
