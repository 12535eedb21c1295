// The studio and the accelerator families (issue 14): View > Compare accelerator families
// shows `codesign compare` as a table computed off the GUI thread and follows the project;
// FuSe half / full on a bundle is one undoable edit.
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"
#include "core/model/systolic_spec.h"
#include "gui_test_support.h"
#include "test_support.h"
#include "widgets/bundle_editor.h"
#include "widgets/family_compare_dialog.h"
#include "widgets/main_window.h"
#include "widgets/project_document.h"
#include "widgets/project_settings_panel.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QUndoStack>
#include <QtTest>

using namespace codesign;
using namespace codesign::testing;

namespace {

QString example(const char* name) {
    return QString::fromStdString(sourcePath(std::string("examples/") + name));
}

// A label under the editor shows `text` (its transient message).
bool editorSays(const QWidget* editor, const QString& text) {
    const QList<QLabel*> labels = editor->findChildren<QLabel*>();
    return std::any_of(labels.begin(), labels.end(),
                       [&](const QLabel* l) { return l->text().contains(text); });
}

int bundleIndex(const Project& p, const std::string& name) {
    for (std::size_t i = 0; i < p.bundles.size(); ++i)
        if (p.bundles[i].name == name)
            return static_cast<int>(i);
    return -1;
}

} // namespace

