#include "studio_args.h"

namespace codesign {
namespace {

std::optional<MainWindow::View> viewFromName(const QString& name) {
    using View = MainWindow::View;
    if (name == QStringLiteral("editor"))
        return View::Editor;
    if (name == QStringLiteral("qos"))
        return View::Qos;
    if (name == QStringLiteral("quantization"))
        return View::Quantization;
    if (name == QStringLiteral("explore"))
        return View::Explore;
    if (name == QStringLiteral("compare"))
        return View::Compare;
    return std::nullopt;
}

} // namespace

StudioCommandLine::StudioCommandLine()
    : help_(parser_.addHelpOption()), version_(parser_.addVersionOption()),
      project_(QStringLiteral("project"), QStringLiteral("Project file (as the argument)."),
               QStringLiteral("FILE")),
      screenshot_(QStringLiteral("screenshot"),
                  QStringLiteral("Render the window to FILE (PNG) and exit. Needs no display "
                                 "(renders offscreen when there is none)."),
                  QStringLiteral("FILE")),
      explore_(QStringLiteral("explore"),
               QStringLiteral("With --screenshot: run a search of N evaluations first (its "
                              "archive goes to a temporary folder, not beside the project)."),
               QStringLiteral("N")),
      view_(QStringLiteral("view"),
            QStringLiteral("The view to show: editor (default), qos, quantization, explore or "
                           "compare (the Compare accelerator families window); with "
                           "--screenshot, the view to render."),
            QStringLiteral("VIEW")) {
    parser_.setApplicationDescription(QStringLiteral("DNN and FPGA accelerator co-design"));
    parser_.addPositionalArgument(QStringLiteral("project"),
                                  QStringLiteral("Project file (default: the embedded DNN-A)."),
                                  QStringLiteral("[PROJECT]"));
    parser_.addOptions({project_, screenshot_, explore_, view_});
}

bool StudioCommandLine::parse(const QStringList& arguments) {
    args_ = {};
    error_.clear();
    if (!parser_.parse(arguments)) {
        error_ = parser_.errorText();
        return false;
    }
    return readValues();
}

bool StudioCommandLine::helpRequested() const {
    return parser_.isSet(help_) || parser_.isSet(QStringLiteral("help-all"));
}

bool StudioCommandLine::versionRequested() const {
    return parser_.isSet(version_);
}

bool StudioCommandLine::readValues() {
    args_.project = parser_.value(project_);
    const QStringList positional = parser_.positionalArguments();
    if (args_.project.isEmpty() && !positional.isEmpty())
        args_.project = positional.front();
    if (positional.size() > 1 || (!positional.isEmpty() && parser_.isSet(project_))) {
        error_ = QStringLiteral("one project at a time");
        return false;
    }
    args_.screenshot = parser_.value(screenshot_);
    if (parser_.isSet(view_)) {
        args_.view = viewFromName(parser_.value(view_));
        if (!args_.view) {
            error_ = QStringLiteral("--view must be editor, qos, quantization, explore or compare");
            return false;
        }
    }
    if (parser_.isSet(explore_)) {
        if (!args_.headless()) {
            error_ = QStringLiteral("--explore runs a search for --screenshot; in the window, "
                                    "press Start on the Exploration page");
            return false;
        }
        bool ok = false;
        args_.exploreEvaluations = parser_.value(explore_).toInt(&ok);
        if (!ok || args_.exploreEvaluations < 1) {
            error_ = QStringLiteral("--explore needs a positive number");
            return false;
        }
    }
    return true;
}

} // namespace codesign
