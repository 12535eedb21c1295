#include "main_window.h"

#include "bundle_editor.h"
#include "core/model/project_edits.h"
#include "core/model/project_yaml.h"
#include "exploration_view.h"
#include "export_runner.h"
#include "family_compare_dialog.h"
#include "hls_export/accelerator_backend.h"
#include "import_runner.h"
#include "layer_palette.h"
#include "layer_property_panel.h"
#include "low_rank_runner.h"
#include "model_io/model_reader.h"
#include "network_model.h"
#include "network_view.h"
#include "project_document.h"
#include "project_files.h"
#include "project_settings_panel.h"
#include "qcustomplot_include.h"
#include "qos_panel.h"
#include "quantization_view.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QProgressDialog>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace codesign {
namespace {

constexpr int kMaxRecentFiles = 8;
const QString kRecentKey = QStringLiteral("recentFiles");

QLabel* errorBanner() {
    auto* label = new QLabel;
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(QStringLiteral("color: #a40000; background: #fde8e8; padding: 6px; "
                                        "border: 1px solid #e0a0a0; border-radius: 3px"));
    label->hide();
    return label;
}

} // namespace

MainWindow::MainWindow() : MainWindow(Options{}) {}

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent), options_(std::move(options)),
      prompts_(options_.prompts ? options_.prompts : std::make_shared<StudioPrompts>()),
      recovery_(options_.recoveryDirectory), document_(new ProjectDocument(this)),
      estimates_(new EstimateService(this)), export_(new ExportRunner(this)),
      import_(new ImportRunner(this)), lowRank_(new LowRankRunner(this)),
      palette_(new LayerPalette), bundleEditor_(new BundleEditor(document_)),
      networkView_(new NetworkView(document_)), properties_(new LayerPropertyPanel(document_)),
      settings_(new ProjectSettingsPanel(document_)), qos_(new QosPanel),
      quantization_(new QuantizationView), exploration_(new ExplorationView(document_)),
      pages_(new QTabWidget), loadError_(errorBanner()), designError_(errorBanner()),
      autosave_(new QTimer(this)) {
    setObjectName(QStringLiteral("MainWindow"));
    auto* editorSplit = new QSplitter(Qt::Vertical);
    editorSplit->addWidget(bundleEditor_);
    editorSplit->addWidget(networkView_);
    editorSplit->setStretchFactor(0, 2);
    editorSplit->setStretchFactor(1, 3);
    auto* editorPage = new QWidget;
    auto* editorLayout = new QVBoxLayout(editorPage);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addWidget(designError_);
    editorLayout->addWidget(editorSplit, 1);
    pages_->addTab(editorPage, QStringLiteral("Design"));
    pages_->addTab(exploration_, QStringLiteral("Exploration"));
    auto* central = new QWidget;
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(4, 4, 4, 4);
    centralLayout->addWidget(loadError_);
    centralLayout->addWidget(pages_, 1);
    setCentralWidget(central);
    buildDocks();
    buildMenus();
    statusBar()->showMessage(QStringLiteral("Ready"));

    connect(document_, &ProjectDocument::projectChanged, this, &MainWindow::onProjectChanged);
    connect(document_, &ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(document_, &ProjectDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(document_, &ProjectDocument::filePathChanged, this, &MainWindow::updateLowRankAction);
    connect(estimates_, &EstimateService::finished, this, &MainWindow::onEstimate);
    connect(bundleEditor_, &BundleEditor::targetSelected, properties_,
            &LayerPropertyPanel::setTarget);
    connect(networkView_, &NetworkView::targetSelected, properties_,
            &LayerPropertyPanel::setTarget);
    connect(networkView_, &NetworkView::instanceRequested, this, [this] {
        const Project& p = document_->project();
        const int b = bundleEditor_->currentBundle();
        if (edits::hasBundle(p, b))
            networkView_->addInstance(QString::fromStdString(p.bundles[std::size_t(b)].name));
    });
    connect(palette_, &LayerPalette::opActivated, this, &MainWindow::onPaletteActivated);
    connect(quantization_, &QuantizationView::weightBitsChosen, this, [this](int bits) {
        Project after = document_->project();
        edits::setWeightBits(after, bits);
        document_->edit(QStringLiteral("Set weights to %1 bits").arg(bits), std::move(after));
    });
    connect(quantization_, &QuantizationView::resizeChosen, this, [this](double resize) {
        Project after = document_->project();
        after.input.resize = resize;
        document_->edit(QStringLiteral("Set input resize to %1").arg(resize), std::move(after));
    });
    connect(exploration_, &ExplorationView::applyRequested, this,
            [this](const Project& project, const QString& text) {
                document_->edit(text, project);
                statusBar()->showMessage(text + QStringLiteral(" (Edit > Undo reverts it)"), 8000);
            });
    connect(export_, &ExportRunner::finished, this, [this](bool ok, const QString& message) {
        if (ok)
            statusBar()->showMessage(message, 15000);
        else
            prompts_->showError(this, QStringLiteral("Export failed"), message);
    });

    connect(autosave_, &QTimer::timeout, this, &MainWindow::autosaveNow);
    if (options_.autosaveIntervalMs > 0) {
        autosave_->setInterval(options_.autosaveIntervalMs);
        autosave_->start();
    }
    resize(1440, 900);
    showProject(defaultProject());
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowTabbedDocks);
    auto dock = [this](const QString& title, const QString& name, QWidget* content,
                       Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        addDockWidget(area, d);
        return d;
    };
    paletteDock_ =
        dock(QStringLiteral("Layers"), QStringLiteral("palette"), palette_, Qt::LeftDockWidgetArea);
    propertiesDock_ = dock(QStringLiteral("Properties"), QStringLiteral("properties"), properties_,
                           Qt::LeftDockWidgetArea);
    settingsDock_ = dock(QStringLiteral("Project"), QStringLiteral("project"), settings_,
                         Qt::LeftDockWidgetArea);
    tabifyDockWidget(propertiesDock_, settingsDock_);
    propertiesDock_->raise();
    qosDock_ = dock(QStringLiteral("QoS"), QStringLiteral("qos"), qos_, Qt::RightDockWidgetArea);
    quantizationDock_ = dock(QStringLiteral("Quantization"), QStringLiteral("quantization"),
                             quantization_, Qt::RightDockWidgetArea);
    tabifyDockWidget(qosDock_, quantizationDock_);
    qosDock_->raise();
    resizeDocks({paletteDock_, qosDock_}, {230, 440}, Qt::Horizontal);
    resizeDocks({paletteDock_, propertiesDock_}, {330, 470}, Qt::Vertical);
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(QStringLiteral("&File"));
    file->addAction(QStringLiteral("&New"), QKeySequence::New, this, [this] { newProject(); });
    file->addAction(QStringLiteral("&Open..."), QKeySequence::Open, this, &MainWindow::openDialog);
    importAction_ =
        file->addAction(QStringLiteral("&Import model..."), QKeySequence(Qt::CTRL | Qt::Key_I),
                        this, &MainWindow::importDialog);
    importAction_->setObjectName(QStringLiteral("importAction"));
    importAction_->setStatusTip(QStringLiteral("Import a trained model (ONNX) as a project "
                                               "with its weights"));
    recentMenu_ = file->addMenu(QStringLiteral("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(QStringLiteral("&Save"), QKeySequence::Save, this, [this] { save(); });
    file->addAction(QStringLiteral("Save &As..."), QKeySequence::SaveAs, this,
                    [this] { saveAsDialog(); });
    file->addSeparator();
    exportAction_ =
        file->addAction(QStringLiteral("&Export..."), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                        &MainWindow::exportDialog);
    file->setToolTipsVisible(true); // a disabled Export says why
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(QStringLiteral("&Edit"));
    QAction* undo = document_->undoStack()->createUndoAction(this, QStringLiteral("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = document_->undoStack()->createRedoAction(this, QStringLiteral("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    lowRankAction_ = edit->addAction(QStringLiteral("&Low-rank (SVD) decomposition..."), this,
                                     &MainWindow::lowRankDialog);
    lowRankAction_->setObjectName(QStringLiteral("lowRankAction"));
    edit->setToolTipsVisible(true); // a disabled Low-rank says why
    networkView_->table()->addAction(lowRankAction_);
    networkView_->table()->setContextMenuPolicy(Qt::ActionsContextMenu);

    QMenu* view = menuBar()->addMenu(QStringLiteral("&View"));
    view->addAction(QStringLiteral("&Design"), QKeySequence(Qt::CTRL | Qt::Key_1), this,
                    [this] { showView(View::Editor); });
    view->addAction(QStringLiteral("E&xploration"), QKeySequence(Qt::CTRL | Qt::Key_2), this,
                    [this] { showView(View::Explore); });
    view->addSeparator();
    QAction* compare = view->addAction(QStringLiteral("&Compare accelerator families..."), this,
                                       &MainWindow::showFamilyComparison);
    compare->setObjectName(QStringLiteral("compareFamiliesAction"));
    compare->setStatusTip(QStringLiteral("Every accelerator family on the project's device, "
                                         "each sized automatically"));
    view->addSeparator();
    for (QDockWidget* d :
         {paletteDock_, propertiesDock_, settingsDock_, qosDock_, quantizationDock_})
        view->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About Codesign Studio"), this, &MainWindow::showAbout);
    help->addAction(QStringLiteral("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::showAbout() {
#ifdef CODESIGN_TORCH_VERSION
    const QString torch = QStringLiteral(CODESIGN_TORCH_VERSION);
#else
    const QString torch = QStringLiteral("not built in (fast training unavailable)");
#endif
    QMessageBox::about(
        this, QStringLiteral("About Codesign Studio"),
        QStringLiteral("<h3>Codesign Studio %1</h3><p>DNN and FPGA accelerator co-design: "
                       "bundles, live QoS estimates, co-design search.</p>"
                       "<p>Qt %2 (built with %3)<br>QCustomPlot %4<br>libtorch: %5</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR), QStringLiteral(QCUSTOMPLOT_VERSION_STR), torch));
}

void MainWindow::showProject(const Project& project, const QString& path, bool modified) {
    // The numbers shown belong to the project before: none of them is this one's "last
    // valid" estimate.
    qos_->clear();
    quantization_->clear();
    properties_->setEstimate(nullptr); // the design before is not this project's
    designError_->hide();
    document_->reset(project, path, modified);
    exploration_->reloadFromProject();
}

void MainWindow::showLoadError(const QString& message) {
    loadError_->setText(QStringLiteral("<b>Could not open the project.</b> ") +
                        message.toHtmlEscaped() +
                        QStringLiteral("<br><i>The editor still shows %1.</i>")
                            .arg(document_->displayName().toHtmlEscaped()));
    loadError_->show();
}

QString MainWindow::loadError() const {
    return loadError_->isHidden() ? QString() : loadError_->text();
}

QString MainWindow::designError() const {
    return designError_->isHidden() ? QString() : designError_->text();
}

bool MainWindow::maybeSave() {
    if (!document_->isModified())
        return true;
    switch (prompts_->askSaveChanges(this, document_->displayName())) {
    case StudioPrompts::SaveChoice::Save:
        return save();
    case StudioPrompts::SaveChoice::Discard:
        return true;
    case StudioPrompts::SaveChoice::Cancel:
        return false;
    }
    return false;
}

bool MainWindow::newProject() {
    if (!maybeSave())
        return false;
    loadError_->hide();
    Project p = defaultProject();
    p.name = "untitled";
    p.description.clear();
    showProject(p);
    return true;
}

bool MainWindow::openFile(const QString& path) {
    if (modelio::findModelReader(path.toStdString()))
        return importModel(path);
    if (!maybeSave())
        return false;
    Result<Project> project = readProjectFile(path);
    if (!project.ok()) {
        showLoadError(QString::fromStdString(project.error().format()));
        return false;
    }
    loadError_->hide();
    showProject(*project, QFileInfo(path).absoluteFilePath());
    addRecentFile(QFileInfo(path).absoluteFilePath());
    return true;
}

void MainWindow::openDialog() {
    const QString dir = document_->filePath().isEmpty()
                            ? QString()
                            : QFileInfo(document_->filePath()).absolutePath();
    const QString path = prompts_->askOpenPath(this, dir);
    if (!path.isEmpty())
        openFile(path);
}

bool MainWindow::save() {
    if (document_->filePath().isEmpty())
        return saveAsDialog();
    return saveAs(document_->filePath());
}

bool MainWindow::saveAsDialog() {
    const QString suggested =
        document_->filePath().isEmpty()
            ? QString::fromStdString(document_->project().name) + QStringLiteral(".yaml")
            : document_->filePath();
    const QString path = prompts_->askSavePath(this, suggested);
    return !path.isEmpty() && saveAs(path);
}

bool MainWindow::saveAs(const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (Status s = writeProjectFile(absolute, document_->project()); !s.ok()) {
        prompts_->showError(this, QStringLiteral("Save failed"),
                            QString::fromStdString(s.error().format()));
        return false;
    }
    document_->markSaved(absolute);
    recovery_.discard(); // everything is on disk now
    addRecentFile(absolute);
    exploration_->reloadFromProject();
    statusBar()->showMessage(QStringLiteral("Saved %1").arg(absolute), 5000);
    return true;
}

void MainWindow::exportDialog() {
    if (export_->isRunning() || !exportAction_->isEnabled())
        return;
    const QString base =
        document_->filePath().isEmpty()
            ? QString()
            : QString::fromStdString(projectDataDir(document_->filePath().toStdString())) +
                  QStringLiteral("/export");
    bool replace = false;
    const QString dir = prompts_->askExportFolder(this, base, replace);
    if (dir.isEmpty())
        return;
    auto* progress =
        new QProgressDialog(QStringLiteral("Exporting..."), QStringLiteral("Cancel"), 0, 100, this);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(0);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, export_, &ExportRunner::cancel);
    connect(export_, &ExportRunner::progressed, progress, [progress](int pct, const QString& step) {
        progress->setValue(pct);
        progress->setLabelText(step);
    });
    connect(export_, &ExportRunner::finished, progress, &QWidget::close);
    export_->start(document_->project(), document_->filePath(), dir, replace);
}

void MainWindow::addRecentFile(const QString& path) {
    QSettings settings;
    QStringList files = settings.value(kRecentKey).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(kRecentKey, files);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList files = QSettings().value(kRecentKey).toStringList();
    for (const QString& path : files)
        recentMenu_->addAction(QFileInfo(path).fileName() + QStringLiteral("  (") + path +
                                   QStringLiteral(")"),
                               this, [this, path] { openFile(path); });
    recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::updateTitle() {
    setWindowTitle(document_->displayName() + QStringLiteral("[*] - Codesign Studio"));
    setWindowModified(document_->isModified());
}

void MainWindow::onProjectChanged() {
    sinceEdit_.start();
    estimates_->request(document_->project());
    if (familyCompare_ && familyCompare_->isVisible())
        familyCompare_->compare(document_->project());
    updateTitle();
    updateExportAction();
    updateLowRankAction();
}

void MainWindow::updateExportAction() {
    const QString reason = QString::fromStdString(
        hls::exportUnavailableReason(document_->project().accelerator.arch()));
    exportAction_->setEnabled(reason.isEmpty());
    exportAction_->setToolTip(reason.isEmpty()
                                  ? QStringLiteral("Export the accelerator project "
                                                   "and the model")
                                  : QStringLiteral("Export is unavailable: ") + reason);
    exportAction_->setStatusTip(exportAction_->toolTip());
}

void MainWindow::showFamilyComparison() {
    if (!familyCompare_)
        familyCompare_ = new FamilyCompareDialog(this);
    familyCompare_->show();
    familyCompare_->raise();
    familyCompare_->compare(document_->project());
}

bool MainWindow::qosUpToDate() const {
    return shownGeneration_ == estimates_->latestGeneration();
}

void MainWindow::onEstimate(const std::shared_ptr<const EstimateOutcome>& outcome) {
    // A newer edit is already being estimated: its result follows.
    if (outcome->generation != estimates_->latestGeneration())
        return;
    shownGeneration_ = outcome->generation;
    qos_->showOutcome(*outcome, document_->project());
    if (outcome->estimate)
        properties_->setEstimate(outcome); // a failed one keeps the last design's folding
    if (outcome->estimate) {
        quantization_->setCurves(outcome->curves);
        quantization_->setStale(false);
        networkView_->networkModel()->setGraph(outcome->estimate->graph);
        designError_->hide();
    } else {
        quantization_->setStale(true);
        networkView_->networkModel()->setGraph(outcome->resolved);
        const Diagnostic& d = outcome->error;
        designError_->setText(
            (d.layer.empty() ? QString()
                             : QStringLiteral("Layer <b>%1</b>: ")
                                   .arg(QString::fromStdString(d.layer).toHtmlEscaped())) +
            QString::fromStdString(d.message).toHtmlEscaped() +
            (qos_->hasNumbers()
                 ? QStringLiteral(" <i>(the QoS panel keeps the last valid numbers, marked "
                                  "stale)</i>")
                 : QStringLiteral(" <i>(no numbers until the design builds)</i>")));
        designError_->show();
    }
    lastEditToQosMs_ = double(sinceEdit_.nsecsElapsed()) / 1e6;
    statusBar()->showMessage(QStringLiteral("Estimated in %1 ms; on screen %2 ms after the edit")
                                 .arg(outcome->computeMs, 0, 'f', 1)
                                 .arg(lastEditToQosMs_, 0, 'f', 1));
    Q_EMIT qosUpdated();
}

void MainWindow::onPaletteActivated(Op op) {
    if (edits::bundleRefusal(op).empty() && bundleEditor_->currentBundle() >= 0)
        bundleEditor_->addLayer(op);
    else
        networkView_->addLayer(op);
}

bool MainWindow::offerRecovery() {
    auto recovered = recovery_.load();
    if (!recovered)
        return false;
    if (!recovered->ok()) {
        prompts_->showError(this, QStringLiteral("Recovery file damaged"),
                            QString::fromStdString(recovered->error().format()) +
                                QStringLiteral("\nIt is left in place: ") + recovery_.filePath());
        return false;
    }
    const RecoveryStore::Recovered& r = recovered->value();
    const QString from =
        r.originalPath.isEmpty() ? QStringLiteral("an unsaved project") : r.originalPath;
    const QString question =
        QStringLiteral("Codesign Studio did not close normally. Unsaved changes to %1 were "
                       "kept at %2. Restore them?")
            .arg(from, QLocale().toString(r.savedAt, QLocale::ShortFormat));
    if (!prompts_->askRestoreRecovery(this, question)) {
        recovery_.discard();
        return false;
    }
    showProject(r.project, r.originalPath, true);
    statusBar()->showMessage(QStringLiteral("Restored unsaved changes; save to keep them"), 10000);
    return true;
}

void MainWindow::autosaveNow() {
    if (!document_->isModified())
        return;
    if (Status s = recovery_.save(document_->project(), document_->filePath()); !s.ok())
        statusBar()->showMessage(
            QStringLiteral("Autosave failed: %1").arg(QString::fromStdString(s.error().format())),
            10000);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    exploration_->stop();
    export_->cancel();
    recovery_.discard(); // a normal close: nothing to recover next time
    event->accept();
}

void MainWindow::showView(View view) {
    switch (view) {
    case View::Editor:
        pages_->setCurrentIndex(0);
        qosDock_->raise();
        break;
    case View::Qos:
        qosDock_->raise();
        break;
    case View::Quantization:
        quantizationDock_->raise();
        break;
    case View::Explore:
        pages_->setCurrentIndex(1);
        break;
    case View::Compare:
        pages_->setCurrentIndex(0);
        showFamilyComparison();
        break;
    }
}

QPixmap MainWindow::renderView(View view) {
    if (view != View::Compare || !familyCompare_) // an open comparison is not started again
        showView(view);
    switch (view) {
    case View::Qos:
        return qosDock_->grab();
    case View::Quantization:
        return quantizationDock_->grab();
    case View::Compare:
        return familyCompare_->grab();
    default:
        return grab();
    }
}

} // namespace codesign
