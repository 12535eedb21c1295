#pragma once

// Runs a program as a user would (the codesign CLI, make, python3) and keeps what it said.
#include <QProcess>
#include <QString>
#include <QStringList>

namespace codesign::testing {

struct Run {
    int exitCode = -1; // -1: it crashed or did not finish in time
    QString out;
    QString err;
};

inline Run runProgram(const QString& program, const QStringList& args, const QString& dir = {},
                      int timeoutMs = 600000) {
    QProcess p;
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.start(program, args);
    p.waitForFinished(timeoutMs);
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace codesign::testing
