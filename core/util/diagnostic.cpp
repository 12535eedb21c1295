#include "diagnostic.h"

namespace codesign {

std::string Diagnostic::format() const {
    std::string out;
    if (!file.empty()) {
        out += file;
        if (pos.known())
            out += ':' + std::to_string(pos.line) + ':' + std::to_string(pos.column);
        out += ": ";
    } else if (pos.known()) {
        out += "line " + std::to_string(pos.line) + ':' + std::to_string(pos.column) + ": ";
    }
    if (!layer.empty())
        out += "layer '" + layer + "': ";
    out += message;
    return out;
}

Diagnostic makeError(std::string message, SourcePos pos, std::string layer) {
    Diagnostic d;
    d.pos = pos;
    d.layer = std::move(layer);
    d.message = std::move(message);
    return d;
}

} // namespace codesign
