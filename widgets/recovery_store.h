#pragma once

#include "core/model/project.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QString>
#include <optional>

namespace codesign {

// Unsaved work, written every minute while the document is modified, removed when the
// window closes normally or the document is saved. A recovery file still there at the
// next start means the last session ended without closing (a crash, a kill, a power cut),
// and the window offers it back.
class RecoveryStore {
public:
    // `directory` empty: the application's data folder (QStandardPaths::AppDataLocation).
    explicit RecoveryStore(QString directory = {});

    Status save(const Project& project, const QString& originalPath);
    struct Recovered {
        Project project;
        QString originalPath; // empty when the project had never been saved
        QDateTime savedAt;
    };
    // The recovery file, if any; a damaged one is reported as an error.
    std::optional<Result<Recovered>> load() const;
    bool exists() const;
    void discard();
    QString filePath() const;

private:
    QString directory_;
};

} // namespace codesign
