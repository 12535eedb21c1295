#include "exploration_view.h"

#include "core/hw/device_library.h"
#include "core/model/project_device.h"
#include "core/qor/qor_cache.h"
#include "core/search/search_report.h"
#include "core/search/strategy.h"
#include "design_inspector.h"
#include "pareto_plot.h"
#include "project_document.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>
#include <limits>

namespace codesign {
namespace {

// The plots take what the search produced on this clock: often enough to look live, rarely
// enough that drawing stays a small part of the GUI thread's time.
constexpr int kFlushIntervalMs = 100;
constexpr std::size_t kNoIndex = std::numeric_limits<std::size_t>::max();

ParetoPlot::Point plotPoint(const EvaluatedPoint& p, double x) {
    return {x, p.qor.qor, p.id, p.feasible, p.qor.predicted, int(p.design.index())};
}

} // namespace

ExplorationView::ExplorationView(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), runner_(new SearchRunner(this)),
      flushTimer_(new QTimer(this)), targetFps_(new QDoubleSpinBox),
      resourceCap_(new QDoubleSpinBox), powerBudget_(new QDoubleSpinBox), strategy_(new QComboBox),
      goal_(new QComboBox), budget_(new QSpinBox), seed_(new QSpinBox), evaluator_(new QComboBox),
      evaluatorArgument_(new QLineEdit), evaluatorNote_(new QLabel), training_(new QWidget),
      trainEpochs_(new QSpinBox), trainImages_(new QSpinBox), trainResolution_(new QDoubleSpinBox),
      startButton_(new QPushButton(QStringLiteral("Start"))),
      pauseButton_(new QPushButton(QStringLiteral("Pause"))),
      stopButton_(new QPushButton(QStringLiteral("Stop"))), progress_(new QProgressBar),
      status_(new QLabel),
      fpsPlot_(new ParetoPlot(QStringLiteral("FPS"), Front2d::XSense::Maximise)),
      // Board power hardly tells designs apart (its static part is most of it on these
      // boards); energy per image does, and is what DAC-SDC scores (docs/gui.md).
      energyPlot_(new ParetoPlot(QStringLiteral("energy per image, mJ (board power / FPS)"),
                                 Front2d::XSense::Minimise, ParetoPlot::XScale::Logarithmic)),
      inspector_(new DesignInspector) {
    targetFps_->setRange(0, 100000);
    targetFps_->setDecimals(1);
    targetFps_->setSpecialValueText(QStringLiteral("none"));
    targetFps_->setSuffix(QStringLiteral(" FPS"));
    resourceCap_->setRange(0.05, 1.0);
    resourceCap_->setSingleStep(0.05);
    resourceCap_->setDecimals(2);
    powerBudget_->setRange(0, 1000);
    powerBudget_->setDecimals(2);
    powerBudget_->setSingleStep(0.1);
    powerBudget_->setSpecialValueText(QStringLiteral("none"));
    powerBudget_->setSuffix(QStringLiteral(" W"));
    for (StrategyKind k : {StrategyKind::Scd, StrategyKind::Nsga2, StrategyKind::Random,
                           StrategyKind::Anneal, StrategyKind::Exhaustive})
        strategy_->addItem(QString::fromLatin1(strategyName(k)), int(k));
    strategy_->setItemData(0, QStringLiteral("Stochastic coordinate descent (the seed's method)"),
                           Qt::ToolTipRole);
    strategy_->setItemData(1, QStringLiteral("NSGA-II, the multi-objective genetic algorithm"),
                           Qt::ToolTipRole);
    strategy_->setObjectName(QStringLiteral("strategy"));
    // What SCD looks for: the best design at the target FPS, or the whole front (a ladder
    // of FPS targets, docs/search.md "Fronts"). The other strategies have one way each.
    goal_->addItem(QStringLiteral("Best at target"), false);
    goal_->addItem(QStringLiteral("Front"), true);
    goal_->setItemData(0, QStringLiteral("The highest QoR that meets the target FPS"),
                       Qt::ToolTipRole);
    goal_->setItemData(1,
                       QStringLiteral("The best QoR at every FPS from the target up: SCD "
                                      "over a ladder of FPS targets"),
                       Qt::ToolTipRole);
    goal_->setObjectName(QStringLiteral("searchGoal"));
    goal_->setCurrentIndex(1); // the view plots fronts: by default, the best front
    budget_->setRange(1, 100'000'000);
    budget_->setValue(2000);
    budget_->setGroupSeparatorShown(true);
    seed_->setRange(0, 1'000'000'000);
    seed_->setValue(1);
    const TrainingChoice fast;
    trainEpochs_->setRange(1, 1000);
    trainEpochs_->setValue(fast.epochs);
    trainEpochs_->setSuffix(QStringLiteral(" epochs"));
    trainImages_->setRange(2, 10'000'000);
    trainImages_->setValue(fast.images);
    trainImages_->setGroupSeparatorShown(true);
    trainImages_->setSuffix(QStringLiteral(" images"));
    trainResolution_->setRange(0.1, 1.0);
    trainResolution_->setSingleStep(0.05);
    trainResolution_->setDecimals(2);
    trainResolution_->setValue(fast.resolution);
    trainResolution_->setPrefix(QStringLiteral("x"));
    trainResolution_->setToolTip(QStringLiteral(
        "The share of the network's input resolution each design trains at: the seed's fast "
        "training, a QoR that ranks designs (docs/training.md)"));
    training_->setObjectName(QStringLiteral("trainingRow"));
    auto* trainingLayout = new QHBoxLayout(training_);
    trainingLayout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* w : std::initializer_list<QWidget*>{trainEpochs_, trainImages_, trainResolution_})
        trainingLayout->addWidget(w);
    evaluatorNote_->setWordWrap(true);
    evaluatorNote_->setStyleSheet(QStringLiteral("color: palette(dark)"));
    status_->setWordWrap(true);
    progress_->setFormat(QStringLiteral("%v / %m"));

    auto* form = new QFormLayout;
    form->addRow(QStringLiteral("Target FPS"), targetFps_);
    form->addRow(QStringLiteral("Resource cap"), resourceCap_);
    form->addRow(QStringLiteral("Power budget"), powerBudget_);
    form->addRow(QStringLiteral("Strategy"), strategy_);
    form->addRow(QStringLiteral("Goal"), goal_);
    form->addRow(QStringLiteral("Budget"), budget_);
    form->addRow(QStringLiteral("Seed"), seed_);
    form->addRow(QStringLiteral("QoR"), evaluator_);
    form->addRow(QString(), evaluatorArgument_);
    form->addRow(QString(), training_);
    form->addRow(evaluatorNote_);
    auto* settings = new QGroupBox(QStringLiteral("Search"));
    settings->setLayout(form);

    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {startButton_, pauseButton_, stopButton_}) {
        b->setAutoDefault(false);
        buttons->addWidget(b);
    }
    auto* inspectorBox = new QGroupBox(QStringLiteral("Design"));
    auto* inspectorLayout = new QVBoxLayout(inspectorBox);
    inspectorLayout->addWidget(inspector_);

    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(settings);
    sideLayout->addLayout(buttons);
    sideLayout->addWidget(progress_);
    sideLayout->addWidget(status_);
    sideLayout->addWidget(inspectorBox, 1);
    auto* sideScroll = new QScrollArea;
    sideScroll->setWidget(side);
    sideScroll->setWidgetResizable(true);
    sideScroll->setFrameShape(QFrame::NoFrame);
    sideScroll->setMinimumWidth(300);

