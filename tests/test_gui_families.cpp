// The studio and the accelerator families (issue 14): View > Compare accelerator families
// shows `codesign compare` as a table computed off the GUI thread and follows the project.
#include "core/hw/device_library.h"
#include "core/model/project_yaml.h"
#include "gui_test_support.h"
#include "test_support.h"
#include "widgets/family_compare_dialog.h"
#include "widgets/project_document.h"

#include <QAction>
#include <QSignalSpy>
#include <QTableWidget>
#include <QtTest>

using namespace codesign;
using namespace codesign::testing;

namespace {

QString example(const char* name) {
    return QString::fromStdString(sourcePath(std::string("examples/") + name));
}

} // namespace

class TestGuiFamilies : public QObject {
    Q_OBJECT

private Q_SLOTS:
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
        QCOMPARE(table->rowCount(), int(expected->size()));
        for (int row = 0; row < table->rowCount(); ++row) {
            const FamilyEstimate& f = (*expected)[std::size_t(row)];
            QCOMPARE(table->item(row, 0)->text(), QString::fromStdString(f.arch));
            QVERIFY(f.estimate.ok());
            QCOMPARE(table->item(row, 1)->text(),
                     QString::number(f.estimate->estimate.fps, 'f', 1));
            QCOMPARE(table->item(row, 8)->text(),
                     QString::fromStdString(f.estimate->estimate.bottleneck));
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

};

QTEST_MAIN(TestGuiFamilies)
#include "test_gui_families.moc"
