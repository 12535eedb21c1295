#include "bundle_layers_model.h"

#include "core/model/project_edits.h"
#include "layer_mime.h"
#include "layer_text.h"
#include "op_icon.h"
#include "project_document.h"

#include <QMimeData>

namespace codesign {

BundleLayersModel::BundleLayersModel(ProjectDocument* document, QObject* parent)
    : QAbstractListModel(parent), document_(document) {
    connect(document_, &ProjectDocument::projectChanged, this, [this] {
        beginResetModel();
        if (!edits::hasBundle(document_->project(), bundle_))
            bundle_ = document_->project().bundles.empty() ? -1 : 0;
        endResetModel();
    });
}

void BundleLayersModel::setBundle(int bundle) {
    beginResetModel();
    bundle_ = edits::hasBundle(document_->project(), bundle) ? bundle : -1;
    endResetModel();
}

int BundleLayersModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || bundle_ < 0)
        return 0;
    return static_cast<int>(
        document_->project().bundles[static_cast<std::size_t>(bundle_)].layers.size());
}

QVariant BundleLayersModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LayerSpec& layer = document_->project()
                                 .bundles[static_cast<std::size_t>(bundle_)]
                                 .layers[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return QStringLiteral("%1.  %2").arg(index.row() + 1).arg(layerSummary(layer));
    case Qt::ToolTipRole:
        return opDescription(layer.op);
    case Qt::DecorationRole:
        return opIcon(layer.op);
    default:
        return {};
    }
}

Qt::ItemFlags BundleLayersModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return bundle_ >= 0 ? Qt::ItemIsDropEnabled : Qt::NoItemFlags;
    // Items are not drop targets themselves: a drop lands between rows.
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
}

QStringList BundleLayersModel::mimeTypes() const {
    return {mime::kOp, mime::kBundleLayer};
}

QMimeData* BundleLayersModel::mimeData(const QModelIndexList& indexes) const {
    for (const QModelIndex& index : indexes)
        if (index.isValid())
            return mime::encodeBundleLayer({bundle_, index.row()});
    return nullptr;
}

Qt::DropActions BundleLayersModel::supportedDropActions() const {
    return Qt::CopyAction | Qt::MoveAction;
}

Qt::DropActions BundleLayersModel::supportedDragActions() const {
    return Qt::MoveAction;
}

QString BundleLayersModel::refusal(const QMimeData* data) const {
    if (bundle_ < 0)
        return QStringLiteral("there is no bundle to drop into; add a bundle first");
    if (data && data->hasFormat(mime::kOp)) {
        const auto op = mime::decodeOp(data);
        if (!op)
            return QStringLiteral("'%1' is not a layer type")
                .arg(QString::fromUtf8(data->data(mime::kOp)));
        return QString::fromStdString(edits::bundleRefusal(*op));
    }
    if (data && data->hasFormat(mime::kBundleLayer)) {
        const auto ref = mime::decodeBundleLayer(data);
        if (!ref || ref->bundle != bundle_ || ref->row >= rowCount())
            return QStringLiteral("layers move within their own bundle only");
        return {};
    }
    return QStringLiteral("only layers can be dropped into a bundle");
}

bool BundleLayersModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int, int,
                                        const QModelIndex&) const {
    return action != Qt::IgnoreAction && refusal(data).isEmpty();
}

int BundleLayersModel::dropRow(int row, const QModelIndex& parent) const {
    if (row >= 0)
        return row;
    // Dropped onto an item: before it; onto the empty area: at the end.
    return parent.isValid() ? parent.row() : rowCount();
}

bool BundleLayersModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int,
                                     const QModelIndex& parent) {
    if (action == Qt::IgnoreAction)
        return true;
    if (const QString why = refusal(data); !why.isEmpty()) {
        Q_EMIT dropRefused(why);
        return false;
    }
    const int at = dropRow(row, parent);
    Project after = document_->project();
    const QString bundleName =
        QString::fromStdString(after.bundles[static_cast<std::size_t>(bundle_)].name);
    if (const auto op = mime::decodeOp(data)) {
        if (!edits::insertBundleLayer(after, bundle_, at, edits::newLayer(*op, false)))
            return false;
        lastDropRow_ = std::min(at, rowCount());
        document_->edit(QStringLiteral("Add %1 to %2").arg(opLabel(*op), bundleName),
                        std::move(after));
        return true;
    }
    const auto ref = mime::decodeBundleLayer(data);
    if (!edits::moveBundleLayer(after, bundle_, ref->row, at))
        return false; // dropped onto itself: nothing to do
    lastDropRow_ = at > ref->row ? at - 1 : at;
    document_->edit(QStringLiteral("Move layer in %1").arg(bundleName), std::move(after));
    return true;
}

bool BundleLayersModel::removeLayer(int row) {
    Project after = document_->project();
    if (!edits::removeBundleLayer(after, bundle_, row))
        return false;
    const BundleDef& bundle = document_->project().bundles[static_cast<std::size_t>(bundle_)];
    const QString text = QStringLiteral("Remove %1 from %2")
                             .arg(opLabel(bundle.layers[static_cast<std::size_t>(row)].op),
                                  QString::fromStdString(bundle.name));
    document_->edit(text, std::move(after));
    return true;
}

} // namespace codesign