class TestGuiFamilies : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The Project dock's family box offers the three families in the registry's order;
    // choosing systolic is one undo step that starts from its defaults, sized
    // automatically, and disables File > Export with the reason; undo brings tiled back.
    void familyBoxSwitchesToSystolic() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(w.openFile(example("dac19-dnn-a.yaml")));
        auto* settings = w.findChild<ProjectSettingsPanel*>();
        QVERIFY(settings);
        QComboBox* box = settings->familyBox();
        QCOMPARE(box->count(), 3);
        QCOMPARE(box->itemData(0).toString(), QStringLiteral("tiled"));
        QCOMPARE(box->itemData(1).toString(), QStringLiteral("streaming"));
        QCOMPARE(box->itemData(2).toString(), QStringLiteral("systolic"));
        QVERIFY(w.exportAction()->isEnabled());
        box->setCurrentIndex(box->findData(QStringLiteral("systolic")));
        const AcceleratorSpec& a = w.document()->project().accelerator;
        QCOMPARE(std::string(a.arch()), std::string("systolic"));
        QVERIFY(a.autoSize);
        QVERIFY(std::get<SystolicSpec>(a.family) == SystolicSpec{});
        QCOMPARE(w.document()->undoStack()->count(), 1);
        QVERIFY(!w.exportAction()->isEnabled());
        QVERIFY2(w.exportAction()->toolTip().contains(
                     QStringLiteral("a systolic design has no export backend")),
                 qPrintable(w.exportAction()->toolTip()));
        QVERIFY(waitForQos(w, 60000));
        w.document()->undoStack()->undo();
        QCOMPARE(std::string(w.document()->project().accelerator.arch()), std::string("tiled"));
        QCOMPARE(box->currentData().toString(), QStringLiteral("tiled"));
        QVERIFY(w.exportAction()->isEnabled());
    }

    // The table holds a row per registered family with compareFamilies' figures, and it
    // follows an edit of the project while it is open.
    void compareShowsEveryFamilyAndFollowsTheProject() {
        TestWindow t;
        QVERIFY(t.window->openFile(example("mobilenet-v1-systolic.yaml")));
        QAction* action = t.window->findChild<QAction*>(QStringLiteral("compareFamiliesAction"));
        QVERIFY(action);
        action->trigger();
        FamilyCompareDialog* dialog = t.window->familyComparison();
        QVERIFY(dialog && dialog->isVisible());
        QSignalSpy compared(dialog, &FamilyCompareDialog::compared);
        QVERIFY(compared.wait(20000));

        const Project& project = t.window->document()->project();
        Result<std::vector<FamilyEstimate>> expected =
            compareFamilies(project, {}, DeviceLibrary::standard());
        QVERIFY(expected.ok());
        const QTableWidget* table = dialog->table();
        const QAbstractItemView* view = table; // sizeHintForRow is public here
        QCOMPARE(table->rowCount(), int(expected->size()));
        for (int row = 0; row < table->rowCount(); ++row) {
            const FamilyEstimate& f = (*expected)[std::size_t(row)];
            QCOMPARE(table->item(row, 0)->text(), QString::fromStdString(f.arch));
            QVERIFY(f.estimate.ok());
            QCOMPARE(table->item(row, 1)->text(),
                     QString::number(f.estimate->estimate.fps, 'f', 1));
            QCOMPARE(table->item(row, 8)->text(),
                     QString::fromStdString(f.estimate->estimate.bottleneck));
            // The design summary is read whole: the row fits its wrapped text (the tiled
            // summary of MobileNet-V1 ran to three lines in a row of one, cut with "...").
            QVERIFY2(table->rowHeight(row) >= view->sizeHintForRow(row),
                     qPrintable(table->item(row, 9)->text()));
            QCOMPARE(table->item(row, 9)->toolTip(), table->item(row, 9)->text());
        }
        QVERIFY(dialog->headline().contains(QStringLiteral("on zcu102")));
        const int systolic =
            int(std::find_if(expected->begin(), expected->end(),
                             [](const FamilyEstimate& f) { return f.arch == "systolic"; }) -
                expected->begin());
        const QString before = table->item(systolic, 1)->text();

        // An edit while the table is open: it is compared again.
        Project after = project;
        after.input.resize = 0.5;
        t.window->document()->edit(QStringLiteral("Resize"), std::move(after));
        QVERIFY(compared.wait(20000));
        QVERIFY(table->item(systolic, 1)->text() != before);
    }

    // FuSe half on the selected bundle: its instances use the rewritten definition, the
    // editor shows it, and one undo brings the project back.
    void fuseOnABundleIsOneUndoableEdit() {
        TestWindow t;
        QVERIFY(t.window->openFile(example("mobilenet-v1-systolic.yaml")));
        const Project original = t.window->document()->project();
        QUndoStack* undo = t.window->document()->undoStack();
        const int steps = undo->count();
        BundleEditor* editor = t.window->bundleEditor();
        editor->selectBundle(bundleIndex(original, "dw_pw_s2"));
        QCOMPARE(editor->currentBundle(), bundleIndex(original, "dw_pw_s2"));
        QAction* half = editor->findChild<QAction*>(QStringLiteral("fuseHalfAction"));
        QVERIFY(half);
        half->trigger();

        const Project& fused = t.window->document()->project();
        QCOMPARE(undo->count(), steps + 1);
        QVERIFY(!fused.findBundle("dw_pw_s2"));
        const BundleDef* def = fused.findBundle("dw_pw_s2_fuse_half");
        QVERIFY(def);
        QVERIFY(def->layers[0].op == Op::Fuse && def->layers[0].variant == FuseVariant::Half);
        QVERIFY(fused.findBundle("dw_pw")); // the other bundle as it was
        QCOMPARE(editor->currentBundle(), bundleIndex(fused, "dw_pw_s2_fuse_half"));
        Result<Graph> g = buildGraph(fused);
        QVERIFY(g.ok());
        QCOMPARE(g->nodes[std::size_t(g->findNode("B2.fuse"))].op, Op::Fuse);
        // The plain array (fuse_rows: false) runs fuse no faster than depthwise: it says so.
        QVERIFY(editorSays(editor, QStringLiteral("fuse_rows: false")));

        undo->undo();
        QVERIFY(t.window->document()->project() == original);
        undo->redo();
        QVERIFY(t.window->document()->project().findBundle("dw_pw_s2_fuse_half"));
    }

    // With fuse_rows: true the rows run the new layers: no note.
    void fuseOnTheRowsArraySaysNothingMore() {
        TestWindow t;
        QVERIFY(t.window->openFile(example("mobilenet-v1-systolic.yaml")));
        Project rows = t.window->document()->project();
        std::get<SystolicSpec>(rows.accelerator.family).fuseRows = true;
        t.window->document()->edit(QStringLiteral("FuSe rows"), std::move(rows));
        BundleEditor* editor = t.window->bundleEditor();
        editor->selectBundle(bundleIndex(t.window->document()->project(), "dw_pw"));
        editor->findChild<QAction*>(QStringLiteral("fuseHalfAction"))->trigger();
        QVERIFY(t.window->document()->project().findBundle("dw_pw_fuse_half"));
        QVERIFY(!editorSays(editor, QStringLiteral("fuse_rows")));
    }

    // A bundle without a depthwise layer: a message, and no edit.
    void fuseWithoutADepthwiseLayerChangesNothing() {
        TestWindow t;
        QVERIFY(t.window->openFile(example("mobilenet-v1-fuse.yaml")));
        const Project original = t.window->document()->project();
        const int steps = t.window->document()->undoStack()->count();
        BundleEditor* editor = t.window->bundleEditor();
        editor->selectBundle(0); // already FuSe: no dwconv left
        editor->findChild<QAction*>(QStringLiteral("fuseFullAction"))->trigger();
        QCOMPARE(t.window->document()->undoStack()->count(), steps);
        QVERIFY(t.window->document()->project() == original);
    }
};

QTEST_MAIN(TestGuiFamilies)
#include "test_gui_families.moc"
