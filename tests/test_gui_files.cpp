// Project files in the studio: save and load round trip, the unsaved-changes prompt, a bad
// file's inline message naming its line, and the recovery file after a crash.
#include "core/model/project_yaml.h"
#include "gui_test_support.h"
#include "widgets/export_runner.h"
#include "widgets/network_model.h"
#include "widgets/network_view.h"
#include "widgets/project_document.h"
#include "widgets/project_files.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>

using namespace codesign;
using namespace codesign::testing;

namespace {

void editChannels(MainWindow& w, int row, int channels) {
    NetworkModel* model = w.networkView()->networkModel();
    QVERIFY(model->setData(model->index(row, NetworkModel::Channels), channels, Qt::EditRole));
}

} // namespace

class TestGuiFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void saveAndLoadRoundTrip() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("design.yaml"));
        editChannels(w, 0, 40);
        QVERIFY(w.document()->isModified());
        QVERIFY(w.windowTitle().contains(QStringLiteral("[*]")));
        QVERIFY(w.saveAs(path));
        QVERIFY(!w.document()->isModified());
        QCOMPARE(w.document()->filePath(), path);
        const Project saved = w.document()->project();
        Result<Project> read = readProjectFile(path);
        QVERIFY(read.ok());
        QCOMPARE(*read, saved);

        TestWindow other;
        QVERIFY(other.window->openFile(path));
        QCOMPARE(other.window->document()->project(), saved);
        QVERIFY(!other.window->document()->isModified());
        QCOMPARE(other.window->document()->project().network[0].channels, 40);
        // Undo past the save point makes it modified again; redo back to clean.
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->isModified());
        w.document()->undoStack()->redo();
        QVERIFY(!w.document()->isModified());
    }

    void unsavedChangesPrompt() {
        TestWindow t;
        MainWindow& w = *t.window;
        editChannels(w, 1, 80);
        t.prompts->saveAnswer = StudioPrompts::SaveChoice::Cancel;
        QVERIFY(!w.newProject());
        QCOMPARE(t.prompts->saveQuestions, 1);
        QCOMPARE(w.document()->project().network[1].channels, 80);
        t.prompts->saveAnswer = StudioPrompts::SaveChoice::Discard;
        QVERIFY(w.newProject());
        QCOMPARE(w.document()->project().network[1].channels, 96);
        QVERIFY(!w.document()->isModified());
        QVERIFY(w.newProject()); // nothing to ask about now
        QCOMPARE(t.prompts->saveQuestions, 2);
    }

    void badFileShowsItsLine() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.yaml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("name: broken\n"
                   "device: pynq-z1\n"
                   "input: {channels: 3, height: 160, width: 360}\n"
                   "precision: {weights: 16, activations: 8}\n"
                   "network:\n"
                   "  - {op: winograd, channels: 10}\n");
        file.close();
        const Project before = w.document()->project();
        QVERIFY(!w.openFile(path));
        QVERIFY2(w.loadError().contains(QStringLiteral("broken.yaml:6:")),
                 qPrintable(w.loadError()));
        QCOMPARE(w.document()->project(), before); // nothing lost
        QVERIFY(!w.openFile(dir.filePath(QStringLiteral("missing.yaml"))));
        QVERIFY(w.loadError().contains(QStringLiteral("missing.yaml")));
    }

    void recoveryOfferedAfterACrash() {
        TestWindow t;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("work.yaml"));
        QVERIFY(t.window->saveAs(path));
        editChannels(*t.window, 2, 200);
        const Project unsaved = t.window->document()->project();
        t.window->autosaveNow(); // what the one-minute timer does
        QVERIFY(t.window->recoveryStore().exists());
        // The crash: the window goes away without closing.
        t.window.reset();

        auto next = t.make();
        QVERIFY(next->offerRecovery());
        QCOMPARE(t.prompts->restoreQuestions, 1);
        QCOMPARE(next->document()->project(), unsaved);
        QCOMPARE(next->document()->filePath(), path);
        QVERIFY(next->document()->isModified()); // not saved yet
        // Saving clears the recovery file; a normal close would too.
        QVERIFY(next->save());
        QVERIFY(!next->recoveryStore().exists());
        Result<Project> onDisk = readProjectFile(path);
        QVERIFY(onDisk.ok());
        QCOMPARE(onDisk->network[2].channels, 200);
    }

    void declinedRecoveryIsDiscarded() {
        TestWindow t;
        editChannels(*t.window, 0, 24);
        t.window->autosaveNow();
        t.window.reset();
        t.prompts->restoreAnswer = false;
        auto next = t.make();
        QVERIFY(!next->offerRecovery());
        QVERIFY(!next->recoveryStore().exists());
        QCOMPARE(next->document()->project(), defaultProject());
    }

    // File > Export: the exporter runs on a worker thread with progress, and can be cancelled.
    void exportRunsOffTheGuiThread() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("export"));
        ExportRunner runner;
        QSignalSpy progressed(&runner, &ExportRunner::progressed);
        QSignalSpy finished(&runner, &ExportRunner::finished);
        QVERIFY(runner.start(defaultProject(), QString(), out, false));
        QVERIFY(runner.isRunning());
        QVERIFY(!runner.start(defaultProject(), QString(), out, false)); // one at a time
        QVERIFY(finished.wait(180000));
        QVERIFY2(finished.front().at(0).toBool(), qPrintable(finished.front().at(1).toString()));
        QVERIFY(progressed.count() > 0);
        QVERIFY(!QDir(out).isEmpty());
        QVERIFY(!runner.isRunning());
    }

    // File > Export is disabled for a family without an export backend (streaming), with
    // the reason as its tooltip, and enabled again for a tiled project.
    void exportDisabledForStreaming() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(w.exportAction()->isEnabled());
        QVERIFY(w.openFile(QStringLiteral(CODESIGN_SOURCE_DIR "/examples/streaming-lenet.yaml")));
        QVERIFY(!w.exportAction()->isEnabled());
        QVERIFY2(w.exportAction()->toolTip().contains(
                     QStringLiteral("a streaming design has no export backend")),
                 qPrintable(w.exportAction()->toolTip()));
        w.exportAction()->trigger(); // disabled: nothing is asked, nothing runs
        QVERIFY(t.prompts->errors.isEmpty());
        QVERIFY(w.openFile(QStringLiteral(CODESIGN_SOURCE_DIR "/examples/dac19-dnn-a.yaml")));
        QVERIFY(w.exportAction()->isEnabled());
    }

    void cancelledExportLeavesNothing() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("export"));
        ExportRunner runner;
        QSignalSpy finished(&runner, &ExportRunner::finished);
        QVERIFY(runner.start(defaultProject(), QString(), out, false));
        runner.cancel();
        QVERIFY(finished.wait(180000));
        QVERIFY(!finished.front().at(0).toBool());
        QVERIFY(!QFileInfo::exists(out) || QDir(out).isEmpty());
    }

    void normalCloseLeavesNoRecovery() {
        TestWindow t;
        editChannels(*t.window, 0, 24);
        t.window->autosaveNow();
        QVERIFY(t.window->recoveryStore().exists());
        t.prompts->saveAnswer = StudioPrompts::SaveChoice::Discard;
        QVERIFY(t.window->close());
        QVERIFY(!t.window->recoveryStore().exists());
    }
};

QTEST_MAIN(TestGuiFiles)
#include "test_gui_files.moc"
