#pragma once

// Helpers for the GUI tests: scripted answers to the window's questions and a window whose
// recovery file lives in a temporary folder.
#include "widgets/main_window.h"

#include <QTemporaryDir>
#include <QtTest>
#include <memory>

namespace codesign::testing {

// Answers the window's questions as the test says, and counts them.
class ScriptedPrompts : public StudioPrompts {
public:
    SaveChoice saveAnswer = SaveChoice::Discard;
    bool restoreAnswer = true;
    int saveQuestions = 0;
    int restoreQuestions = 0;
    QStringList errors;
    QString savePathAnswer;         // askSavePath's answer (empty: cancel)
    QStringList suggestedSavePaths; // what askSavePath suggested
    double lowRankBudget = -1;      // askLowRankBudget's answer (< 0: cancel)

    SaveChoice askSaveChanges(QWidget*, const QString&) override {
        ++saveQuestions;
        return saveAnswer;
    }
    bool askRestoreRecovery(QWidget*, const QString&) override {
        ++restoreQuestions;
        return restoreAnswer;
    }
    QString askOpenPath(QWidget*, const QString&) override { return {}; }
    QString askSavePath(QWidget*, const QString& suggested) override {
        suggestedSavePaths << suggested;
        return savePathAnswer;
    }
    QString askImportPath(QWidget*, const QString&) override { return {}; }
    bool askLowRankBudget(QWidget*, const QString&, double& budget) override {
        budget = lowRankBudget;
        return lowRankBudget >= 0;
    }
    QString askExportFolder(QWidget*, const QString&, bool&) override { return {}; }
    void showError(QWidget*, const QString& title, const QString& text) override {
        errors << title + QStringLiteral(": ") + text;
    }
};

struct TestWindow {
    QTemporaryDir recoveryDir;
    std::shared_ptr<ScriptedPrompts> prompts = std::make_shared<ScriptedPrompts>();
    std::unique_ptr<MainWindow> window;

    TestWindow() { window = make(); }
    // Another window sharing this one's recovery folder (the "next start").
    std::unique_ptr<MainWindow> make() {
        MainWindow::Options options;
        options.recoveryDirectory = recoveryDir.path();
        options.prompts = prompts;
        return std::make_unique<MainWindow>(options);
    }
};

// Waits until the QoS panel shows the document's current version.
inline bool waitForQos(const MainWindow& window, int timeoutMs = 5000) {
    return QTest::qWaitFor([&] { return window.qosUpToDate(); }, timeoutMs);
}

} // namespace codesign::testing
