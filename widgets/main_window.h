#pragma once

#include "core/estimate/project_estimate.h"
#include "core/model/project.h"

#include <QMainWindow>

class QLabel;
class QPlainTextEdit;

namespace codesign {

class ResourceBars;

// The studio's main window. For now it shows one project's estimate; the editor, the
// QoS panel and the explorer arrive with the GUI issue.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Shows the project; a project that cannot be estimated shows its error inline.
    void showProject(const Project& project);
    void showLoadError(const QString& message);

private:
    QLabel* summary_;
    QLabel* error_;
    ResourceBars* bars_;
    QPlainTextEdit* table_;
};

} // namespace codesign
