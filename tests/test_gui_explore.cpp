// The exploration view: a search started from the view fills the plots while it runs,
// stops on Stop, and a picked design applies as one undo step.
#include "gui_test_support.h"
#include "widgets/exploration_view.h"
#include "widgets/front_2d.h"
#include "widgets/pareto_plot.h"
#include "widgets/project_document.h"
#include "widgets/qos_panel.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

using namespace codesign;
using namespace codesign::testing;

class TestGuiExplore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void front2dKeepsTheNonDominated() {
        Front2d up(Front2d::XSense::Maximise);
        QVERIFY(up.insert(10, 0.5, 1));
        QVERIFY(up.insert(20, 0.4, 2));
        QVERIFY(!up.insert(15, 0.3, 3)); // dominated by 2
        QVERIFY(up.insert(25, 0.6, 4));  // dominates both
        QCOMPARE(up.size(), std::size_t(1));
        QVERIFY(up.insert(5, 0.7, 5));
        const auto m = up.members();
        QCOMPARE(m.front().id, 5);
        QCOMPARE(m.back().id, 4);
        Front2d down(Front2d::XSense::Minimise);
        QVERIFY(down.insert(2.0, 0.5, 1));
        QVERIFY(down.insert(1.5, 0.4, 2));
        QVERIFY(!down.insert(2.5, 0.45, 3)); // more power, less QoR than 1
        QVERIFY(!down.insert(2.0, 0.5, 4));  // equal: the first stays
        QCOMPARE(down.members().front().x, 1.5);
    }

    void searchFillsThePlotsAndStops() {
        TestWindow t;
        ExplorationView* view = t.window->explorationView();
        view->setEvaluator(QStringLiteral("benchmark"));
        view->setBudget(10'000'000); // far more than it will get to
        QVERIFY(view->start());
        QVERIFY(view->isRunning());
        QVERIFY(QTest::qWaitFor([&] { return view->fpsPlot()->pointCount() >= 200; }, 30000));
        QVERIFY(view->powerPlot()->pointCount() >= 200);
        QVERIFY(!view->fpsPlot()->front().empty());
        QElapsedTimer clock;
        clock.start();
        QSignalSpy finished(view, &ExplorationView::searchFinished);
        view->stop();
        QVERIFY(finished.wait(5000));
        qInfo("stop to finished on the GUI thread: %lld ms", clock.elapsed());
        QVERIFY(!view->isRunning());
        const auto summary = finished.front().front().value<SearchRunSummary>();
        QVERIFY(summary.ok);
        QVERIFY(summary.outcome->cancelled);
        QVERIFY(summary.stopToEndMs >= 0);
        // Everything evaluated reached the view, and nothing more comes.
        const int count = view->evaluatedCount();
        QCOMPARE(count, int(summary.outcome->points.size()));
        QTest::qWait(200);
        QCOMPARE(view->evaluatedCount(), count);
    }

    void pickedDesignAppliesAsOneUndoStep() {
        TestWindow t;
        MainWindow& w = *t.window;
        ExplorationView* view = w.explorationView();
        view->setEvaluator(QStringLiteral("benchmark"));
        view->setBudget(300);
        QSignalSpy finished(view, &ExplorationView::searchFinished);
        QVERIFY(view->start());
        QVERIFY(finished.wait(60000));
        QCOMPARE(view->evaluatedCount(), 300);
        // Click the best point of the FPS front, as the user would.
        const auto front = view->fpsPlot()->front();
        QVERIFY(!front.empty());
        const int id = front.back().id;
        w.showView(MainWindow::View::Explore);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const auto pixel = view->fpsPlot()->pixelOf(id);
        QVERIFY(pixel);
        QCOMPARE(view->fpsPlot()->idNear(*pixel), std::optional<int>(id));
        view->inspect(id);
        const Project before = w.document()->project();
        const int steps = w.document()->undoStack()->count();
        view->applyInspected();
        QCOMPARE(w.document()->undoStack()->count(), steps + 1);
        QVERIFY(!(w.document()->project() == before));
        QVERIFY(!w.document()->project().accelerator.autoSize);
        // The QoS panel then shows the FPS the plot showed.
        QVERIFY(waitForQos(w));
        const EvaluatedPoint* p = view->pointById(id);
        QVERIFY(p);
        QVERIFY(w.qosPanel()->fpsText().startsWith(QLocale().toString(p->fps, 'f', 1)));
        w.document()->undoStack()->undo();
        QCOMPARE(w.document()->project(), before);
    }
};

QTEST_MAIN(TestGuiExplore)
#include "test_gui_explore.moc"
