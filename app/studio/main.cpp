// codesign-studio: the desktop GUI. Wiring only; the window lives in widgets/.
#include "core/model/project_yaml.h"
#include "widgets/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Codesign Studio"));
    QApplication::setApplicationVersion(QStringLiteral(CODESIGN_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("DNN and FPGA accelerator co-design"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("project"),
                                 QStringLiteral("Project file (default: the embedded DNN-A)."));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("Render the window to FILE and exit."),
                                        QStringLiteral("FILE"));
    parser.addOption(screenshot);
    parser.process(app);

    codesign::MainWindow window;
    const QStringList args = parser.positionalArguments();
    if (args.isEmpty()) {
        window.showProject(codesign::defaultProject());
    } else {
        auto project = codesign::loadProjectFile(args.front().toStdString());
        if (project.ok())
            window.showProject(*project);
        else
            window.showLoadError(QString::fromStdString(project.error().format()));
    }
    window.show();

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(200, &window, [&window, file] {
            const bool saved = window.grab().save(file);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
