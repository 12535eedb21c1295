// The live QoS panel and the quantization view: numbers follow an edit within a moment,
// a bad edit names its layer and keeps the last good numbers (stale), and a click in the
// quantization view is one undo step.
#include "core/estimate/design_estimate.h"
#include "core/estimate/streaming/streaming_detail.h"
#include "core/hw/device_library.h"
#include "core/model/project_edits.h"
#include "core/model/project_yaml.h"
#include "gui_test_support.h"
#include "widgets/layer_latency_chart.h"
#include "widgets/layer_property_panel.h"
#include "widgets/network_model.h"
#include "widgets/network_view.h"
#include "widgets/partition_view.h"
#include "widgets/project_document.h"
#include "widgets/project_files.h"
#include "widgets/project_settings_panel.h"
#include "widgets/qos_panel.h"
#include "widgets/quantization_view.h"
#include "widgets/resource_bars.h"

#include <QComboBox>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>
#include <QtTest>

using namespace codesign;
using namespace codesign::testing;

namespace {

// Three bundle instances and an add of 64 and 96 channels: it does not build.
Project mismatchedAdd() {
    auto project = parseProject(R"(name: bad-add
device: pynq-z1
input: {channels: 3, height: 160, width: 320}
precision: {weights: 8, activations: 8}
bundles:
  dw_pw_pool: [{op: dwconv, kernel: 3}, {op: relu}, {op: pwconv}, {op: relu},
               {op: maxpool, kernel: 2}]
  dw_pw: [{op: dwconv, kernel: 3}, {op: relu}, {op: pwconv}]
network:
  - {bundle: dw_pw_pool, channels: 48}
  - {bundle: dw_pw, channels: 96, id: s1}
  - {bundle: dw_pw, channels: 64}
  - {op: add, inputs: [s1]}
  - {op: pwconv, channels: 10}
  - {op: bbox_head, anchors: 2}
)",
                                "bad-add.yaml");
    if (!project.ok())
        qFatal("%s", project.error().format().c_str());
    return *project;
}

} // namespace

