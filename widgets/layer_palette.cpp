#include "layer_palette.h"

#include "layer_mime.h"
#include "layer_text.h"
#include "op_icon.h"

namespace codesign {

int LayerPaletteModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(allOps().size());
}

Op LayerPaletteModel::opAt(int row) const {
    return allOps()[static_cast<std::size_t>(row)];
}

QVariant LayerPaletteModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Op op = opAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return opLabel(op);
    case Qt::ToolTipRole:
        return opDescription(op);
    case Qt::DecorationRole:
        return opIcon(op);
    default:
        return {};
    }
}

Qt::ItemFlags LayerPaletteModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList LayerPaletteModel::mimeTypes() const {
    return {mime::kOp};
}

QMimeData* LayerPaletteModel::mimeData(const QModelIndexList& indexes) const {
    // One op per drag: a drop inserts one layer.
    for (const QModelIndex& index : indexes)
        if (index.isValid())
            return mime::encodeOp(opAt(index.row()));
    return nullptr;
}

LayerPalette::LayerPalette(QWidget* parent)
    : QListView(parent), model_(new LayerPaletteModel(this)) {
    setModel(model_);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setDefaultDropAction(Qt::CopyAction);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformItemSizes(true);
    setToolTip(QStringLiteral("Drag a layer into a bundle or the network list"));
    connect(this, &QListView::activated, this,
            [this](const QModelIndex& index) { Q_EMIT opActivated(model_->opAt(index.row())); });
}

} // namespace codesign
