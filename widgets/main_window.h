#pragma once

#include "core/model/project.h"
#include "estimate_service.h"
#include "recovery_store.h"
#include "studio_prompts.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <memory>
#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;
class QTabWidget;
class QTimer;

namespace codesign {

class BundleEditor;
class ExplorationView;
class ExportRunner;
class ImportRunner;
class LowRankReport;
class LowRankRunner;
class FamilyCompareDialog;
class LayerPalette;
class LayerPropertyPanel;
class NetworkView;
class ProjectDocument;
class ProjectSettingsPanel;
class QosPanel;
class QuantizationView;

// The studio: the project's editor (bundles and network) in the middle, the layer palette
// and the property panel on the left, the live QoS and the quantization view on the right,
// and the exploration as a second page. Owns the document, its file and its recovery.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        QString recoveryDirectory;              // empty: the application's data folder
        std::shared_ptr<StudioPrompts> prompts; // null: message boxes and file dialogs
        int autosaveIntervalMs = 60'000;        // 0: no autosave
    };
    // Compare: the editor with the Compare accelerator families window open (that window
    // is what renderView draws).
    enum class View { Editor, Qos, Quantization, Explore, Compare };

    MainWindow();
    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Document life cycle. Each asks about unsaved changes first (false: the user declined).
    bool newProject();
    // A project file; a model file a reader takes (.onnx) goes to importModel.
    bool openFile(const QString& path);
    // File > Import: asks about unsaved changes, the device and input size (ImportDialog),
    // and where to write the project (default beside the model, NAME.yaml), then imports off the
    // GUI thread with a progress dialog. True when the import started; importFinished tells how it
    // ended.
    bool importModel(const QString& modelPath);
    // The same without the questions: imports `modelPath` into `projectPath` for the
    // device and input of `choice` (an empty device: pynq-z1, as `codesign import`).
    bool startImport(const QString& modelPath, const QString& projectPath,
                     const ImportDialog::Choice& choice = {});
    bool importRunning() const;
    bool save();
    bool saveAs(const QString& path);
    // A project that was not read from a file (the embedded default, a recovery).
    void showProject(const Project& project, const QString& path = {}, bool modified = false);
    // A file that would not load: the message (naming the line) shows above the editor.
    void showLoadError(const QString& message);
    QString loadError() const;
    // The message above the editor while the design does not build; empty when it builds.
    QString designError() const;

    // At start: if the last session left unsaved work, offers it back. True when restored.
    bool offerRecovery();
    void autosaveNow();
    RecoveryStore& recoveryStore() { return recovery_; }

    void showView(View view);
    // The window (or the panel) as the user sees it, for --screenshot.
    QPixmap renderView(View view);

    ProjectDocument* document() const { return document_; }
    LayerPalette* palette() const { return palette_; }
    BundleEditor* bundleEditor() const { return bundleEditor_; }
    NetworkView* networkView() const { return networkView_; }
    LayerPropertyPanel* propertyPanel() const { return properties_; }
    QosPanel* qosPanel() const { return qos_; }
    QuantizationView* quantizationView() const { return quantization_; }
    ExplorationView* explorationView() const { return exploration_; }
    // View > Compare accelerator families: opens the table and compares the project's
    // families; it follows the project while open. Null before the first use.
    void showFamilyComparison();
    FamilyCompareDialog* familyComparison() const { return familyCompare_; }
    // File > Export: disabled, with the reason as its tooltip, for a family without a backend.
    QAction* exportAction() const { return exportAction_; }
    QAction* importAction() const { return importAction_; }
    // Edit > Low-rank (and the network list's context menu): disabled, with the reason as its
    // tooltip, when the project has no weights.
    QAction* lowRankAction() const { return lowRankAction_; }
    // Decomposes, off the GUI thread, the convs of the network entries `rows` (or the
    // layers of the ranks file) as `settings` says, then applies it as one undoable edit
    // and shows the report; an error goes to showError. True when it started;
    // lowRankFinished tells how it ended.
    bool applyLowRank(const std::vector<int>& rows, const LowRankSettings& settings);
    LowRankReport* lowRankReport() const { return lowRankReport_; }
    // Milliseconds from the last edit to the QoS panel showing its numbers; -1 before one.
    double lastEditToQosMs() const { return lastEditToQosMs_; }
    // True once the QoS panel shows the current version of the project.
    bool qosUpToDate() const;

Q_SIGNALS:
    void qosUpdated();
    // An import ended: ok when the imported project is open; else the message shows above
    // the editor (loadError()) and the project before is still open.
    void importFinished(bool ok);
    // ok: the project is the decomposed one (one undo step).
    void lowRankFinished(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    bool maybeSave();
    void openDialog();
    bool saveAsDialog();
    void exportDialog();
    void importDialog();
    void lowRankDialog();
    void updateLowRankAction();
    void showLowRankEdit(const LowRankEdit& edit, const LowRankSettings& settings);
    void showAbout();
    void updateTitle();
    void updateExportAction();
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void onProjectChanged();
    void onEstimate(const std::shared_ptr<const EstimateOutcome>& outcome);
    void onPaletteActivated(Op op);

    Options options_;
    std::shared_ptr<StudioPrompts> prompts_;
    RecoveryStore recovery_;
    ProjectDocument* document_;
    EstimateService* estimates_;
    ExportRunner* export_;
    ImportRunner* import_;
    LowRankRunner* lowRank_;
    LayerPalette* palette_;
    BundleEditor* bundleEditor_;
    NetworkView* networkView_;
    LayerPropertyPanel* properties_;
    ProjectSettingsPanel* settings_;
    QosPanel* qos_;
    QuantizationView* quantization_;
    ExplorationView* exploration_;
    FamilyCompareDialog* familyCompare_ = nullptr;
    QTabWidget* pages_;
    QLabel* loadError_;
    QLabel* designError_;
    QDockWidget* paletteDock_ = nullptr;
    QDockWidget* propertiesDock_ = nullptr;
    QDockWidget* settingsDock_ = nullptr;
    QDockWidget* qosDock_ = nullptr;
    QDockWidget* quantizationDock_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QAction* exportAction_ = nullptr;
    QAction* importAction_ = nullptr;
    QAction* lowRankAction_ = nullptr;
    LowRankReport* lowRankReport_ = nullptr;
    LowRankSettings lowRankSettings_; // the dialog's last answer
    QTimer* autosave_;
    QElapsedTimer sinceEdit_;
    quint64 shownGeneration_ = 0;
    double lastEditToQosMs_ = -1;
};

} // namespace codesign
