#include "recovery_store.h"

#include "core/model/project_yaml.h"
#include "project_files.h"

#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

namespace codesign {
namespace {

// The first line records where the project came from; YAML reads it as a comment.
const QByteArray kHeader = QByteArrayLiteral("# codesign-studio recovery of: ");

} // namespace

RecoveryStore::RecoveryStore(QString directory) : directory_(std::move(directory)) {
    if (directory_.isEmpty())
        directory_ = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
}

QString RecoveryStore::filePath() const {
    return directory_ + QStringLiteral("/recovery.yaml");
}

bool RecoveryStore::exists() const {
    return QFileInfo::exists(filePath());
}

Status RecoveryStore::save(const Project& project, const QString& originalPath) {
    const std::string yaml = projectToYaml(project);
    QByteArray bytes = kHeader + QUrl::toPercentEncoding(originalPath, "/") + '\n';
    bytes += QByteArray(yaml.data(), qsizetype(yaml.size()));
    return writeTextFileAtomically(filePath(), bytes);
}

std::optional<Result<RecoveryStore::Recovered>> RecoveryStore::load() const {
    QFile file(filePath());
    if (!file.exists())
        return std::nullopt;
    if (!file.open(QIODevice::ReadOnly))
        return Result<Recovered>(
            makeError("cannot read the recovery file '" + filePath().toStdString() + "'"));
    const QByteArray bytes = file.readAll();
    Recovered r;
    if (bytes.startsWith(kHeader)) {
        const qsizetype end = bytes.indexOf('\n');
        r.originalPath = QUrl::fromPercentEncoding(bytes.mid(kHeader.size(), end - kHeader.size()));
    }
    Result<Project> project = parseProject(
        std::string_view(bytes.constData(), std::size_t(bytes.size())), filePath().toStdString());
    if (!project.ok())
        return Result<Recovered>(project.error());
    r.project = std::move(project).value();
    r.savedAt = QFileInfo(filePath()).lastModified();
    return Result<Recovered>(std::move(r));
}

void RecoveryStore::discard() {
    QFile::remove(filePath());
}

} // namespace codesign
