#pragma once

// The studio's command line. It is read twice: first before the GUI platform starts, so that
// --help, --version and bad values answer on a machine without a display; then with the
// GUI application, which has taken out Qt's own options (-platform, -style, ...).
#include "widgets/main_window.h"

#include <QCommandLineParser>
#include <QStringList>
#include <optional>

namespace codesign {

struct StudioArgs {
    QString project;                      // empty: the embedded DNN-A
    QString screenshot;                   // empty: the interactive window
    std::optional<MainWindow::View> view; // --view: the view to show first
    int exploreEvaluations = 0;           // --explore N (with --screenshot)

    bool headless() const { return !screenshot.isEmpty(); }
};

class StudioCommandLine {
public:
    StudioCommandLine();

    // False when the line does not parse (an unknown option, a missing value) or a value is
    // bad; error() then says why.
    bool parse(const QStringList& arguments);
    // The line names an option the studio does not know (maybe one of Qt's own).
    bool hasUnknownOption() const { return !parser_.unknownOptionNames().isEmpty(); }
    bool helpRequested() const;
    bool versionRequested() const;
    QString helpText() const { return parser_.helpText(); }
    QString error() const { return error_; }
    const StudioArgs& args() const { return args_; }

private:
    bool readValues();

    QCommandLineParser parser_;
    QCommandLineOption help_;
    QCommandLineOption version_;
    QCommandLineOption project_;
    QCommandLineOption screenshot_;
    QCommandLineOption explore_;
    QCommandLineOption view_;
    StudioArgs args_;
    QString error_;
};

} // namespace codesign
