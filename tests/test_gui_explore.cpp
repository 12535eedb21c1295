// The exploration view: a search started from the view fills the plots while it runs,
// stops on Stop, and a picked design applies as one undo step.
#include "gui_test_support.h"
#include "widgets/design_inspector.h"
#include "widgets/exploration_view.h"
#include "widgets/front_2d.h"
#include "widgets/pareto_plot.h"
#include "widgets/project_document.h"
#include "widgets/qcustomplot_include.h"
#include "widgets/qor_evaluator_options.h"
#include "widgets/qos_panel.h"

#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

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

    void trainingRowShowsForTheTorchEvaluatorOnly() {
        TestWindow t;
        ExplorationView* view = t.window->explorationView();
        auto* row = view->findChild<QWidget*>(QStringLiteral("trainingRow"));
        QVERIFY(row);
        view->setEvaluator(QStringLiteral("benchmark"));
        QVERIFY(row->isHidden());
        const auto options = qorEvaluatorOptions(QString());
        if (std::none_of(options.begin(), options.end(), [](const QorEvaluatorOption& o) {
                return o.key == QStringLiteral("torch");
            }))
            QSKIP("this build has no trainer");
        view->setEvaluator(QStringLiteral("torch"));
        QVERIFY(!row->isHidden());
        // The defaults are the CLI's --fast; a choice set is the one read back.
        QCOMPARE(view->trainingChoice().epochs, 4);
        QCOMPARE(view->trainingChoice().images, 256);
        QCOMPARE(view->trainingChoice().resolution, 0.5);
        view->setTrainingChoice({2, 64, 0.25});
        QCOMPARE(view->trainingChoice().epochs, 2);
        QCOMPARE(view->trainingChoice().images, 64);
        QCOMPARE(view->trainingChoice().resolution, 0.25);
    }

    void searchFillsThePlotsAndStops() {
        TestWindow t;
        ExplorationView* view = t.window->explorationView();
        view->setEvaluator(QStringLiteral("benchmark"));
        view->setBudget(10'000'000); // far more than it will get to
        QVERIFY(view->start());
        QVERIFY(view->isRunning());
        QVERIFY(QTest::qWaitFor([&] { return view->fpsPlot()->pointCount() >= 200; }, 30000));
        QVERIFY(view->energyPlot()->pointCount() >= 200);
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

    // At the window's default 1440 x 900 every legend entry shows its whole text (they were
    // cut to "infeasibl", "predicte", "Pareto fror"), and the benchmark's QoR is called
    // what it is: a synthetic stand-in, not a measurement.
    void legendsFitAndBenchmarkQorIsNotMeasured() {
        TestWindow t;
        MainWindow& w = *t.window;
        QCOMPARE(w.size(), QSize(1440, 900));
        ExplorationView* view = w.explorationView();
        view->setEvaluator(QStringLiteral("benchmark"));
        view->setBudget(300);
        QSignalSpy finished(view, &ExplorationView::searchFinished);
        QVERIFY(view->start());
        QVERIFY(finished.wait(60000));
        w.showView(MainWindow::View::Explore);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QStringList names;
        for (QCustomPlot* plot : {view->fpsPlot()->plot(), view->energyPlot()->plot()}) {
            plot->replot();
            QCPLegend* legend = plot->legend;
            QVERIFY(legend->itemCount() >= 2);
            QVERIFY(plot->viewport().contains(legend->outerRect()));
            for (int i = 0; i < legend->itemCount(); ++i) { // grid cells, maybe empty
                auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i));
                if (!item)
                    continue;
                const QString name = item->plottable()->name();
                names << name;
                // What the entry needs to show its icon and whole text.
                const int needs =
                    static_cast<QCPLayoutElement*>(item)->minimumOuterSizeHint().width();
                QVERIFY2(item->outerRect().width() >= needs,
                         qPrintable(QStringLiteral("%1: %2 px for %3 px")
                                        .arg(name)
                                        .arg(item->outerRect().width())
                                        .arg(needs)));
            }
        }
        QVERIFY2(!names.contains(QStringLiteral("measured")),
                 qPrintable(names.join(QStringLiteral(", "))));
        QVERIFY(names.filter(QStringLiteral("benchmark")).size() == 2);
        const EvaluatedPoint* p = view->pointById(view->fpsPlot()->front().back().id);
        QVERIFY(p);
        const QString summary = DesignInspector::summary(*p, *view->runner()->space());
        QVERIFY2(!summary.contains(QStringLiteral("measured")), qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("synthetic")));
    }

    // The strategy controls choose what SCD looks for: the best design at the target, or the
    // front over the FPS range (a ladder of targets). The goal applies to SCD alone.
    void scdGoalChoosesBestAtTargetOrTheFront() {
        TestWindow t;
        ExplorationView* view = t.window->explorationView();
        auto* strategy = view->findChild<QComboBox*>(QStringLiteral("strategy"));
        auto* goal = view->findChild<QComboBox*>(QStringLiteral("searchGoal"));
        QVERIFY(strategy && goal);
        // The view plots fronts, so it looks for the front unless told otherwise.
        QCOMPARE(goal->currentText(), QStringLiteral("Front"));
        strategy->setCurrentIndex(strategy->findText(QStringLiteral("random")));
        QVERIFY(!goal->isEnabled());
        QVERIFY(strategy->findText(QStringLiteral("nsga2")) >= 0);
        strategy->setCurrentIndex(strategy->findText(QStringLiteral("scd")));
        QVERIFY(goal->isEnabled());
        QTemporaryDir data;
        view->setRunDataDirectory(data.path());
        view->setEvaluator(QStringLiteral("benchmark"));
        view->setBudget(300);
        bool unlockedWhileRunning = false;
        // The FPS span of the plotted front and what pareto.json says of the run.
        auto runWith = [&](const QString& goalText) -> std::pair<double, QJsonObject> {
            goal->setCurrentIndex(goal->findText(goalText));
            QSignalSpy finished(view, &ExplorationView::searchFinished);
            if (!view->start())
                return {};
            unlockedWhileRunning |= goal->isEnabled();
            if (!finished.wait(60000))
                return {};
            double lo = 1e300, hi = 0;
            for (const Front2d::Member& m : view->fpsPlot()->front()) {
                lo = std::min(lo, m.x);
                hi = std::max(hi, m.x);
            }
            QFile f(data.path() + QStringLiteral("/explore/pareto.json"));
            if (!f.open(QIODevice::ReadOnly))
                return {};
            return {hi - lo, QJsonDocument::fromJson(f.readAll()).object()};
        };
        const auto [atTarget, atTargetRun] = runWith(QStringLiteral("Best at target"));
        const auto [front, frontRun] = runWith(QStringLiteral("Front"));
        QVERIFY(!unlockedWhileRunning);
        QVERIFY(goal->isEnabled());
        QCOMPARE(atTargetRun[QStringLiteral("front")].toBool(true), false);
        QCOMPARE(frontRun[QStringLiteral("strategy")].toString(), QStringLiteral("scd"));
        QCOMPARE(frontRun[QStringLiteral("front")].toBool(false), true);
        qInfo("FPS span of the front: %.1f best at target, %.1f front", atTarget, front);
        QVERIFY(front > 1.5 * atTarget);
    }

    // The second plot is QoR against energy per image: board power spans a few percent
    // over a whole search (its static part dominates), energy per image several times.
    // search.architectures: [tiled, streaming]: the plots colour the designs by family, the
    // legend names both, and every feasible streaming design is in the family's cloud.
    void paretoPlotColoursByFamily() {
        TestWindow t;
        MainWindow& w = *t.window;
        Project p = w.document()->project();
        p.search.present = true;
        p.search.architectures = {"tiled", "streaming"};
        w.document()->edit(QStringLiteral("families"), p);
        ExplorationView* view = w.explorationView();
        view->reloadFromProject();
        view->setEvaluator(QStringLiteral("benchmark"));
        view->setBudget(120);
        QSignalSpy finished(view, &ExplorationView::searchFinished);
        QVERIFY(view->start());
        QVERIFY(finished.wait(240000));
        int streaming = 0, tiled = 0;
        for (int id = 0; id < view->evaluatedCount(); ++id)
            if (const EvaluatedPoint* e = view->pointById(id);
                e && e->valid && e->feasible && e->qor.ok())
                ++(e->design.index() == 1 ? streaming : tiled);
        qInfo("feasible designs: %d tiled, %d streaming", tiled, streaming);
        QVERIFY(streaming > 0 && tiled > 0);
        ParetoPlot* plot = view->fpsPlot();
        QCOMPARE(plot->familyPointCount(1), streaming);
        const QStringList legend = plot->legendNames();
        QVERIFY2(legend.filter(QStringLiteral("streaming, ")).size() == 1,
                 qPrintable(legend.join(QLatin1Char('|'))));
        QVERIFY2(legend.filter(QStringLiteral("tiled, ")).size() == 1,
                 qPrintable(legend.join(QLatin1Char('|'))));
        plot->clear();
        QCOMPARE(plot->familyPointCount(1), 0);
        QVERIFY(plot->legendNames().filter(QStringLiteral("streaming")).isEmpty());
    }

    void secondPlotIsEnergyPerImage() {
        TestWindow t;
        ExplorationView* view = t.window->explorationView();
        view->setEvaluator(QStringLiteral("benchmark"));
        view->setBudget(300);
        QSignalSpy finished(view, &ExplorationView::searchFinished);
        QVERIFY(view->start());
        QVERIFY(finished.wait(60000));
        ParetoPlot* plot = view->energyPlot();
        QVERIFY(plot->plot()->xAxis->label().startsWith(QStringLiteral("energy per image, mJ")));
        // A slow design costs a thousand times a fast one: decades, not one squashed front.
        QCOMPARE(plot->plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);
        const auto front = plot->front();
        QVERIFY(front.size() >= 2);
        double lowPower = 1e9, highPower = 0, lowEnergy = 1e9, highEnergy = 0;
        for (const Front2d::Member& m : front) {
            const EvaluatedPoint* p = view->pointById(m.id);
            QVERIFY(p);
            QCOMPARE(m.x, p->energyPerImageMj);
            QVERIFY(std::abs(m.x - p->powerW / p->fps * 1e3) < 1e-9 * m.x);
        }
        for (int id = 0; id < view->evaluatedCount(); ++id)
            if (const EvaluatedPoint* p = view->pointById(id); p && p->valid) {
                lowPower = std::min(lowPower, p->powerW);
                highPower = std::max(highPower, p->powerW);
                lowEnergy = std::min(lowEnergy, p->energyPerImageMj);
                highEnergy = std::max(highEnergy, p->energyPerImageMj);
            }
        qInfo("power %.3f to %.3f W, energy %.1f to %.1f mJ per image", lowPower, highPower,
              lowEnergy, highEnergy);
        QVERIFY(highEnergy / lowEnergy > 2 * highPower / lowPower);
    }
};

QTEST_MAIN(TestGuiExplore)
#include "test_gui_explore.moc"
