#pragma once

#include "core/model/project.h"
#include "estimate_service.h"
#include "recovery_store.h"
#include "studio_prompts.h"

#include <QElapsedTimer>
#include <QMainWindow>
#include <memory>

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
    enum class View { Editor, Qos, Quantization, Explore };

    MainWindow();
    explicit MainWindow(Options options, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Document life cycle. Each asks about unsaved changes first (false: the user declined).
    bool newProject();
    bool openFile(const QString& path);
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
    // File > Export: disabled, with the reason as its tooltip, for a family without a backend.
    QAction* exportAction() const { return exportAction_; }
    // Milliseconds from the last edit to the QoS panel showing its numbers; -1 before one.
    double lastEditToQosMs() const { return lastEditToQosMs_; }
    // True once the QoS panel shows the current version of the project.
    bool qosUpToDate() const;

Q_SIGNALS:
    void qosUpdated();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildDocks();
    bool maybeSave();
    void openDialog();
    bool saveAsDialog();
    void exportDialog();
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
    LayerPalette* palette_;
    BundleEditor* bundleEditor_;
    NetworkView* networkView_;
    LayerPropertyPanel* properties_;
    ProjectSettingsPanel* settings_;
    QosPanel* qos_;
    QuantizationView* quantization_;
    ExplorationView* exploration_;
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
    QTimer* autosave_;
    QElapsedTimer sinceEdit_;
    quint64 shownGeneration_ = 0;
    double lastEditToQosMs_ = -1;
};

} // namespace codesign
