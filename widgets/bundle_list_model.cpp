#include "bundle_list_model.h"

#include "core/model/project_edits.h"
#include "layer_mime.h"
#include "project_document.h"

namespace codesign {

BundleListModel::BundleListModel(ProjectDocument* document, QObject* parent)
    : QAbstractListModel(parent), document_(document) {
    connect(document_, &ProjectDocument::projectChanged, this, [this] {
        beginResetModel();
        endResetModel();
    });
}

int BundleListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(document_->project().bundles.size());
}

QVariant BundleListModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Project& p = document_->project();
    const BundleDef& def = p.bundles[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: {
        const int uses = edits::instancesOf(p, def.name);
        return QStringLiteral("%1  (%2 layers, %3 in use)")
            .arg(QString::fromStdString(def.name))
            .arg(def.layers.size())
            .arg(uses);
    }
    case Qt::EditRole:
        return QString::fromStdString(def.name);
    case Qt::ToolTipRole:
        return QStringLiteral("Drag onto the network to add an instance; double-click to rename");
    default:
        return {};
    }
}

bool BundleListModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || role != Qt::EditRole)
        return false;
    Project after = document_->project();
    const QString old = QString::fromStdString(after.bundles[std::size_t(index.row())].name);
    const std::string why = edits::renameBundle(after, index.row(), value.toString().toStdString());
    if (!why.empty()) {
        Q_EMIT editRefused(QString::fromStdString(why));
        return false;
    }
    document_->edit(QStringLiteral("Rename bundle %1").arg(old), std::move(after));
    return true;
}

Qt::ItemFlags BundleListModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemIsEditable;
}

QStringList BundleListModel::mimeTypes() const {
    return {mime::kBundle};
}

QMimeData* BundleListModel::mimeData(const QModelIndexList& indexes) const {
    for (const QModelIndex& index : indexes)
        if (index.isValid())
            return mime::encodeBundle(QString::fromStdString(
                document_->project().bundles[std::size_t(index.row())].name));
    return nullptr;
}

} // namespace codesign
