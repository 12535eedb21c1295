#pragma once

// The studio's View > Compare accelerator families: `codesign compare` as a small table
// (every registered family on the project's device, each sized automatically), computed off
// the GUI thread.
#include "core/estimate/family_compare.h"
#include "core/model/project.h"

#include <QDialog>
#include <memory>
#include <optional>
#include <thread>

class QLabel;
class QTableWidget;

namespace codesign {

class FamilyCompareDialog : public QDialog {
    Q_OBJECT
public:
    explicit FamilyCompareDialog(QWidget* parent = nullptr);
    ~FamilyCompareDialog() override; // waits for a comparison still running

    // Compares `project`'s families off the GUI thread; while one runs, the newest request
    // waits and replaces any older one.
    void compare(const Project& project);
    bool busy() const { return running_; }

    QTableWidget* table() const { return table_; }
    QString headline() const;

Q_SIGNALS:
    void compared(); // the table shows the newest request's result

private:
    struct Outcome {
        Result<std::vector<FamilyEstimate>> families = std::vector<FamilyEstimate>{};
        std::string projectName;
        std::string device;
    };
    void start(Project project);
    void showOutcome(const Outcome& outcome);

    QLabel* headline_;
    QTableWidget* table_;
    std::thread worker_;
    bool running_ = false;
    std::optional<Project> pending_;
};

} // namespace codesign
