#pragma once

#include <string>

namespace codesign {

// Where in a source file something was written; line and column are 1-based, 0 means unknown.
struct SourcePos {
    int line = 0;
    int column = 0;
    bool known() const { return line > 0; }
};

// An error a user can cause. It carries enough to point at the cause: a file position,
// or the name of the layer it concerns, or both.
struct Diagnostic {
    std::string file;
    SourcePos pos;
    std::string layer;
    std::string message;

    // "FILE:LINE:COL: message", falling back to what is known ("layer 'x': message").
    std::string format() const;
};

Diagnostic makeError(std::string message, SourcePos pos = {}, std::string layer = {});

} // namespace codesign
