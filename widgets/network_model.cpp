#include "network_model.h"

#include "core/model/project_edits.h"
#include "layer_mime.h"
#include "layer_text.h"
#include "op_icon.h"
#include "project_document.h"

#include <QMimeData>

namespace codesign {

NetworkModel::NetworkModel(ProjectDocument* document, QObject* parent)
    : QAbstractTableModel(parent), document_(document) {
    connect(document_, &ProjectDocument::projectChanged, this, [this] {
        beginResetModel();
        graph_.reset(); // belongs to the project before the edit
        lastGroupOfEntry_.clear();
        endResetModel();
    });
}

void NetworkModel::setGraph(std::optional<Graph> graph) {
    graph_ = std::move(graph);
    lastGroupOfEntry_.clear();
    if (graph_) {
        // Each bundle instance makes `repeat` groups, each single layer one.
        int group = -1;
        for (const NetworkEntry& e : document_->project().network) {
            group += e.isBundle ? std::max(1, e.repeat) : 1;
            lastGroupOfEntry_.push_back(group);
        }
        if (group + 1 < static_cast<int>(graph_->groups.size()))
            lastGroupOfEntry_.clear(); // not this project's graph
    }
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Output), index(rowCount() - 1, Output));
}

bool NetworkModel::unresolved(int row) const {
    return graph_ && row < static_cast<int>(lastGroupOfEntry_.size()) &&
           static_cast<std::size_t>(lastGroupOfEntry_[row]) >= graph_->groups.size();
}

QString NetworkModel::outputShape(int row) const {
    if (!graph_ || row >= static_cast<int>(lastGroupOfEntry_.size()))
        return {};
    if (unresolved(row))
        return QStringLiteral("\u2014");
    const ExecGroup& g = graph_->groups[static_cast<std::size_t>(lastGroupOfEntry_[row])];
    return QString::fromStdString(formatShape(graph_->nodes[std::size_t(g.last)].out));
}

int NetworkModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(document_->project().network.size());
}

int NetworkModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NetworkModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case Entry:
        return QStringLiteral("Bundle / layer");
    case Channels:
        return QStringLiteral("Channels");
    case Repeat:
        return QStringLiteral("Repeat");
    case Downsample:
        return QStringLiteral("Pooling");
    case Id:
        return QStringLiteral("Id");
    case From:
        return QStringLiteral("From");
    case Output:
        return QStringLiteral("Output C x H x W");
    default:
        return {};
    }
}

QVariant NetworkModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const NetworkEntry& e = document_->project().network[static_cast<std::size_t>(index.row())];
    const bool instance = e.isBundle;
    const bool pooling = instance && edits::bundleHasPooling(document_->project(), e.bundle);
    if (role == Qt::DecorationRole && index.column() == Entry && !instance)
        return opIcon(e.layer.op);
    if (role == Qt::CheckStateRole && index.column() == Downsample && pooling)
        return e.downsample ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == Downsample && instance)
        return pooling ? QStringLiteral("Unchecked: this instance drops its bundle's pooling "
                                        "layers")
                       : QStringLiteral("%1 has no pooling layer (maxpool or avgpool) to keep "
                                        "or drop")
                             .arg(QString::fromStdString(e.bundle));
    if (role == Qt::ToolTipRole && index.column() == Output && unresolved(index.row()))
        return QStringLiteral("Not resolved: the network does not build up to this entry "
                              "(the message above the editor names the layer)");
    if (role != Qt::DisplayRole && role != Qt::EditRole)
        return {};
    switch (index.column()) {
    case Entry:
        return instance ? QString::fromStdString(e.bundle) : layerSummary(e.layer);
    case Channels: {
        const int ch = instance ? e.channels : e.layer.channels;
        if (role == Qt::EditRole)
            return ch;
        return ch > 0 ? QVariant(ch) : QVariant(QString());
    }
    case Repeat:
        return instance ? QVariant(e.repeat) : QVariant();
    case Id:
        return QString::fromStdString(instance ? e.id : e.layer.id);
    case From:
        return QString::fromStdString(instance ? e.from : e.layer.from);
    case Output:
        return role == Qt::DisplayRole ? outputShape(index.row()) : QString();
    default:
        return {};
    }
}

Qt::ItemFlags NetworkModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
    const NetworkEntry& e = document_->project().network[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case Channels:
    case Id:
    case From:
        f |= Qt::ItemIsEditable;
        break;
    case Repeat:
        if (e.isBundle)
            f |= Qt::ItemIsEditable;
        break;
    case Downsample:
        if (e.isBundle && edits::bundleHasPooling(document_->project(), e.bundle))
            f |= Qt::ItemIsUserCheckable;
        break;
    default:
        break;
    }
    return f;
}

