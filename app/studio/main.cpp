// codesign-studio: the desktop GUI. Wiring only; the window lives in widgets/.
#include "studio_args.h"
#include "widgets/bundle_editor.h"
#include "widgets/exploration_view.h"
#include "widgets/family_compare_dialog.h"
#include "widgets/layer_property_panel.h"
#include "widgets/main_window.h"
#include "widgets/project_document.h"

#include <QApplication>
#include <QPixmap>
#include <QTemporaryDir>
#include <QTimer>
#include <cstdio>
#include <optional>
#include <utility>

namespace {

// The screenshot mode answers every question without a dialog.
class HeadlessPrompts : public codesign::StudioPrompts {
public:
    SaveChoice askSaveChanges(QWidget*, const QString&) override { return SaveChoice::Discard; }
    bool askRestoreRecovery(QWidget*, const QString&) override { return false; }
    QString askOpenPath(QWidget*, const QString&) override { return {}; }
    QString askSavePath(QWidget*, const QString&) override { return {}; }
    QString askImportPath(QWidget*, const QString&) override { return {}; }
    bool askImportChoice(QWidget*, const QString&, const QString& device,
                         codesign::ImportDialog::Choice& choice) override {
        choice.device = device.toStdString(); // the dialog's defaults
        return true;
    }
    bool askLowRank(QWidget*, const QString&, codesign::LowRankSettings&) override { return false; }
    QString askExportFolder(QWidget*, const QString&, bool&) override { return {}; }
    void showError(QWidget*, const QString& title, const QString& text) override {
        std::fprintf(stderr, "codesign-studio: %s: %s\n", qPrintable(title), qPrintable(text));
    }
};

void setIdentity() {
    QCoreApplication::setOrganizationName(QStringLiteral("codesign"));
    QCoreApplication::setApplicationName(QStringLiteral("Codesign Studio"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CODESIGN_VERSION));
}

// What needs no display is answered before the GUI platform starts (Qt aborts when it
// finds no display): --help, --version, and a bad value. A line that does not parse here
// may hold Qt's own options (-platform ...); the GUI application reads it again.
std::optional<int> answerWithoutDisplay(int& argc, char** argv, bool& headless) {
    const QCoreApplication probe(argc, argv);
    codesign::StudioCommandLine line;
    const bool parsed = line.parse(QCoreApplication::arguments());
    if (line.helpRequested()) {
        std::fputs(qPrintable(line.helpText()), stdout);
        return 0;
    }
    if (line.versionRequested()) {
        std::printf("%s %s\n", qPrintable(QCoreApplication::applicationName()),
                    qPrintable(QCoreApplication::applicationVersion()));
        return 0;
    }
    if (parsed) {
        headless = line.args().headless();
    } else if (!line.hasUnknownOption()) {
        std::fprintf(stderr, "codesign-studio: %s\n", qPrintable(line.error()));
        return 2;
    }
    return std::nullopt;
}

// A display, or a platform chosen by the user (QT_QPA_PLATFORM, -platform). Only X11 and
// Wayland systems tell by environment; elsewhere there is always a display.
bool haveDisplay(int argc, char** argv) {
#if !defined(Q_OS_UNIX) || defined(Q_OS_MACOS)
    Q_UNUSED(argc);
    Q_UNUSED(argv);
    return true;
#endif
    for (int i = 1; i < argc; ++i)
        if (qstrcmp(argv[i], "-platform") == 0 || qstrcmp(argv[i], "--platform") == 0)
            return true;
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

// Saves the picture once the window shows what was asked for, then quits.
void takeScreenshot(codesign::MainWindow& window, codesign::MainWindow::View view,
                    const QString& file) {
    static bool taken = false;
    if (std::exchange(taken, true))
        return;
    // A moment for queued replots and layouts to settle.
    QTimer::singleShot(400, &window, [&window, view, file] {
        const QPixmap picture = window.renderView(view);
        const bool saved = picture.save(file);
        if (!saved)
            std::fprintf(stderr, "codesign-studio: cannot write %s\n", qPrintable(file));
        QApplication::exit(saved ? 0 : 1);
    });
}

// Runs a search of N evaluations, shows its best design, then takes the picture. The run's
// archive is scratch data: it goes to `scratch`, never beside the user's project.
void exploreThenScreenshot(codesign::MainWindow& window, const codesign::StudioArgs& args,
                           const QString& scratch) {
    using codesign::ExplorationView;
    const auto view = args.view.value_or(codesign::MainWindow::View::Editor);
    ExplorationView* exploration = window.explorationView();
    exploration->setRunDataDirectory(scratch);
    QObject::connect(
        exploration, &ExplorationView::searchFinished, &window,
        [&window, exploration, view, file = args.screenshot](const codesign::SearchRunSummary& s) {
            // Show the best design in the inspector, as a user would.
            if (s.outcome && s.outcome->bestId >= 0)
                exploration->inspect(s.outcome->bestId);
            takeScreenshot(window, view, file);
        });
    QTimer::singleShot(0, &window, [exploration, evaluations = args.exploreEvaluations] {
        exploration->setBudget(evaluations);
        if (!exploration->start()) {
            std::fprintf(stderr, "codesign-studio: the search did not start: %s\n",
                         qPrintable(exploration->statusText()));
            QApplication::exit(1);
        }
    });
}

} // namespace

int main(int argc, char** argv) {
    setIdentity();
    bool headless = false;
    if (const auto answered = answerWithoutDisplay(argc, argv, headless))
        return *answered;
    if (!haveDisplay(argc, argv)) {
        if (!headless) {
            std::fprintf(stderr, "codesign-studio: no display (DISPLAY and WAYLAND_DISPLAY are "
                                 "not set); start it in a desktop session, or render a picture "
                                 "with --screenshot FILE\n");
            return 1;
        }
        qputenv("QT_QPA_PLATFORM", "offscreen"); // a screenshot needs no screen
    }

    QApplication app(argc, argv);
    codesign::StudioCommandLine line;
    if (!line.parse(QApplication::arguments())) {
        std::fprintf(stderr, "codesign-studio: %s\n", qPrintable(line.error()));
        return 2;
    }
    const codesign::StudioArgs& args = line.args();

    codesign::MainWindow::Options options;
    if (args.headless()) {
        options.prompts = std::make_shared<HeadlessPrompts>();
        options.autosaveIntervalMs = 0;
    }
    codesign::MainWindow window(options);
    if (!args.project.isEmpty())
        window.openFile(args.project); // a bad file shows its message in the window
    if (args.view)
        window.showView(*args.view);
    window.show();

    if (!args.headless()) {
        QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
        return QApplication::exec();
    }

    const auto view = args.view.value_or(codesign::MainWindow::View::Editor);
    if (view != codesign::MainWindow::View::Compare)
        window.showView(view); // the comparison started above
    // The pointwise layer of the first bundle, so that the property panel shows something.
    window.bundleEditor()->selectLayer(2);
    // A network without bundles (the streaming examples): its first conv, with its folding.
    const codesign::Project& shown = window.document()->project();
    for (std::size_t i = 0; shown.bundles.empty() && i < shown.network.size(); ++i)
        if (!shown.network[i].isBundle && shown.network[i].layer.op == codesign::Op::Conv) {
            window.propertyPanel()->setTarget(
                {codesign::EditTarget::Kind::NetworkEntry, -1, static_cast<int>(i)});
            break;
        }
    const QTemporaryDir scratch; // removed on exit
    if (view == codesign::MainWindow::View::Compare && args.exploreEvaluations == 0) {
        // The families are sized on their own thread: the picture waits for the table.
        QObject::connect(
            window.familyComparison(), &codesign::FamilyCompareDialog::compared, &window,
            [&window, view, file = args.screenshot] { takeScreenshot(window, view, file); });
    } else if (args.exploreEvaluations > 0) {
        if (!scratch.isValid()) {
            std::fprintf(stderr, "codesign-studio: no temporary folder for the search: %s\n",
                         qPrintable(scratch.errorString()));
            return 1;
        }
        exploreThenScreenshot(window, args, scratch.path());
    } else if (window.qosUpToDate()) {
        takeScreenshot(window, view, args.screenshot);
    } else {
        QObject::connect(&window, &codesign::MainWindow::qosUpdated, &window,
                         [&window, view, file = args.screenshot] {
                             if (window.qosUpToDate())
                                 takeScreenshot(window, view, file);
                         });
    }
    return QApplication::exec();
}
