#include "project_files.h"

#include "core/model/project_yaml.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace codesign {

Result<Project> readProjectFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError("cannot open '" + path.toStdString() +
                         "': " + file.errorString().toStdString());
    const QByteArray bytes = file.readAll();
    return parseProject(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                        path.toStdString());
}

Status writeTextFileAtomically(const QString& path, const QByteArray& bytes) {
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError("cannot write '" + path.toStdString() +
                         "': " + file.errorString().toStdString());
    if (file.write(bytes) != bytes.size() || !file.commit())
        return makeError("cannot write '" + path.toStdString() +
                         "': " + file.errorString().toStdString());
    return okStatus();
}

Status writeProjectFile(const QString& path, const Project& project) {
    const std::string yaml = projectToYaml(project);
    return writeTextFileAtomically(path, QByteArray(yaml.data(), qsizetype(yaml.size())));
}

} // namespace codesign
