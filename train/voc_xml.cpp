#include "voc_xml.h"

#include <QByteArray>
#include <QString>
#include <QXmlStreamReader>
#include <array>
#include <optional>

namespace codesign::train {
namespace {

Diagnostic errorAt(const std::string& path, qint64 line, qint64 column, std::string message) {
    Diagnostic d = makeError(std::move(message), {static_cast<int>(line),
                                                  static_cast<int>(std::max<qint64>(1, column))});
    d.file = path;
    return d;
}

std::string utf8(const QString& s) {
    return s.toStdString();
}

// An <object> while it is being read: its four corners may come in any order.
struct PendingObject {
    VocObject object;
    std::array<std::optional<double>, 4> corners; // xmin, ymin, xmax, ymax
    bool hasBox = false;
    qint64 line = 0;
};

constexpr std::array<const char*, 4> kCorners = {"xmin", "ymin", "xmax", "ymax"};

} // namespace

Result<VocAnnotation> parseVocXml(std::string_view text, const std::string& path) {
    const QByteArray bytes(text.data(), static_cast<qsizetype>(text.size()));
    QXmlStreamReader xml(bytes);
    VocAnnotation annotation;
    std::vector<QString> stack; // open element names
    std::optional<PendingObject> object;
    bool sawRoot = false;

    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const QString name = xml.name().toString();
            if (stack.empty()) {
                if (name != QLatin1String("annotation"))
                    return errorAt(path, xml.lineNumber(), xml.columnNumber(),
                                   "the root element is <" + utf8(name) +
                                       ">; a VOC annotation starts with <annotation>");
                sawRoot = true;
            }
            const bool inAnnotation = stack.size() == 1;
            if (inAnnotation && name == QLatin1String("object")) {
                object.emplace();
                object->line = xml.lineNumber();
            }
            if (object && name == QLatin1String("bndbox")) {
                object->hasBox = true;
                object->object.line = static_cast<int>(xml.lineNumber());
            }
            stack.push_back(name);
            continue;
        }
        if (token == QXmlStreamReader::Characters && !xml.isWhitespace() && !stack.empty()) {
            const QString value = xml.text().toString().trimmed();
            const QString& leaf = stack.back();
            const QString parent = stack.size() >= 2 ? stack[stack.size() - 2] : QString();
            const qint64 line = xml.lineNumber();
            auto number = [&](double& out) -> std::optional<Diagnostic> {
                bool ok = false;
                out = value.toDouble(&ok);
                if (!ok)
                    return errorAt(path, line, xml.columnNumber(),
                                   "<" + utf8(leaf) + "> '" + utf8(value) + "' is not a number");
                return std::nullopt;
            };
            if (stack.size() == 2 && leaf == QLatin1String("filename")) {
                annotation.filename = utf8(value);
            } else if (parent == QLatin1String("size") && stack.size() == 3 &&
                       (leaf == QLatin1String("width") || leaf == QLatin1String("height"))) {
                double v = 0;
                if (auto e = number(v))
                    return *e;
                (leaf == QLatin1String("width") ? annotation.width : annotation.height) =
                    static_cast<int>(v);
            } else if (object && parent == QLatin1String("object") &&
                       leaf == QLatin1String("name")) {
                object->object.name = utf8(value);
            } else if (object && parent == QLatin1String("bndbox")) {
                for (std::size_t k = 0; k < kCorners.size(); ++k)
                    if (leaf == QLatin1String(kCorners[k])) {
                        double v = 0;
                        if (auto e = number(v))
                            return *e;
                        object->corners[k] = v;
                    }
            }
            continue;
        }
        if (token == QXmlStreamReader::EndElement) {
            if (!stack.empty())
                stack.pop_back();
            if (object && stack.size() == 1 && xml.name() == QLatin1String("object")) {
                if (!object->hasBox)
                    return errorAt(path, object->line, 1, "this <object> has no <bndbox>");
                for (std::size_t k = 0; k < kCorners.size(); ++k)
                    if (!object->corners[k])
                        return errorAt(path, object->object.line, 1,
                                       std::string("the <bndbox> has no <") + kCorners[k] + ">");
                Box& b = object->object.box;
                b = {*object->corners[0], *object->corners[1], *object->corners[2],
                     *object->corners[3]};
                if (b.x2 <= b.x1 || b.y2 <= b.y1)
                    return errorAt(path, object->object.line, 1,
                                   "the box has no area (xmax must exceed xmin and ymax ymin)");
                annotation.objects.push_back(std::move(object->object));
                object.reset();
            }
        }
    }
    if (xml.hasError())
        return errorAt(path, xml.lineNumber(), xml.columnNumber(),
                       "malformed XML: " + utf8(xml.errorString()));
    if (!sawRoot)
        return errorAt(path, 1, 1, "the file has no XML elements");
    return annotation;
}

} // namespace codesign::train
