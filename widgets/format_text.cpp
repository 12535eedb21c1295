#include "format_text.h"

#include <QStringList>

namespace codesign {
namespace {

QString fixedText(const FixedType& t) {
    return QString::fromStdString(formatFixedType(t));
}

// One kind of value: the format every layer is stored in, the project's, and the layers
// that widened it.
QString sentence(const QString& what, const FixedType& stored, const FixedType& requested,
                 const std::vector<std::string>& widenedBy) {
    if (stored == requested)
        return {};
    QStringList layers;
    for (const std::string& name : widenedBy)
        layers << QString::fromStdString(name);
    const QString text =
        QStringLiteral("%1 are stored as %2 in every layer (the accelerator shares one %3 "
                       "format)")
            .arg(what.left(1).toUpper() + what.mid(1), fixedText(stored), what.chopped(1));
    if (layers.isEmpty()) // every layer narrower than the project's format
        return text + QStringLiteral(", not the project's %1.").arg(fixedText(requested));
    return text + QStringLiteral(": %1 %2 for more than the project's %3.")
                      .arg(layers.join(QStringLiteral(", ")),
                           layers.size() == 1 ? QStringLiteral("asks") : QStringLiteral("ask"),
                           fixedText(requested));
}

} // namespace

QString formatsShort(const EffectiveFormats& f) {
    return QStringLiteral("W%1/A%2").arg(f.storage.weights.width).arg(f.storage.activations.width);
}

QString formatsNote(const EffectiveFormats& f) {
    QStringList parts;
    for (const QString& s : {sentence(QStringLiteral("activations"), f.storage.activations,
                                      f.projectActivations, f.activationsForcedBy),
                             sentence(QStringLiteral("weights"), f.storage.weights,
                                      f.projectWeights, f.weightsForcedBy)})
        if (!s.isEmpty())
            parts << s;
    return parts.join(QLatin1Char(' '));
}

} // namespace codesign
