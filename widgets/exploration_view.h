#pragma once

#include "core/search/evaluated_point.h"
#include "qor_evaluator_options.h"
#include "search_runner.h"

#include <QWidget>
#include <deque>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTimer;

namespace codesign {

class DesignInspector;
class ParetoPlot;
class ProjectDocument;

// The co-design search: its settings (constraints, strategy and, for SCD, its goal: the best
// design at the target or the front; budget, seed, QoR evaluator),
// Start / Pause / Stop, progress, and two live plots of QoR against FPS and against energy
// per image with their Pareto fronts (docs/gui.md says why energy, not board power). A design
// clicked in a plot goes to the inspector; its Apply makes it the document's design in one undo
// step.
class ExplorationView : public QWidget {
    Q_OBJECT
public:
    explicit ExplorationView(ProjectDocument* document, QWidget* parent = nullptr);

    // Starts a search of the document's project with the settings in the form; false (and a
    // message in the view) when it cannot start.
    bool start();
    void pauseOrResume();
    void stop();
    bool isRunning() const { return runner_->isRunning(); }

    void setBudget(int budget);
    void setEvaluator(const QString& key);
    // The fast training of the torch evaluator (shown when it is chosen).
    void setTrainingChoice(const TrainingChoice& choice);
    TrainingChoice trainingChoice() const;
    // Where a run writes its archive (and caches measured QoR). Empty, the default: beside
    // a saved project, as `codesign explore` does (`<project>.codesign/`). The screenshot
    // mode points it at a temporary folder: its runs are scratch.
    void setRunDataDirectory(const QString& dir) { runDataDir_ = dir; }
    // Refreshes the evaluator list and the constraints from the project (new file, new
    // project); keeps the points of the last search.
    void reloadFromProject();

    // Takes what the search has evaluated so far into the plots now (also on a timer).
    void flushPoints();
    // Adds evaluated designs to the store and the plots (flushPoints() uses it; the GUI
    // benchmark feeds it directly to go past the search's own rate).
    void addEvaluatedPoints(std::vector<EvaluatedPoint> batch);
    int evaluatedCount() const { return static_cast<int>(points_.size()); }
    const EvaluatedPoint* pointById(int id) const;
    void inspect(int id);
    void applyInspected();

    ParetoPlot* fpsPlot() const { return fpsPlot_; }
    ParetoPlot* energyPlot() const { return energyPlot_; }
    SearchRunner* runner() const { return runner_; }
    QString statusText() const;

Q_SIGNALS:
    void applyRequested(const codesign::Project& project, const QString& description);
    void searchFinished(const codesign::SearchRunSummary& summary);

private:
    void onFinished(const SearchRunSummary& summary);
    void updateProgress();
    void updateButtons();
    void updateEvaluatorHint();

    ProjectDocument* document_;
    SearchRunner* runner_;
    QTimer* flushTimer_;
    QDoubleSpinBox* targetFps_;
    QDoubleSpinBox* resourceCap_;
    QDoubleSpinBox* powerBudget_;
    QComboBox* strategy_;
    QComboBox* goal_; // SCD: best at target or front
    QSpinBox* budget_;
    QSpinBox* seed_;
    QComboBox* evaluator_;
    QLineEdit* evaluatorArgument_;
    QLabel* evaluatorNote_;
    QWidget* training_; // the torch evaluator's epochs, images and resolution
    QSpinBox* trainEpochs_;
    QSpinBox* trainImages_;
    QDoubleSpinBox* trainResolution_;
    QPushButton* startButton_;
    QPushButton* pauseButton_;
    QPushButton* stopButton_;
    QProgressBar* progress_;
    QLabel* status_;
    ParetoPlot* fpsPlot_;
    ParetoPlot* energyPlot_;
    DesignInspector* inspector_;
    std::vector<QorEvaluatorOption> options_;

    // Every design of the run. A deque: it grows by hundreds of thousands without moving
    // what it holds (a vector's reallocation would stall the GUI thread).
    std::deque<EvaluatedPoint> points_;
    std::vector<std::size_t> indexById_;       // ids are dense from 0; kNoIndex where unknown
    std::shared_ptr<const DesignSpace> space_; // of the plotted run
    bool predictedRun_ = false;
    QString runDataDir_; // empty: beside the project
    QString archiveDir_; // where the running search writes its archive; empty: nowhere
};

} // namespace codesign