    auto* plots = new QSplitter(Qt::Vertical);
    plots->addWidget(fpsPlot_);
    plots->addWidget(energyPlot_);
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(sideScroll);
    split->addWidget(plots);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({320, 700});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    flushTimer_->setInterval(kFlushIntervalMs);
    connect(flushTimer_, &QTimer::timeout, this, [this] {
        flushPoints();
        updateProgress();
    });
    connect(startButton_, &QPushButton::clicked, this, [this] { start(); });
    connect(pauseButton_, &QPushButton::clicked, this, &ExplorationView::pauseOrResume);
    connect(stopButton_, &QPushButton::clicked, this, &ExplorationView::stop);
    connect(runner_, &SearchRunner::finished, this, &ExplorationView::onFinished);
    connect(evaluator_, &QComboBox::currentIndexChanged, this,
            &ExplorationView::updateEvaluatorHint);
    connect(strategy_, &QComboBox::currentIndexChanged, this, &ExplorationView::updateButtons);
    for (ParetoPlot* plot : {fpsPlot_, energyPlot_}) {
        connect(plot, &ParetoPlot::pointClicked, this, &ExplorationView::inspect);
        plot->setDescriber([this](int id) {
            const EvaluatedPoint* p = pointById(id);
            return p && space_ ? DesignInspector::summary(*p, *space_) : QString();
        });
    }
    connect(inspector_, &DesignInspector::applyRequested, this, &ExplorationView::applyInspected);
    connect(document_, &ProjectDocument::filePathChanged, this,
            &ExplorationView::reloadFromProject);
    reloadFromProject();
    updateButtons();
    status_->setText(QStringLiteral("Set the constraints and press Start. The search runs in "
                                    "the background; the window stays usable."));
}

