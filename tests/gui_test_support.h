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
    // askLowRank's answer: lowRank with lowRankBudget as its budget (< 0: cancel). Scheme
    // s1 unless a test says otherwise (the figures of the older tests are s1's).
    double lowRankBudget = -1;
    LowRankSettings lowRank = s1Settings(0.5);
    QStringList lowRankSelections; // what askLowRank was asked about
    // askImportChoice's answer (false: cancel); an empty device answers with the one offered.
    bool importChoiceAnswer = true;
    ImportDialog::Choice importChoice;
    QStringList offeredImportDevices; // the device askImportChoice offered, per question

    static LowRankSettings s1Settings(double budget) {
        LowRankSettings s;
        s.scheme = "s1";
        s.budget = budget;
        return s;
    }

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
    bool askImportChoice(QWidget*, const QString&, const QString& device,
                         ImportDialog::Choice& choice) override {
        offeredImportDevices << device;
        choice = importChoice;
        if (choice.device.empty())
            choice.device = device.toStdString();
        return importChoiceAnswer;
    }
    bool askLowRank(QWidget*, const QString& selection, LowRankSettings& settings) override {
        lowRankSelections << selection;
        settings = lowRank;
        settings.budget = lowRankBudget;
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
