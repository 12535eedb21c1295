// codesign-studio: the desktop GUI. Wiring only; the window lives in widgets/.
#include "widgets/bundle_editor.h"
#include "widgets/exploration_view.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
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
    QString askExportFolder(QWidget*, const QString&, bool&) override { return {}; }
    void showError(QWidget*, const QString& title, const QString& text) override {
        std::fprintf(stderr, "codesign-studio: %s: %s\n", qPrintable(title), qPrintable(text));
    }
};

std::optional<codesign::MainWindow::View> viewFromName(const QString& name) {
    using View = codesign::MainWindow::View;
    if (name == QStringLiteral("editor"))
        return View::Editor;
    if (name == QStringLiteral("qos"))
        return View::Qos;
    if (name == QStringLiteral("quantization"))
        return View::Quantization;
    if (name == QStringLiteral("explore"))
        return View::Explore;
    return std::nullopt;
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

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("codesign"));
    QApplication::setApplicationName(QStringLiteral("Codesign Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CODESIGN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("DNN and FPGA accelerator co-design"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project file (default: the embedded DNN-A)."),
                                 QStringLiteral("[PROJECT]"));
    const QCommandLineOption projectOption(QStringLiteral("project"),
                                           QStringLiteral("Project file (as the argument)."),
                                           QStringLiteral("FILE"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the window to FILE (PNG) and exit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption explore(
        QStringLiteral("explore"),
        QStringLiteral("With --screenshot: run a search of N evaluations first."),
        QStringLiteral("N"));
    const QCommandLineOption viewOption(
        QStringLiteral("view"),
        QStringLiteral("With --screenshot: editor (default), qos, quantization or explore."),
        QStringLiteral("VIEW"), QStringLiteral("editor"));
    parser.addOptions({projectOption, screenshot, explore, viewOption});
    parser.process(app);

    const bool headless = parser.isSet(screenshot);
    const auto view = viewFromName(parser.value(viewOption));
    if (!view) {
        std::fprintf(stderr, "codesign-studio: --view must be editor, qos, quantization or "
                             "explore\n");
        return 2;
    }
    int evaluations = 0;
    if (parser.isSet(explore)) {
        bool ok = false;
        evaluations = parser.value(explore).toInt(&ok);
        if (!ok || evaluations < 1) {
            std::fprintf(stderr, "codesign-studio: --explore needs a positive number\n");
            return 2;
        }
    }

    codesign::MainWindow::Options options;
    if (headless) {
        options.prompts = std::make_shared<HeadlessPrompts>();
        options.autosaveIntervalMs = 0;
    }
    codesign::MainWindow window(options);
    QString projectPath = parser.value(projectOption);
    if (projectPath.isEmpty() && !parser.positionalArguments().isEmpty())
        projectPath = parser.positionalArguments().front();
    if (!projectPath.isEmpty())
        window.openFile(projectPath); // a bad file shows its message in the window
    window.show();

    if (!headless) {
        QTimer::singleShot(0, &window, [&window] { window.offerRecovery(); });
        return QApplication::exec();
    }

    const QString file = parser.value(screenshot);
    window.showView(*view);
    // The pointwise layer of the first bundle, so that the property panel shows something.
    window.bundleEditor()->selectLayer(2);
    if (evaluations > 0) {
        codesign::ExplorationView* exploration = window.explorationView();
        QObject::connect(exploration, &codesign::ExplorationView::searchFinished, &window,
                         [&window, exploration, view, file](const codesign::SearchRunSummary& s) {
                             // Show the best design in the inspector, as a user would.
                             if (s.outcome && s.outcome->bestId >= 0)
                                 exploration->inspect(s.outcome->bestId);
                             takeScreenshot(window, *view, file);
                         });
        QTimer::singleShot(0, &window, [exploration, evaluations] {
            exploration->setBudget(evaluations);
            if (!exploration->start()) {
                std::fprintf(stderr, "codesign-studio: the search did not start: %s\n",
                             qPrintable(exploration->statusText()));
                QApplication::exit(1);
            }
        });
    } else if (window.qosUpToDate()) {
        takeScreenshot(window, *view, file);
    } else {
        QObject::connect(&window, &codesign::MainWindow::qosUpdated, &window,
                         [&window, view, file] {
                             if (window.qosUpToDate())
                                 takeScreenshot(window, *view, file);
                         });
    }
    return QApplication::exec();
}