void ExplorationView::reloadFromProject() {
    if (runner_->isRunning())
        return;
    const Project& p = document_->project();
    targetFps_->setValue(p.search.targetFps);
    resourceCap_->setValue(p.search.resourceCap);
    powerBudget_->setValue(p.search.powerBudgetW);
    const QString previous = evaluator_->currentData().toString();
    options_ = qorEvaluatorOptions(document_->filePath());
    const QSignalBlocker block(evaluator_);
    evaluator_->clear();
    for (const QorEvaluatorOption& o : options_) {
        evaluator_->addItem(o.label, o.key);
        if (!o.available)
            evaluator_->setItemData(evaluator_->count() - 1, o.unavailableReason, Qt::ToolTipRole);
    }
    setEvaluator(previous.isEmpty() ? defaultQorEvaluator(options_) : previous);
}

void ExplorationView::setEvaluator(const QString& key) {
    const int index = evaluator_->findData(key);
    if (index >= 0)
        evaluator_->setCurrentIndex(index);
    updateEvaluatorHint();
}

void ExplorationView::setBudget(int budget) {
    budget_->setValue(budget);
}

void ExplorationView::setTrainingChoice(const TrainingChoice& choice) {
    trainEpochs_->setValue(choice.epochs);
    trainImages_->setValue(choice.images);
    trainResolution_->setValue(choice.resolution);
}

TrainingChoice ExplorationView::trainingChoice() const {
    return {trainEpochs_->value(), trainImages_->value(), trainResolution_->value()};
}

void ExplorationView::updateEvaluatorHint() {
    const QString key = evaluator_->currentData().toString();
    for (const QorEvaluatorOption& o : options_) {
        if (o.key != key)
            continue;
        evaluatorArgument_->setVisible(!o.argumentHint.isEmpty());
        training_->setVisible(key == QStringLiteral("torch"));
        evaluatorArgument_->setPlaceholderText(o.argumentHint);
        evaluatorNote_->setText(o.available ? QString() : o.unavailableReason);
        evaluatorNote_->setVisible(!o.available);
    }
}

