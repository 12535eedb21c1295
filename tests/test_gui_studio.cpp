// The codesign-studio program as a user starts it: the real binary on a machine without a
// display (--help, --version, bad values, --screenshot), and its command line.
#include "app/studio/studio_args.h"
#include "process_test_support.h"

#include <QDir>
#include <QImage>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

using namespace codesign;
using namespace codesign::testing;

namespace {

const QString kStudio = QStringLiteral(CODESIGN_STUDIO);

// The environment of a headless machine: no X11, no Wayland, no Qt platform chosen.
QProcessEnvironment noDisplay() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    return env;
}

Run runStudio(const QStringList& args, const QProcessEnvironment& env, const QString& dir = {}) {
    QProcess p;
    p.setProcessEnvironment(env);
    if (!dir.isEmpty())
        p.setWorkingDirectory(dir);
    p.start(kStudio, args);
    p.waitForFinished(120000);
    Run r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString copyExample(const QTemporaryDir& dir, const QString& name) {
    const QString to = dir.filePath(name);
    QFile::copy(QStringLiteral(CODESIGN_SOURCE_DIR "/examples/") + name, to);
    return to;
}

} // namespace

class TestGuiStudio : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void helpAndVersionNeedNoDisplay() {
        const Run help = runStudio({QStringLiteral("--help")}, noDisplay());
        QCOMPARE(help.exitCode, 0); // was 134 (SIGABRT: no display for the GUI platform)
        QVERIFY2(help.out.contains(QStringLiteral("Usage:")), qPrintable(help.out));
        QVERIFY(help.out.contains(QStringLiteral("--screenshot <FILE>")));
        QVERIFY(help.out.contains(QStringLiteral("--view <VIEW>")));
        const Run version = runStudio({QStringLiteral("--version")}, noDisplay());
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.out.trimmed(), QStringLiteral("Codesign Studio " CODESIGN_STUDIO_VERSION));
    }

    void badValuesAnswerWithoutDisplay() {
        const Run view =
            runStudio({QStringLiteral("--view"), QStringLiteral("plots")}, noDisplay());
        QCOMPARE(view.exitCode, 2);
        QVERIFY2(view.err.contains(QStringLiteral("--view must be editor, qos, quantization, "
                                                  "explore or compare")),
                 qPrintable(view.err));
        const Run explore =
            runStudio({QStringLiteral("--explore"), QStringLiteral("50")}, noDisplay());
        QCOMPARE(explore.exitCode, 2); // ignored silently before
        QVERIFY(explore.err.contains(QStringLiteral("--explore runs a search for --screenshot")));
    }

    void theWindowWithoutDisplaySaysWhy() {
        const Run r = runStudio({}, noDisplay());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("no display")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("--screenshot")));
    }

    void screenshotRendersWithoutDisplay() {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("qos.png"));
        const Run r = runStudio(
            {QStringLiteral("--screenshot"), png, QStringLiteral("--view"), QStringLiteral("qos")},
            noDisplay());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 200 && image.height() > 200);
    }

    // The search of --screenshot --explore is scratch: nothing of it lands beside the
    // user's project (it used to write <project>.codesign/explore there).
    void screenshotSearchLeavesTheProjectFolderAlone() {
        QTemporaryDir dir;
        const QString project = copyExample(dir, QStringLiteral("dac-sdc-explore.yaml"));
        const QString png = dir.filePath(QStringLiteral("explore.png"));
        QProcessEnvironment env = noDisplay();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        const Run r = runStudio({project, QStringLiteral("--screenshot"), png,
                                 QStringLiteral("--view"), QStringLiteral("explore"),
                                 QStringLiteral("--explore"), QStringLiteral("60")},
                                env, dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!QImage(png).isNull());
        const QStringList left =
            QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
        QCOMPARE(left, (QStringList{QStringLiteral("dac-sdc-explore.yaml"),
                                    QStringLiteral("explore.png")}));
    }

    // --view compare renders the Compare accelerator families window once its table is in
    // (--view compare was refused before: there was no way to picture that window).
    void screenshotOfTheFamilyComparison() {
        QTemporaryDir dir;
        const QString project = copyExample(dir, QStringLiteral("mobilenet-v1-systolic.yaml"));
        const QString png = dir.filePath(QStringLiteral("compare.png"));
        const Run r = runStudio({project, QStringLiteral("--screenshot"), png,
                                 QStringLiteral("--view"), QStringLiteral("compare")},
                                noDisplay(), dir.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QImage image(png);
        QVERIFY(!image.isNull());
        // The dialog (1100 x 260 at first), not the main window.
        QVERIFY2(image.width() >= 1000 && image.width() <= 1300 && image.height() < 500,
                 qPrintable(QStringLiteral("%1 x %2").arg(image.width()).arg(image.height())));
        StudioCommandLine line;
        QVERIFY(line.parse({QStringLiteral("codesign-studio"), QStringLiteral("--view"),
                            QStringLiteral("compare")}));
        QCOMPARE(line.args().view, std::optional(MainWindow::View::Compare));
    }

    // --view without --screenshot chooses the view the window opens on (it was ignored).
    void viewWithoutScreenshotIsTheFirstView() {
        StudioCommandLine line;
        QVERIFY(line.parse({QStringLiteral("codesign-studio"), QStringLiteral("--view"),
                            QStringLiteral("explore")}));
        QVERIFY(!line.args().headless());
        QCOMPARE(line.args().view, std::optional(MainWindow::View::Explore));
        QVERIFY(line.parse({QStringLiteral("codesign-studio"), QStringLiteral("net.yaml")}));
        QCOMPARE(line.args().project, QStringLiteral("net.yaml"));
        QVERIFY(!line.args().view); // the window's own default
        QVERIFY(!line.parse({QStringLiteral("codesign-studio"), QStringLiteral("a.yaml"),
                             QStringLiteral("b.yaml")}));
        QCOMPARE(line.error(), QStringLiteral("one project at a time"));
    }
};

QTEST_MAIN(TestGuiStudio)
#include "test_gui_studio.moc"
