#pragma once

#include "core/model/op.h"

#include <QString>
#include <optional>

class QMimeData;

// The drag payloads of the editor. Each is a small UTF-8 text under its own MIME type, so
// that a drop can be validated before anything changes (and tests can build them).
namespace codesign::mime {

inline const QString kOp = QStringLiteral("application/x-codesign-op");
inline const QString kBundleLayer = QStringLiteral("application/x-codesign-bundle-layer");
inline const QString kNetworkEntry = QStringLiteral("application/x-codesign-network-entry");
inline const QString kBundle = QStringLiteral("application/x-codesign-bundle");

// A new layer from the palette.
QMimeData* encodeOp(Op op);
std::optional<Op> decodeOp(const QMimeData* data);

// A layer of bundle `bundle` at `row`, being moved.
struct BundleLayerRef {
    int bundle = -1;
    int row = -1;
};
QMimeData* encodeBundleLayer(BundleLayerRef ref);
std::optional<BundleLayerRef> decodeBundleLayer(const QMimeData* data);

// A network entry being moved.
QMimeData* encodeNetworkEntry(int row);
std::optional<int> decodeNetworkEntry(const QMimeData* data);

// A bundle definition, dropped on the network as a new instance.
QMimeData* encodeBundle(const QString& name);
std::optional<QString> decodeBundle(const QMimeData* data);

} // namespace codesign::mime