bool ExplorationView::start() {
    if (runner_->isRunning())
        return false;
    const Project& project = document_->project();
    Result<Device> device = resolveDevice(project, DeviceLibrary::standard());
    if (!device.ok()) {
        status_->setText(QString::fromStdString(device.error().format()));
        return false;
    }
    const QString key = evaluator_->currentData().toString();
    const QString path = document_->filePath();
    SearchRunner* runner = runner_; // outlives the search, and with it the evaluator
    Result<std::unique_ptr<QorEvaluator>> evaluator =
        makeQorEvaluator(key, evaluatorArgument_->text(), path, trainingChoice(),
                         [runner](const QString& text) { runner->setQorDetail(text); });
    if (!evaluator.ok()) {
        status_->setText(
            QStringLiteral("<span style='color:#a40000'>Cannot start: %1</span>")
                .arg(QString::fromStdString(evaluator.error().format()).toHtmlEscaped()));
        return false;
    }
    SearchJob job;
    job.project = project;
    job.device = std::move(device).value();
    job.constraints = {targetFps_->value(), resourceCap_->value(), powerBudget_->value()};
    job.settings.strategy = static_cast<StrategyKind>(strategy_->currentData().toInt());
    job.settings.strategyOptions.front =
        job.settings.strategy == StrategyKind::Scd && goal_->currentData().toBool();
    job.settings.budget = budget_->value();
    job.settings.strategyOptions.seed = static_cast<std::uint64_t>(seed_->value());
    predictedRun_ = (*evaluator)->predicts();
    job.info = {project.name,
                job.device.name,
                strategyName(job.settings.strategy),
                job.settings.strategyOptions.front,
                job.settings.strategyOptions.seed,
                (*evaluator)->name(),
                predictedRun_,
                path.toStdString(),
                searchProjectHash(project)};
    const std::string dataDir = !runDataDir_.isEmpty() ? runDataDir_.toStdString()
                                : path.isEmpty()       ? std::string()
                                                       : projectDataDir(path.toStdString());
    archiveDir_.clear();
    if (!dataDir.empty()) {
        // As `codesign explore`: measured QoR is cached beside the project, and the
        // archive of the run is written there.
        if ((*evaluator)->cacheable()) {
            Result<std::shared_ptr<QorCache>> cache = QorCache::open(dataDir + "/qor-cache.csv");
            if (cache.ok())
                job.cache = *cache;
        }
        job.outputDir = dataDir + "/explore";
        archiveDir_ = QString::fromStdString(job.outputDir);
    }
    job.evaluator = std::move(evaluator).value();
    if (Status s = runner_->start(std::move(job)); !s.ok()) {
        status_->setText(QStringLiteral("<span style='color:#a40000'>Cannot start: %1</span>")
                             .arg(QString::fromStdString(s.error().format()).toHtmlEscaped()));
        return false;
    }
    space_ = runner_->space();
    points_.clear();
    indexById_.clear();
    for (ParetoPlot* plot : {fpsPlot_, energyPlot_}) {
        plot->clear();
        plot->setKnownQorName(key == QStringLiteral("benchmark")
                                  ? QStringLiteral("benchmark QoR (synthetic)")
                                  : QStringLiteral("measured"));
    }
    inspector_->clear();
    progress_->setRange(0, budget_->value());
    progress_->setValue(0);
    status_->setText(QStringLiteral("Searching %1 designs (%2 coordinates)...")
                         .arg(QLocale().toString(qulonglong(space_->size())))
                         .arg(space_->dimensions()));
    flushTimer_->start();
    updateButtons();
    return true;
}

void ExplorationView::pauseOrResume() {
    if (!runner_->isRunning())
        return;
    if (runner_->isPaused())
        runner_->resume();
    else
        runner_->pause();
    updateButtons();
}

void ExplorationView::stop() {
    runner_->stop();
    status_->setText(QStringLiteral("Stopping..."));
}

void ExplorationView::flushPoints() {
    addEvaluatedPoints(runner_->takePoints());
}

void ExplorationView::addEvaluatedPoints(std::vector<EvaluatedPoint> batch) {
    if (batch.empty())
        return;
    std::vector<ParetoPlot::Point> byFps, byEnergy;
    byFps.reserve(batch.size());
    byEnergy.reserve(batch.size());
    for (EvaluatedPoint& p : batch) {
        // Invalid networks and designs without a QoR have nothing to plot.
        if (p.valid && p.qor.ok()) {
            byFps.push_back(plotPoint(p, p.fps));
            byEnergy.push_back(plotPoint(p, p.energyPerImageMj));
        }
        if (p.id >= 0) {
            if (std::size_t(p.id) >= indexById_.size())
                indexById_.resize(std::max(std::size_t(p.id) + 1, indexById_.size() * 2), kNoIndex);
            indexById_[std::size_t(p.id)] = points_.size();
        }
        points_.push_back(std::move(p));
    }
    fpsPlot_->addPoints(byFps);
    energyPlot_->addPoints(byEnergy);
}