class TestGuiQos : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsTheDefaultProject() {
        TestWindow t;
        QVERIFY(waitForQos(*t.window));
        const QosPanel* qos = t.window->qosPanel();
        QVERIFY(qos->hasNumbers());
        QVERIFY(!qos->isStale());
        QVERIFY(qos->fpsText().endsWith(QStringLiteral("FPS")));
        // Both figures (issue 16): the accelerator's above, the system's with the host's
        // time per frame in the table.
        QVERIFY2(qos->detailsText().contains(QStringLiteral("<td>system</td>")) &&
                     qos->detailsText().contains(QStringLiteral("host / frame")),
                 qPrintable(qos->detailsText()));
        QVERIFY(qos->latencyChart()->barCount() > 5); // dwconv, pwconv, maxpool per bundle
        for (int i = 0; i < 4; ++i)
            QVERIFY(qos->resourceBars()->percent(i) > 0);
    }

    void updatesAfterAnEdit() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(waitForQos(w));
        const QString before = w.qosPanel()->fpsText();
        // Double the widest instance: more MACs, fewer frames per second.
        NetworkModel* model = w.networkView()->networkModel();
        QVERIFY(model->setData(model->index(3, NetworkModel::Channels), 768, Qt::EditRole));
        QVERIFY(!w.qosUpToDate());
        QVERIFY(waitForQos(w));
        QVERIFY(w.qosPanel()->fpsText() != before);
        QVERIFY(w.lastEditToQosMs() >= 0);
        qInfo("edit to updated QoS: %.1f ms", w.lastEditToQosMs());
        // Undo brings the old numbers back.
        w.document()->undoStack()->undo();
        QVERIFY(waitForQos(w));
        QCOMPARE(w.qosPanel()->fpsText(), before);
    }

    void badEditNamesTheLayerAndKeepsStaleNumbers() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(waitForQos(w));
        const QString good = w.qosPanel()->fpsText();
        // A reorg by 7 does not divide the 160x360 input of B1.
        Project after = w.document()->project();
        LayerSpec reorg = edits::newLayer(Op::Reorg, false);
        reorg.factor = 7;
        QVERIFY(edits::insertBundleLayer(after, 0, 0, reorg));
        w.document()->edit(QStringLiteral("bad reorg"), after);
        QVERIFY(waitForQos(w));
        const QosPanel* qos = w.qosPanel();
        QVERIFY(qos->isStale());
        QVERIFY2(qos->errorText().contains(QStringLiteral("B1.reorg")),
                 qPrintable(qos->errorText()));
        QCOMPARE(qos->fpsText(), good); // the last good numbers stay visible
        w.document()->undoStack()->undo();
        QVERIFY(waitForQos(w));
        QVERIFY(!qos->isStale());
        QVERIFY(qos->errorText().isEmpty());
    }

    // A project that never built: no numbers to keep, so no charts with made-up axes, an
    // honest banner, and the output shapes of the entries before the error.
    void projectThatDoesNotBuildShowsAnEmptyState() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(waitForQos(w));
        w.showProject(mismatchedAdd(), QStringLiteral("/tmp/bad-add.yaml"));
        QVERIFY(waitForQos(w));
        const QosPanel* qos = w.qosPanel();
        // The default project's numbers were not this project's: none are kept.
        QVERIFY(!qos->hasNumbers());
        QVERIFY2(qos->errorText().contains(QStringLiteral("L4.add")), qPrintable(qos->errorText()));
        QVERIFY(!qos->resourceBars()->isVisibleTo(qos));
        QVERIFY(!qos->latencyChart()->isVisibleTo(qos));
        QVERIFY(qos->emptyText().contains(QStringLiteral("does not build")));
        QVERIFY(!w.quantizationView()->hasCurves());
        QVERIFY(w.quantizationView()->emptyText().contains(QStringLiteral("does not build")));
        QVERIFY(w.designError().contains(QStringLiteral("L4.add")));
        QVERIFY2(!w.designError().contains(QStringLiteral("last valid")),
                 qPrintable(w.designError()));
        // The three instances before the add resolved: their shapes stay in the table.
        const NetworkModel* model = w.networkView()->networkModel();
        const auto output = [&](int row) {
            return model->data(model->index(row, NetworkModel::Output), Qt::DisplayRole).toString();
        };
        QCOMPARE(output(0), QStringLiteral("48x80x160"));
        QCOMPARE(output(1), QStringLiteral("96x80x160"));
        QCOMPARE(output(2), QStringLiteral("64x80x160"));
        QCOMPARE(output(3), QStringLiteral("\u2014")); // the add, and what follows it
        QCOMPARE(output(5), QStringLiteral("\u2014"));
        // Fixed: numbers and charts come back, the banner goes.
        Project fixed = w.document()->project();
        fixed.network[2].channels = 96;
        w.document()->edit(QStringLiteral("fix"), fixed);
        QVERIFY(waitForQos(w));
        QVERIFY(qos->hasNumbers());
        QVERIFY(qos->resourceBars()->isVisibleTo(qos));
        QVERIFY(qos->latencyChart()->isVisibleTo(qos));
        QVERIFY(w.quantizationView()->hasCurves());
        QVERIFY(w.designError().isEmpty());
        QCOMPARE(output(3), QStringLiteral("96x80x160"));
        // Broken again after it built: now the last numbers are there, stale, and the banner
        // says so.
        w.document()->undoStack()->undo();
        QVERIFY(waitForQos(w));
        QVERIFY(qos->isStale());
        QVERIFY(qos->resourceBars()->isVisibleTo(qos));
        QVERIFY(w.designError().contains(QStringLiteral("last valid numbers")));
    }

    // Two 12-bit activation overrides widen the shared activation storage of every layer:
    // the QoS panel and the quantization view show the formats in use (they said W16/A8 and
    // "at 8-bit activations") and which layers forced them.
    void effectiveFormatsAreShown() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(waitForQos(w));
        Project p = w.document()->project();
        p.precision.layers["B1.pwconv"].activations = FixedType{12, 6};
        p.precision.layers["L5.pwconv"].activations = FixedType{12, 6};
        w.document()->edit(QStringLiteral("wide activations"), p);
        QVERIFY(waitForQos(w));
        const auto labelWith = [](const QWidget* in, const QString& part) {
            for (const QLabel* l : in->findChildren<QLabel*>())
                if (l->text().contains(part))
                    return l->text();
            return QString();
        };
        const QString config = labelWith(w.qosPanel(), QStringLiteral("accelerator:"));
        QVERIFY2(config.contains(QStringLiteral("W16/A12")), qPrintable(config));
        const QString note = labelWith(w.qosPanel(), QStringLiteral("B1.pwconv"));
        QVERIFY2(note.contains(QStringLiteral("stored as fixed<12,6> in every layer")),
                 qPrintable(note));
        QVERIFY(note.contains(QStringLiteral("L5.pwconv")));
        const QString caption = labelWith(w.quantizationView(), QStringLiteral("held fixed"));
        QVERIFY2(caption.contains(QStringLiteral("12-bit activations")), qPrintable(caption));
        QVERIFY(!caption.contains(QStringLiteral("8-bit activations")));
        // Without the overrides: the project's own W16/A8, no note.
        w.document()->undoStack()->undo();
        QVERIFY(waitForQos(w));
        const QString plain = labelWith(w.qosPanel(), QStringLiteral("accelerator:"));
        QVERIFY2(plain.contains(QStringLiteral("W16/A8")), qPrintable(plain));
        QVERIFY(labelWith(w.qosPanel(), QStringLiteral("B1.pwconv")).isEmpty());
        QVERIFY(labelWith(w.quantizationView(), QStringLiteral("held fixed"))
                    .contains(QStringLiteral("at 8-bit activations")));
    }

    void overCapacityIsRed() {
        TestWindow t;
        MainWindow& w = *t.window;
        Project p = w.document()->project();
        // A fixed accelerator far larger than a Pynq-Z1.
        p.accelerator.autoSize = false;
        std::get<TiledSpec>(p.accelerator.family).pwIn = 32;
        std::get<TiledSpec>(p.accelerator.family).pwOut = 64;
        std::get<TiledSpec>(p.accelerator.family).dwParallel = 64;
        std::get<TiledSpec>(p.accelerator.family).tileRows = 40;
        std::get<TiledSpec>(p.accelerator.family).tileCols = 90;
        w.document()->edit(QStringLiteral("huge"), p);
        QVERIFY(waitForQos(w));
        const ResourceBars* bars = w.qosPanel()->resourceBars();
        QVERIFY(bars->overCapacity(0)); // DSP
        QVERIFY(bars->percent(0) > 100);
    }

    void deviceChangeReestimates() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(waitForQos(w));
        auto* settings = w.findChild<ProjectSettingsPanel*>();
        QVERIFY(settings);
        auto* device = settings->findChild<QComboBox*>();
        QVERIFY(device);
        const int ultra96 = device->findData(QStringLiteral("ultra96-v2"));
        QVERIFY(ultra96 >= 0);
        device->setCurrentIndex(ultra96);
        QCOMPARE(w.document()->project().device.name, std::string("ultra96-v2"));
        QCOMPARE(w.document()->undoStack()->count(), 1);
        QVERIFY(waitForQos(w));
        // The bars are now against the XCZU3EG's 360 DSP slices.
        const double pynqPercent = w.qosPanel()->resourceBars()->percent(0);
        w.document()->undoStack()->undo();
        QVERIFY(waitForQos(w));
        QVERIFY(w.qosPanel()->resourceBars()->percent(0) != pynqPercent);
        QCOMPARE(device->currentData().toString(), QStringLiteral("pynq-z1"));
    }

    // A streaming project: the QoS panel shows its partitions, each with its layers (the
    // estimate's rows) and the slowest marked; choosing the tiled family in the project
    // settings is one undo step and hides the partitions.
    void streamingDesignShowsItsPartitions() {
        TestWindow t;
        MainWindow& w = *t.window;
        const QString file = QStringLiteral(CODESIGN_SOURCE_DIR "/examples/streaming-lenet.yaml");
        QVERIFY(w.openFile(file));
        QVERIFY(waitForQos(w, 60000));
        const QosPanel* qos = w.qosPanel();
        QVERIFY2(qos->hasNumbers(), qPrintable(qos->errorText()));
        Result<Project> project = readProjectFile(file);
        QVERIFY(project.ok());
        Result<DesignEstimate> e = estimateDesign(*project, DeviceLibrary::standard());
        QVERIFY(e.ok());
        const auto& d = std::get<StreamingDetail>(e->estimate.detail);
        const PartitionView* view = qos->partitionView();
        QVERIFY(!view->isHidden());
        QCOMPARE(view->partitionCount(), int(d.estimate.partitions.size()));
        int rows = 0;
        for (int p = 0; p < view->partitionCount(); ++p) {
            const QTreeWidgetItem* item = view->topLevelItem(p);
            rows += item->childCount();
            const int slowest = d.estimate.partitions[std::size_t(p)].slowestLayer;
            for (std::size_t r = 0; r < d.estimate.layers.size(); ++r)
                if (d.estimate.layers[r].partition == p && d.estimate.layers[r].slowest)
                    QCOMPARE(view->slowestLayer(p), QString::fromStdString(d.rowNames[r]));
            QVERIFY(slowest < 0 || !view->slowestLayer(p).isEmpty());
            QCOMPARE(
                item->text(PartitionView::Interval),
                QLocale().toString(d.estimate.partitions[std::size_t(p)].intervalCycles, 'f', 0));
        }
        QCOMPARE(rows, int(d.estimate.layers.size()));
        QVERIFY(rows >= 11); // every LeNet layer

        auto* settings = w.findChild<ProjectSettingsPanel*>();
        QVERIFY(settings);
        QCOMPARE(settings->familyBox()->currentData().toString(), QStringLiteral("streaming"));
        settings->familyBox()->setCurrentIndex(
            settings->familyBox()->findData(QStringLiteral("tiled")));
        QCOMPARE(std::string(w.document()->project().accelerator.arch()), std::string("tiled"));
        QVERIFY(w.document()->project().accelerator.autoSize);
        QCOMPARE(w.document()->undoStack()->count(), 1);
        QVERIFY(waitForQos(w, 60000));
        QVERIFY(qos->hasNumbers());
        QVERIFY(view->isHidden());
        QCOMPARE(view->partitionCount(), 0);
        w.document()->undoStack()->undo();
        QVERIFY(waitForQos(w, 60000));
        QCOMPARE(settings->familyBox()->currentData().toString(), QStringLiteral("streaming"));
        QCOMPARE(view->partitionCount(), int(d.estimate.partitions.size()));
    }

    // The property panel edits a streaming layer's folding: one undo step, the partition
    // view shows the new folding; a factor that does not divide names the layer.
    void propertyPanelEditsTheFolding() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(w.openFile(QStringLiteral(CODESIGN_SOURCE_DIR "/examples/streaming-lenet.yaml")));
        QVERIFY(waitForQos(w, 60000));
        LayerPropertyPanel* panel = w.propertyPanel();
        panel->setTarget({EditTarget::Kind::NetworkEntry, -1, 3}); // conv2
        auto* coarseOut = panel->findChild<QSpinBox*>(QStringLiteral("coarseOut"));
        auto* coarse = panel->findChild<QSpinBox*>(QStringLiteral("coarse"));
        QVERIFY(coarseOut && coarse);
        QVERIFY(!coarseOut->isHidden());
        QVERIFY(coarse->isHidden()); // conv: coarse_in / coarse_out / fine
        QCOMPARE(coarseOut->value(), 8);
        coarseOut->setValue(4);
        const auto& spec = [&]() -> const StreamingSpec& {
            return std::get<StreamingSpec>(w.document()->project().accelerator.family);
        };
        QCOMPARE(spec().findFolding("conv2")->coarseOut, 4);
        QCOMPARE(w.document()->undoStack()->count(), 1);
        QVERIFY(waitForQos(w, 60000));
        const PartitionView* view = w.qosPanel()->partitionView();
        bool found = false;
        for (int i = 0; i < view->topLevelItem(0)->childCount(); ++i)
            if (const QTreeWidgetItem* row = view->topLevelItem(0)->child(i);
                row->text(PartitionView::Name) == QStringLiteral("conv2")) {
                QCOMPARE(row->text(PartitionView::Folding), QStringLiteral("2 / 4 / 5"));
                found = true;
            }
        QVERIFY(found);
        coarseOut->setValue(5); // 16 filters: 5 does not divide
        QVERIFY(waitForQos(w, 60000));
        QVERIFY2(w.qosPanel()->errorText().contains(QStringLiteral("conv2")),
                 qPrintable(w.qosPanel()->errorText()));
        QCOMPARE(coarseOut->value(), 5);                 // the project's value, to correct
        QCOMPARE(w.document()->undoStack()->count(), 1); // the same spin box: one step
        w.document()->undoStack()->undo();
        QVERIFY(waitForQos(w, 60000));
        QCOMPARE(spec().findFolding("conv2")->coarseOut, 8);
        QVERIFY(w.qosPanel()->errorText().isEmpty());
        // A relu has one `coarse`.
        panel->setTarget({EditTarget::Kind::NetworkEntry, -1, 1});
        QVERIFY(!coarse->isHidden());
        QVERIFY(coarseOut->isHidden());
        QCOMPARE(coarse->value(), 6);
    }

    void quantizationClickIsOneUndoStep() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(waitForQos(w));
        QCOMPARE(w.document()->project().precision.weights.width, 16);
        const int steps = w.document()->undoStack()->count();
        w.quantizationView()->chooseWeightBits(14);
        QCOMPARE(w.document()->project().precision.weights.width, 14);
        w.quantizationView()->chooseResize(0.85);
        QCOMPARE(w.document()->project().input.resize, 0.85);
        QCOMPARE(w.document()->undoStack()->count(), steps + 2);
        QVERIFY(waitForQos(w));
        w.document()->undoStack()->undo();
        w.document()->undoStack()->undo();
        QCOMPARE(w.document()->project().precision.weights.width, 16);
        QCOMPARE(w.document()->project().input.resize, 1.0);
    }
};

QTEST_MAIN(TestGuiQos)
#include "test_gui_qos.moc"
