#pragma once

#include "core/model/project.h"
#include "core/util/result.h"

#include <QString>

namespace codesign {

// Reads a project file; errors carry FILE:LINE:COL.
Result<Project> readProjectFile(const QString& path);
// Writes the canonical YAML through QSaveFile: the old file stays whole until the new one
// is complete on disk.
Status writeProjectFile(const QString& path, const Project& project);
// Any text, the same way (recovery files).
Status writeTextFileAtomically(const QString& path, const QByteArray& bytes);

} // namespace codesign