bool NetworkModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.row() >= rowCount())
        return false;
    Project after = document_->project();
    NetworkEntry& e = after.network[static_cast<std::size_t>(index.row())];
    QString what;
    switch (index.column()) {
    case Channels: {
        const int ch = value.toInt();
        if (ch < 0 || (e.isBundle && ch < 1))
            return false;
        (e.isBundle ? e.channels : e.layer.channels) = ch;
        what = QStringLiteral("channels");
        break;
    }
    case Repeat:
        if (!e.isBundle || value.toInt() < 1)
            return false;
        e.repeat = value.toInt();
        what = QStringLiteral("repeat");
        break;
    case Downsample:
        if (!e.isBundle || role != Qt::CheckStateRole || !edits::bundleHasPooling(after, e.bundle))
            return false;
        e.downsample = value.toInt() == Qt::Checked;
        what = QStringLiteral("pooling");
        break;
    case Id:
        (e.isBundle ? e.id : e.layer.id) = value.toString().trimmed().toStdString();
        what = QStringLiteral("id");
        break;
    case From:
        (e.isBundle ? e.from : e.layer.from) = value.toString().trimmed().toStdString();
        what = QStringLiteral("input");
        break;
    default:
        return false;
    }
    document_->edit(QStringLiteral("Set %1 of entry %2").arg(what).arg(index.row() + 1),
                    std::move(after),
                    QStringLiteral("network:%1:%2").arg(index.row()).arg(index.column()));
    return true;
}

QStringList NetworkModel::mimeTypes() const {
    return {mime::kOp, mime::kBundle, mime::kNetworkEntry};
}

QMimeData* NetworkModel::mimeData(const QModelIndexList& indexes) const {
    for (const QModelIndex& index : indexes)
        if (index.isValid())
            return mime::encodeNetworkEntry(index.row());
    return nullptr;
}

Qt::DropActions NetworkModel::supportedDropActions() const {
    return Qt::CopyAction | Qt::MoveAction;
}

Qt::DropActions NetworkModel::supportedDragActions() const {
    return Qt::MoveAction;
}

QString NetworkModel::refusal(const QMimeData* data) const {
    if (data && data->hasFormat(mime::kOp))
        return mime::decodeOp(data) ? QString() : QStringLiteral("not a layer type");
    if (data && data->hasFormat(mime::kBundle)) {
        const auto name = mime::decodeBundle(data);
        if (!name || !document_->project().findBundle(name->toStdString()))
            return QStringLiteral("no such bundle");
        return {};
    }
    if (data && data->hasFormat(mime::kNetworkEntry)) {
        const auto row = mime::decodeNetworkEntry(data);
        return row && *row < rowCount() ? QString() : QStringLiteral("no such network entry");
    }
    return QStringLiteral("only layers and bundles can be dropped into the network");
}

bool NetworkModel::canDropMimeData(const QMimeData* data, Qt::DropAction action, int, int,
                                   const QModelIndex&) const {
    return action != Qt::IgnoreAction && refusal(data).isEmpty();
}

bool NetworkModel::dropMimeData(const QMimeData* data, Qt::DropAction action, int row, int,
                                const QModelIndex& parent) {
    if (action == Qt::IgnoreAction)
        return true;
    if (const QString why = refusal(data); !why.isEmpty()) {
        Q_EMIT dropRefused(why);
        return false;
    }
    const int at = row >= 0 ? row : parent.isValid() ? parent.row() : rowCount();
    if (const auto op = mime::decodeOp(data)) {
        Project after = document_->project();
        edits::insertNetworkEntry(after, at, edits::newSingleLayer(*op));
        lastDropRow_ = at;
        document_->edit(QStringLiteral("Add %1 to the network").arg(opLabel(*op)),
                        std::move(after));
        return true;
    }
    if (const auto bundle = mime::decodeBundle(data))
        return insertInstance(at, *bundle);
    return moveEntry(*mime::decodeNetworkEntry(data), at);
}

bool NetworkModel::insertInstance(int row, const QString& bundle) {
    Project after = document_->project();
    const BundleDef* def = after.findBundle(bundle.toStdString());
    if (!def)
        return false;
    // The width of the entry above is the natural guess for a new instance (of a bundle
    // that takes one).
    int channels = 64;
    const int at = row < 0 || row > rowCount() ? rowCount() : row;
    for (int i = at - 1; i >= 0; --i) {
        const NetworkEntry& e = after.network[static_cast<std::size_t>(i)];
        if (e.isBundle) {
            channels = e.channels;
            break;
        }
    }
    if (!bundleTakesChannels(*def))
        channels = 0;
    edits::insertNetworkEntry(after, at, edits::newInstance(bundle.toStdString(), channels));
    lastDropRow_ = at;
    document_->edit(QStringLiteral("Add an instance of %1").arg(bundle), std::move(after));
    return true;
}

bool NetworkModel::moveEntry(int from, int to) {
    Project after = document_->project();
    if (!edits::moveNetworkEntry(after, from, to))
        return false;
    lastDropRow_ = to > from ? to - 1 : to;
    document_->edit(QStringLiteral("Move network entry %1").arg(from + 1), std::move(after));
    return true;
}

bool NetworkModel::removeEntry(int row) {
    Project after = document_->project();
    if (!edits::removeNetworkEntry(after, row))
        return false;
    document_->edit(QStringLiteral("Remove network entry %1").arg(row + 1), std::move(after));
    return true;
}

} // namespace codesign