void ExplorationView::updateProgress() {
    const auto p = runner_->latestProgress();
    // Inside a slow evaluation (a design's training) the detail is all that moves.
    const QString detail = runner_->isRunning() ? runner_->qorDetail() : QString();
    const QString detailLine =
        detail.isEmpty() ? QString() : QStringLiteral("<br>") + detail.toHtmlEscaped();
    if (!p) {
        if (!detail.isEmpty())
            status_->setText(QStringLiteral("Searching...") + detailLine);
        return;
    }
    progress_->setMaximum(std::max(1, p->budget));
    progress_->setValue(std::min(p->evaluations, p->budget));
    const double rate = p->elapsedSeconds > 0 ? p->evaluations / p->elapsedSeconds : 0;
    status_->setText(QStringLiteral("%1 designs, %2/s; %3; front %4 designs, hypervolume %5%6%7")
                         .arg(QLocale().toString(p->evaluations))
                         .arg(QLocale().toString(rate, 'f', 0))
                         .arg(p->haveFeasible ? QStringLiteral("best QoR %1 (design %2)")
                                                    .arg(p->bestObjective, 0, 'f', 3)
                                                    .arg(p->bestId)
                                              : QStringLiteral("none meets the constraints yet"))
                         .arg(p->frontSize)
                         .arg(p->hypervolume, 0, 'g', 4)
                         .arg(predictedRun_ ? QStringLiteral("; QoR predicted") : QString())
                         .arg(detailLine));
}

void ExplorationView::onFinished(const SearchRunSummary& summary) {
    flushTimer_->stop();
    flushPoints();
    updateProgress();
    QString text = status_->text();
    if (!summary.ok) {
        text = QStringLiteral("<span style='color:#a40000'>The search failed: %1</span>")
                   .arg(summary.message.toHtmlEscaped());
    } else {
        text += QStringLiteral("<br>Finished: %1 (%2 s).")
                    .arg(summary.message)
                    .arg(summary.outcome->seconds, 0, 'f', 1);
        if (!summary.outputError.isEmpty())
            text += QStringLiteral("<br><span style='color:#a40000'>The archive was not "
                                   "written: %1</span>")
                        .arg(summary.outputError.toHtmlEscaped());
        else if (!archiveDir_.isEmpty())
            text += QStringLiteral("<br>Archive: %1").arg(archiveDir_.toHtmlEscaped());
    }
    status_->setText(text);
    updateButtons();
    Q_EMIT searchFinished(summary);
}

void ExplorationView::updateButtons() {
    const bool running = runner_->isRunning();
    startButton_->setEnabled(!running);
    pauseButton_->setEnabled(running);
    stopButton_->setEnabled(running);
    pauseButton_->setText(running && runner_->isPaused() ? QStringLiteral("Resume")
                                                         : QStringLiteral("Pause"));
    for (QWidget* w :
         std::initializer_list<QWidget*>{targetFps_, resourceCap_, powerBudget_, strategy_, budget_,
                                         seed_, evaluator_, evaluatorArgument_, training_})
        w->setEnabled(!running);
    goal_->setEnabled(!running && strategy_->currentData().toInt() == int(StrategyKind::Scd));
}

const EvaluatedPoint* ExplorationView::pointById(int id) const {
    if (id < 0 || std::size_t(id) >= indexById_.size() || indexById_[std::size_t(id)] == kNoIndex)
        return nullptr;
    return &points_[indexById_[std::size_t(id)]];
}

void ExplorationView::inspect(int id) {
    const EvaluatedPoint* p = pointById(id);
    if (!p || !space_)
        return;
    inspector_->showPoint(*p, *space_);
    fpsPlot_->setSelected(id);
    energyPlot_->setSelected(id);
}

void ExplorationView::applyInspected() {
    const auto id = inspector_->shownId();
    const EvaluatedPoint* p = id ? pointById(*id) : nullptr;
    if (!p || !space_)
        return;
    // The design as evaluated: the search's network and precision at this point, and the
    // accelerator it was sized to (so the QoS panel shows the numbers that were plotted).
    Result<Project> project = designProject(*space_, *p);
    if (!project.ok())
        return;
    Q_EMIT applyRequested(*project, QStringLiteral("Apply explored design %1").arg(p->id));
}

QString ExplorationView::statusText() const {
    return status_->text();
}

} // namespace codesign
