#include "format_text.h"

#include <QStringList>

namespace codesign {
namespace {

QString fixedText(const FixedType& t) {
    return QString::fromStdString(formatFixedType(t));
}

QString sentence(const QString& what, const SharedFormat& s) {
    if (!s.differs())
        return {};
    QStringList layers;
    for (const std::string& name : s.widenedBy)
        layers << QString::fromStdString(name);
    const QString stored =
        QStringLiteral("%1 are stored as %2 in every layer (the accelerator shares one %3 "
                       "format)")
            .arg(what.left(1).toUpper() + what.mid(1), fixedText(s.format), what.chopped(1));
    if (layers.isEmpty()) // every layer narrower than the project's format
        return stored + QStringLiteral(", not the project's %1.").arg(fixedText(s.requested));
    return stored + QStringLiteral(": %1 %2 for more than the project's %3.")
                        .arg(layers.join(QStringLiteral(", ")),
                             layers.size() == 1 ? QStringLiteral("asks") : QStringLiteral("ask"),
                             fixedText(s.requested));
}

} // namespace

QString formatsShort(const EffectiveFormats& f) {
    return QStringLiteral("W%1/A%2").arg(f.weights.format.width).arg(f.activations.format.width);
}

QString formatsNote(const EffectiveFormats& f) {
    QStringList parts;
    for (const QString& s : {sentence(QStringLiteral("activations"), f.activations),
                             sentence(QStringLiteral("weights"), f.weights)})
        if (!s.isEmpty())
            parts << s;
    return parts.join(QLatin1Char(' '));
}

} // namespace codesign
