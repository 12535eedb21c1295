#include "layer_mime.h"

#include <QMimeData>
#include <QStringList>

namespace codesign::mime {
namespace {

std::optional<QString> text(const QMimeData* data, const QString& format) {
    if (!data || !data->hasFormat(format))
        return std::nullopt;
    return QString::fromUtf8(data->data(format));
}

std::optional<int> toIndex(const QString& s) {
    bool ok = false;
    const int v = s.toInt(&ok);
    if (!ok || v < 0)
        return std::nullopt;
    return v;
}

QMimeData* make(const QString& format, const QString& payload) {
    auto* data = new QMimeData;
    data->setData(format, payload.toUtf8());
    return data;
}

} // namespace

QMimeData* encodeOp(Op op) {
    const std::string_view name = opName(op);
    return make(kOp, QString::fromUtf8(name.data(), static_cast<qsizetype>(name.size())));
}

std::optional<Op> decodeOp(const QMimeData* data) {
    const auto payload = text(data, kOp);
    if (!payload)
        return std::nullopt;
    return opFromName(payload->toStdString());
}

QMimeData* encodeBundleLayer(BundleLayerRef ref) {
    return make(kBundleLayer, QStringLiteral("%1:%2").arg(ref.bundle).arg(ref.row));
}

std::optional<BundleLayerRef> decodeBundleLayer(const QMimeData* data) {
    const auto payload = text(data, kBundleLayer);
    if (!payload)
        return std::nullopt;
    const QStringList parts = payload->split(QLatin1Char(':'));
    if (parts.size() != 2)
        return std::nullopt;
    const auto bundle = toIndex(parts[0]);
    const auto row = toIndex(parts[1]);
    if (!bundle || !row)
        return std::nullopt;
    return BundleLayerRef{*bundle, *row};
}

QMimeData* encodeNetworkEntry(int row) {
    return make(kNetworkEntry, QString::number(row));
}

std::optional<int> decodeNetworkEntry(const QMimeData* data) {
    const auto payload = text(data, kNetworkEntry);
    return payload ? toIndex(*payload) : std::nullopt;
}

QMimeData* encodeBundle(const QString& name) {
    return make(kBundle, name);
}

std::optional<QString> decodeBundle(const QMimeData* data) {
    auto payload = text(data, kBundle);
    if (!payload || payload->isEmpty())
        return std::nullopt;
    return payload;
}

} // namespace codesign::mime
