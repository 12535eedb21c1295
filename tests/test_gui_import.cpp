// File > Import and the low-rank action in the studio (issue 15, docs/gui.md): an ONNX model
// imports off the GUI thread into a project beside it and opens in the editor; a model with
// unsupported nodes shows the CLI's list above the editor, writes nothing and leaves the
// project open before; the low-rank action decomposes the selected entry's convs with the
// real weights, reports per layer, and undo restores the project exactly.
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "gui_test_support.h"
#include "model_io/model_reader.h"
#include "process_test_support.h"
#include "widgets/import_dialog.h"
#include "widgets/import_runner.h"
#include "widgets/low_rank_dialog.h"
#include "widgets/low_rank_report.h"
#include "widgets/network_model.h"
#include "widgets/network_view.h"
#include "widgets/project_document.h"
#include "widgets/project_files.h"

#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QtTest>
#include <cmath>
#include <filesystem>

using namespace codesign;
using namespace codesign::testing;

namespace {

const QString kFixtures = QStringLiteral(CODESIGN_TEST_DATA "/onnx");
const QString kModels = QStringLiteral(CODESIGN_ONNX_MODELS);

// Imports `model` into `project` and waits for the end; the result of importFinished.
bool importAndWait(MainWindow& w, const QString& model, const QString& project) {
    QSignalSpy finished(&w, &MainWindow::importFinished);
    if (!w.startImport(model, project))
        return false;
    if (!finished.wait(120'000))
        return false;
    return finished.first().first().toBool();
}

// The relative Frobenius distance between a conv's weights and second x first (F x r times
// r x cols), computed here from the weight files the edit wrote.
double reconstructionError(const reference::LayerWeights& original,
                           const reference::LayerWeights& first,
                           const reference::LayerWeights& second, int rank) {
    const std::size_t cols = first.weights.size() / std::size_t(rank);
    const std::size_t rows = second.weights.size() / std::size_t(rank);
    double diff = 0, norm = 0;
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) {
            double v = 0;
            for (std::size_t k = 0; k < std::size_t(rank); ++k)
                v += double(second.weights[r * std::size_t(rank) + k]) *
                     double(first.weights[k * cols + c]);
            const double w = original.weights[r * cols + c];
            diff += (w - v) * (w - v);
            norm += w * w;
        }
    return std::sqrt(diff / norm);
}

// With CODESIGN_GUI_SHOTS=DIR (run under xvfb-run with QT_QPA_PLATFORM=xcb), the pictures
// of docs/gui.md: the widget as drawn, into DIR/NAME.png. Nothing otherwise.
void shot(QWidget* widget, const QString& name) {
    const QString dir = qEnvironmentVariable("CODESIGN_GUI_SHOTS");
    if (dir.isEmpty() || !widget)
        return;
    const QPointer<QWidget> guard(widget); // a progress dialog may close while we wait
    widget->show();
    QTest::qWait(300); // let the window system draw it
    if (!guard)
        return;
    QVERIFY(widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png")));
}

// A fixture model; for the pictures, a copy under /tmp/example, so that the message (which
// names the model's path) shows no checkout's path.
QString shotModel(const QString& name) {
    const QString fixture = kFixtures + QLatin1Char('/') + name;
    if (qEnvironmentVariable("CODESIGN_GUI_SHOTS").isEmpty())
        return fixture;
    const QString copy = QStringLiteral("/tmp/example/") + name;
    QDir().mkpath(QStringLiteral("/tmp/example"));
    QFile::remove(copy);
    return QFile::copy(fixture, copy) ? copy : fixture;
}

// Runs the low-rank action (or applyLowRank) and waits; the result of lowRankFinished.
template <class Start> bool lowRankAndWait(MainWindow& w, Start start) {
    QSignalSpy finished(&w, &MainWindow::lowRankFinished);
    if (!start())
        return false;
    if (!finished.wait(120'000))
        return false;
    return finished.first().first().toBool();
}

// Selects network row `row` in the table, as a click does.
void selectRow(MainWindow& w, int row) {
    QTableView* table = w.networkView()->table();
    table->selectionModel()->setCurrentIndex(table->model()->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect |
                                                 QItemSelectionModel::Rows);
}

// The first network entry with a conv the transform takes (conv with one group, pwconv).
int firstDecomposableRow(const Project& p) {
    Result<Graph> g = buildGraph(p);
    if (!g.ok())
        return -1;
    int group = 0;
    for (int row = 0; row < int(p.network.size()); ++row) {
        const ExecGroup& eg = g->groups[std::size_t(group)];
        for (int i = eg.first; i <= eg.last; ++i) {
            const Node& n = g->nodes[std::size_t(i)];
            if ((n.op == Op::Conv && n.groups == 1) || n.op == Op::PwConv)
                return row;
        }
        group += p.network[std::size_t(row)].isBundle ? p.network[std::size_t(row)].repeat : 1;
    }
    return -1;
}

// valid_small imported into `dir` (small.yaml), open in `w`.
bool importSmall(MainWindow& w, const QTemporaryDir& dir) {
    return importAndWait(w, kFixtures + QStringLiteral("/valid_small.onnx"),
                         dir.filePath(QStringLiteral("small.yaml")));
}

// The report's column of each row, as shown.
QStringList reportColumn(const MainWindow& w, int column) {
    QStringList cells;
    const QTableWidget* table = w.lowRankReport()->table();
    for (int r = 0; r < table->rowCount(); ++r)
        cells << table->item(r, column)->text();
    return cells;
}

} // namespace

class TestGuiImport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    // A small model: the project and its weights are written, and the editor opens it.
    void importOpensTheProject() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("small.yaml"));
        auto* runner = w.findChild<ImportRunner*>();
        QVERIFY(runner);
        QSignalSpy steps(runner, &ImportRunner::progressed);
        QVERIFY(importAndWait(w, kFixtures + QStringLiteral("/valid_small.onnx"), path));
        // The progress dialog follows the reader's steps, in order.
        QStringList names;
        int last = -1;
        for (const QList<QVariant>& step : steps) {
            QVERIFY(step[0].toInt() > last);
            last = step[0].toInt();
            names << step[1].toString();
        }
        QCOMPARE(names, (QStringList{QStringLiteral("Reading the file"),
                                     QStringLiteral("Parsing the ONNX model"),
                                     QStringLiteral("Mapping the nodes to layers"),
                                     QStringLiteral("Folding repeated blocks into bundles"),
                                     QStringLiteral("Writing the project and its weights")}));
        QCOMPARE(w.document()->filePath(), path);
        QVERIFY(!w.document()->isModified());
        QVERIFY(w.loadError().isEmpty());
        Result<Project> read = readProjectFile(path);
        QVERIFY(read.ok());
        QCOMPARE(w.document()->project(), *read);
        QCOMPARE(read->weights, std::string("small.weights.bin"));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("small.weights.bin"))));
        QVERIFY(w.lowRankAction()->isEnabled());
    }

    // A generated torchvision model through File > Open: the save question suggests
    // NAME.yaml beside the model; the imported resnet18 opens with its bundles.
    void openImportsAGeneratedModel() {
        const QString model = kModels + QStringLiteral("/resnet18.onnx");
        if (!QFile::exists(model))
            QSKIP("no generated models (tests/onnx/make_models.py needs python3-torch, "
                  "python3-torchvision and python3-onnx)");
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        t.prompts->savePathAnswer = dir.filePath(QStringLiteral("r18.yaml"));
        QSignalSpy finished(&w, &MainWindow::importFinished);
        QVERIFY(w.openFile(model));
        QVERIFY(w.importRunning());
        QTimer::singleShot(600, &w, [&w] {
            shot(w.findChild<QWidget*>(QStringLiteral("importProgress")),
                 QStringLiteral("studio-import-progress"));
        });
        QVERIFY(finished.wait(120'000));
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(t.prompts->suggestedSavePaths,
                 QStringList{kModels + QStringLiteral("/resnet18.yaml")});
        QCOMPARE(w.document()->filePath(), t.prompts->savePathAnswer);
        const Project& p = w.document()->project();
        QVERIFY(!p.bundles.empty());
        Result<Graph> g = buildGraph(p);
        QVERIFY(g.ok());
        std::int64_t macs = 0;
        for (const Node& n : g->nodes)
            if (n.op == Op::Conv || n.op == Op::PwConv || n.op == Op::DwConv || n.op == Op::Fc)
                macs += n.macs;
        QCOMPARE(macs, std::int64_t(1'814'073'344)); // torch's count (docs/import.md)
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("r18.weights.bin"))));
    }

    // Cancel while resnet18 is read (its 47 MB take far longer than the click): the reader
    // stops at its next step, nothing is written, the project before stays open.
    void importCancelWritesNothing() {
        const QString model = kModels + QStringLiteral("/resnet18.onnx");
        if (!QFile::exists(model))
            QSKIP("no generated models (tests/onnx/make_models.py needs python3-torch, "
                  "python3-torchvision and python3-onnx)");
        TestWindow t;
        MainWindow& w = *t.window;
        const Project before = w.document()->project();
        QTemporaryDir dir;
        QSignalSpy finished(&w, &MainWindow::importFinished);
        QVERIFY(w.startImport(model, dir.filePath(QStringLiteral("r18.yaml"))));
        auto* progress = w.findChild<QProgressDialog*>(QStringLiteral("importProgress"));
        QVERIFY(progress);
        auto* cancel = progress->findChild<QPushButton*>();
        QVERIFY(cancel);
        cancel->click();
        QVERIFY(finished.wait(120'000));
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(w.loadError().contains(QStringLiteral("cancelled")), qPrintable(w.loadError()));
        QCOMPARE(w.document()->project(), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).size(), 0);
    }

    // Unsupported nodes: the CLI's list above the editor, nothing written, the project
    // (edited, unsaved) still open with its undo history.
    void unsupportedNodesAreListed() {
        TestWindow t;
        MainWindow& w = *t.window;
        NetworkModel* model = w.networkView()->networkModel();
        QVERIFY(model->setData(model->index(0, NetworkModel::Channels), 40, Qt::EditRole));
        const Project before = w.document()->project();
        const int undoSteps = w.document()->undoStack()->count();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.yaml"));
        const QString modelPath = shotModel(QStringLiteral("many_unsupported.onnx"));
        QVERIFY(!importAndWait(w, modelPath, path));
        const QString message = w.loadError();
        QVERIFY2(message.contains(QStringLiteral("3 nodes cannot be imported")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("Tanh x2: no project op for it: t1, t2")),
                 qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("Elu x1: no project op for it: e1")),
                 qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("Nothing was written")));
        QCOMPARE(w.document()->project(), before);
        QVERIFY(w.document()->isModified());
        QCOMPARE(w.document()->undoStack()->count(), undoSteps);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).size(), 0);
        shot(&w, QStringLiteral("studio-import-refused"));

        // The same lines as `codesign import` prints before it exits 2.
        const Run cli =
            runProgram(QStringLiteral(CODESIGN_CLI),
                       {QStringLiteral("import"), modelPath, QStringLiteral("--out"), path});
        QCOMPARE(cli.exitCode, 2);
        QString printed = cli.err.trimmed();
        QVERIFY(printed.startsWith(QStringLiteral("codesign: ")));
        printed.remove(0, 10);
        const QStringList lines = printed.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 3); // the heading and one line per op type
        for (const QString& line : lines)
            QVERIFY2(message.contains(line.toHtmlEscaped()), qPrintable(line));
    }

    // A file that is not ONNX, and one that does not exist: a message, no crash.
    void unreadableModelsSayWhy() {
        TestWindow t;
        MainWindow& w = *t.window;
        const Project before = w.document()->project();
        QTemporaryDir dir;
        QVERIFY(!importAndWait(w, kFixtures + QStringLiteral("/not_onnx.onnx"),
                               dir.filePath(QStringLiteral("a.yaml"))));
        QVERIFY2(w.loadError().contains(QStringLiteral("not_onnx.onnx")),
                 qPrintable(w.loadError()));
        QVERIFY(!importAndWait(w, dir.filePath(QStringLiteral("missing.onnx")),
                               dir.filePath(QStringLiteral("b.yaml"))));
        QVERIFY2(w.loadError().contains(QStringLiteral("missing.onnx")), qPrintable(w.loadError()));
        QCOMPARE(w.document()->project(), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).size(), 0);
    }

    // DNN-A as embedded has no weights: the action is disabled and says why.
    void lowRankNeedsWeights() {
        TestWindow t;
        MainWindow& w = *t.window;
        QVERIFY(w.document()->project().weights.empty());
        QVERIFY(!w.lowRankAction()->isEnabled());
        QVERIFY2(w.lowRankAction()->toolTip().contains(QStringLiteral("no weights")),
                 qPrintable(w.lowRankAction()->toolTip()));
    }

    // The action on the selected entry: the network changes, the new weights reconstruct
    // the old within the reported error, and Ctrl+Z restores the project exactly.
    void lowRankIsOneUndoableEdit() {
        // valid_small's convs are too small to gain on any design (lowRankRefuses... below).
        const QString model = kModels + QStringLiteral("/resnet18.onnx");
        if (!QFile::exists(model))
            QSKIP("no generated models (tests/onnx/make_models.py needs python3-torch, "
                  "python3-torchvision and python3-onnx)");
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r18.yaml"));
        QVERIFY(importAndWait(w, model, path));
        const Project before = w.document()->project();
        const int row = firstDecomposableRow(before) + 1; // B2 to B3, after the stem
        QVERIFY(row >= 0);
        selectRow(w, row);
        t.prompts->lowRankBudget = 0.3;
        QVERIFY(w.lowRankAction()->isEnabled());
        QVERIFY2(lowRankAndWait(w,
                                [&] {
                                    w.lowRankAction()->trigger();
                                    return true;
                                }),
                 qPrintable(t.prompts->errors.join(QLatin1Char('\n'))));
        QVERIFY2(t.prompts->errors.isEmpty(),
                 qPrintable(t.prompts->errors.join(QLatin1Char('\n'))));
        const Project after = w.document()->project();
        QVERIFY(!(after == before));
        QVERIFY(after.weights != before.weights);
        QVERIFY(w.lowRankReport() && w.lowRankReport()->isVisible());
        QTableWidget* table = w.lowRankReport()->table();
        QVERIFY(table->rowCount() >= 1);

        // Every decomposed layer: its factors in the new weights give back the old weights
        // within the error the report shows.
        Result<reference::WeightSet> oldW =
            reference::readWeightSetFile(projectWeightsPath(before, path.toStdString()));
        Result<reference::WeightSet> newW =
            reference::readWeightSetFile(projectWeightsPath(after, path.toStdString()));
        QVERIFY(oldW.ok() && newW.ok());
        int decomposed = 0;
        for (int r = 0; r < table->rowCount(); ++r) {
            const QString outcome = table->item(r, 5)->text();
            if (outcome == QStringLiteral("reverted"))
                continue;
            const QStringList parts = outcome.split(QStringLiteral(" + "));
            QCOMPARE(parts.size(), 2);
            const int rank = table->item(r, 1)->text().section(QLatin1Char(' '), 0, 0).toInt();
            const reference::LayerWeights* o = oldW->find(table->item(r, 0)->text().toStdString());
            const reference::LayerWeights* f = newW->find(parts[0].toStdString());
            const reference::LayerWeights* s = newW->find(parts[1].toStdString());
            QVERIFY(o && f && s);
            const double shown = table->item(r, 2)->text().toDouble();
            QVERIFY(shown > 0);
            QVERIFY2(std::abs(reconstructionError(*o, *f, *s, rank) - shown) < 1e-4,
                     qPrintable(QString::number(reconstructionError(*o, *f, *s, rank))));
            ++decomposed;
        }
        QVERIFY(decomposed >= 1);
        QVERIFY(buildGraph(after).ok());

        // Ctrl+Z: the project exactly as before (its weights file untouched); redo again.
        w.document()->undoStack()->undo();
        QCOMPARE(w.document()->project(), before);
        QVERIFY(!w.document()->isModified());
        QVERIFY(w.save());
        Result<Project> saved = readProjectFile(path);
        QVERIFY(saved.ok());
        QCOMPARE(*saved, before);
        w.document()->undoStack()->redo();
        QCOMPARE(w.document()->project(), after);
    }

    // A bundle instance of the imported resnet18 (repeated: each repeat gets its own
    // bundle definition, since the ranks are per layer); undo restores the project exactly.
    void lowRankOnABundleOfResnet18() {
        const QString model = kModels + QStringLiteral("/resnet18.onnx");
        if (!QFile::exists(model))
            QSKIP("no generated models (tests/onnx/make_models.py needs python3-torch, "
                  "python3-torchvision and python3-onnx)");
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        QVERIFY(importAndWait(w, model, dir.filePath(QStringLiteral("r18.yaml"))));
        const Project before = w.document()->project();
        int row = -1;
        for (int r = 0; r < int(before.network.size()) && row < 0; ++r)
            if (before.network[std::size_t(r)].isBundle &&
                before.network[std::size_t(r)].repeat > 1)
                row = r;
        QVERIFY(row >= 0);
        selectRow(w, row);
        t.prompts->lowRankBudget = 0.3;
        QVERIFY(lowRankAndWait(w, [&] {
            w.lowRankAction()->trigger();
            return true;
        }));
        QVERIFY2(t.prompts->errors.isEmpty(),
                 qPrintable(t.prompts->errors.join(QLatin1Char('\n'))));
        const Project after = w.document()->project();
        QVERIFY(after.network.size() > before.network.size());
        QVERIFY(after.bundles.size() > before.bundles.size());
        QVERIFY(w.lowRankReport()->table()->rowCount() >= 2);
        QVERIFY(w.lowRankReport()->summary().contains(QStringLiteral("MACs")));
        Result<Graph> g0 = buildGraph(before), g1 = buildGraph(after);
        QVERIFY(g0.ok() && g1.ok());
        QCOMPARE(g1->nodes.back().out, g0->nodes.back().out);
        QVERIFY2(w.lowRankReport()->summary().contains(QStringLiteral(" to ")),
                 qPrintable(w.lowRankReport()->summary())); // "B2 to B3": both repeats
        shot(w.lowRankReport(), QStringLiteral("studio-low-rank"));
        shot(&w, QStringLiteral("studio-low-rank-editor"));
        w.document()->undoStack()->undo();
        QCOMPARE(w.document()->project(), before);
    }

    // Cancel in the progress dialog: no edit, and the weights the worker wrote are removed.
    void lowRankCancelLeavesNothing() {
        const QString model = kModels + QStringLiteral("/resnet18.onnx");
        if (!QFile::exists(model))
            QSKIP("no generated models (tests/onnx/make_models.py needs python3-torch, "
                  "python3-torchvision and python3-onnx)");
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        QVERIFY(importAndWait(w, model, dir.filePath(QStringLiteral("r18.yaml"))));
        const Project before = w.document()->project();
        const QStringList files = QDir(dir.path()).entryList(QDir::Files);
        QVERIFY(!lowRankAndWait(w, [&] {
            if (!w.applyLowRank({firstDecomposableRow(before) + 1},
                                ScriptedPrompts::s1Settings(0.3)))
                return false;
            auto* progress = w.findChild<QProgressDialog*>(QStringLiteral("lowRankProgress"));
            auto* cancel = progress ? progress->findChild<QPushButton*>() : nullptr;
            if (!cancel)
                return false;
            cancel->click(); // before the worker's result is delivered (queued)
            return true;
        }));
        QCOMPARE(w.document()->project(), before);
        QCOMPARE(w.document()->undoStack()->count(), 0);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), files);
        QVERIFY(t.prompts->errors.isEmpty());
    }

    // No selection and no decomposable conv: a message, no edit.
    void lowRankRefusesWhatItCannotDo() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("small.yaml"));
        QVERIFY(importAndWait(w, kFixtures + QStringLiteral("/valid_small.onnx"), path));
        const Project before = w.document()->project();
        t.prompts->lowRankBudget = 0.5;
        w.networkView()->table()->clearSelection();
        w.lowRankAction()->trigger();
        QCOMPARE(t.prompts->errors.size(), 1);
        QVERIFY(t.prompts->errors[0].contains(QStringLiteral("Select a layer")));
        // The last entry (the classifier: fc) has no conv.
        QVERIFY(!lowRankAndWait(w, [&] {
            return w.applyLowRank({int(before.network.size()) - 1},
                                  ScriptedPrompts::s1Settings(0.5));
        }));
        QVERIFY(w.lowRankReport() == nullptr);
        QCOMPARE(t.prompts->errors.size(), 2);
        QVERIFY2(t.prompts->errors[1].contains(QStringLiteral("no conv")),
                 qPrintable(t.prompts->errors[1]));
        QCOMPARE(w.document()->project(), before);
        // valid_small's B1.conv: its factors would take more cycles on the design than it
        // does, so it is reverted; with nothing left to change, no edit and no file.
        const QStringList files = QDir(dir.path()).entryList(QDir::Files);
        QVERIFY(!lowRankAndWait(w, [&] {
            return w.applyLowRank({firstDecomposableRow(before)}, ScriptedPrompts::s1Settings(0.5));
        }));
        QCOMPARE(t.prompts->errors.size(), 3);
        QVERIFY2(
            t.prompts->errors[2].contains(QStringLiteral("B1.conv: two layers of rank 3 take")),
            qPrintable(t.prompts->errors[2]));
        QCOMPARE(w.document()->project(), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), files);
    }

    // The scheme chosen in the dialog reaches the transform: valid_small's B1.conv at 0.5
    // by MACs is rank 4 of 12 under s2 (F*Kh x C*Kw = 24 x 12) where s1 gives 3 of 8, and
    // the report names s2 for it; judged by MACs, the cycle columns stay empty.
    void lowRankSchemeReachesTheTransform() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        QVERIFY(importSmall(w, dir));
        const Project before = w.document()->project();
        selectRow(w, firstDecomposableRow(before));
        t.prompts->lowRank.scheme = "s2";
        t.prompts->lowRank.byMacs = true;
        t.prompts->lowRankBudget = 0.5;
        QVERIFY2(lowRankAndWait(w,
                                [&] {
                                    w.lowRankAction()->trigger();
                                    return true;
                                }),
                 qPrintable(t.prompts->errors.join(QLatin1Char('\n'))));
        QCOMPARE(t.prompts->lowRankSelections, QStringList{QStringLiteral("conv_relu")});
        QVERIFY2(w.lowRankReport()->summary().contains(QStringLiteral("scheme s2")),
                 qPrintable(w.lowRankReport()->summary()));
        QCOMPARE(reportColumn(w, 0), QStringList{QStringLiteral("B1.conv")});
        QCOMPARE(reportColumn(w, 8), QStringList{QStringLiteral("s2")});
        QCOMPARE(reportColumn(w, 1), QStringList{QStringLiteral("4 of 12")});
        QCOMPARE(reportColumn(w, 6), QStringList{QStringLiteral("-")}); // by MACs: no cycles
        QVERIFY(!(w.document()->project() == before));
        w.document()->undoStack()->undo();
        QCOMPARE(w.document()->project(), before);
    }

    // The revert rule: by cycles (the default) valid_small's B1.conv is reverted on the
    // design (lowRankRefusesWhatItCannotDo); by MACs the same layer at the same budget is
    // decomposed.
    void lowRankRevertRuleIsTheUsers() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        QVERIFY(importSmall(w, dir));
        const Project before = w.document()->project();
        const int row = firstDecomposableRow(before);
        LowRankSettings settings = ScriptedPrompts::s1Settings(0.5);
        QVERIFY(!lowRankAndWait(w, [&] { return w.applyLowRank({row}, settings); }));
        QCOMPARE(t.prompts->errors.size(), 1);
        QVERIFY2(t.prompts->errors[0].contains(QStringLiteral("cycles")),
                 qPrintable(t.prompts->errors[0]));
        settings.byMacs = true;
        QVERIFY(lowRankAndWait(w, [&] { return w.applyLowRank({row}, settings); }));
        QCOMPARE(reportColumn(w, 5).size(), 1);
        QVERIFY(reportColumn(w, 5)[0] != QStringLiteral("reverted"));
        QCOMPARE(reportColumn(w, 1), QStringList{QStringLiteral("3 of 8")});
    }

    // A ranks file: the layers it names at its ranks, with no selection needed; the report
    // names the file. A bad one is an error naming file:line, and nothing changes.
    void lowRankTakesARanksFile() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        QVERIFY(importSmall(w, dir));
        const Project before = w.document()->project();
        const QString ranks = dir.filePath(QStringLiteral("ranks.txt"));
        QFile file(ranks);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("# B1 at rank 2\nB1.conv 2\n");
        file.close();
        w.networkView()->table()->clearSelection();
        t.prompts->lowRank.ranksFile = ranks.toStdString();
        t.prompts->lowRank.byMacs = true;
        t.prompts->lowRankBudget = 0.9; // unused with a ranks file
        QVERIFY2(lowRankAndWait(w,
                                [&] {
                                    w.lowRankAction()->trigger();
                                    return true;
                                }),
                 qPrintable(t.prompts->errors.join(QLatin1Char('\n'))));
        QCOMPARE(reportColumn(w, 0), QStringList{QStringLiteral("B1.conv")});
        QCOMPARE(reportColumn(w, 1), QStringList{QStringLiteral("2 of 8")});
        QVERIFY2(w.lowRankReport()->summary().contains(QStringLiteral("at the ranks of ") + ranks),
                 qPrintable(w.lowRankReport()->summary()));
        QVERIFY2(w.lowRankReport()->summary().startsWith(QStringLiteral("<b>B1</b>")),
                 qPrintable(w.lowRankReport()->summary()));
        w.document()->undoStack()->undo();
        QCOMPARE(w.document()->project(), before);

        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("B1.conv 2\nB1.conv two\n");
        file.close();
        QVERIFY(!lowRankAndWait(w, [&] {
            w.lowRankAction()->trigger();
            return true;
        }));
        QCOMPARE(t.prompts->errors.size(), 1);
        QVERIFY2(t.prompts->errors[0].contains(ranks + QStringLiteral(":2")),
                 qPrintable(t.prompts->errors[0]));
        QCOMPARE(w.document()->project(), before);
    }

    // The dialog itself: the scheme's line follows the choice, its answers are the
    // settings, and a bad ranks file (or none) is said inline while the dialog stays open.
    void lowRankDialogSaysWhatIsWrong() {
        QTemporaryDir dir;
        LowRankDialog dialog(QStringLiteral("B1"), LowRankSettings{});
        auto* scheme = dialog.findChild<QComboBox*>(QStringLiteral("lowRankScheme"));
        auto* help = dialog.findChild<QLabel*>(QStringLiteral("lowRankSchemeHelp"));
        QVERIFY(scheme && help);
        QCOMPARE(scheme->count(), 5);
        QCOMPARE(scheme->currentText(), QStringLiteral("auto"));
        QVERIFY(help->text().startsWith(QStringLiteral("auto:")));
        scheme->setCurrentText(QStringLiteral("s3"));
        QVERIFY2(help->text().startsWith(QStringLiteral("s3: C matrices")),
                 qPrintable(help->text()));
        shot(&dialog, QStringLiteral("studio-low-rank-dialog"));
        dialog.findChild<QComboBox*>(QStringLiteral("lowRankRevert"))->setCurrentIndex(1);
        LowRankSettings s = dialog.settings();
        QCOMPARE(s.scheme, std::string("s3"));
        QVERIFY(s.byMacs);
        QVERIFY(s.ranksFile.empty());
        QCOMPARE(s.budget, 0.5);

        dialog.show();
        dialog.findChild<QRadioButton*>(QStringLiteral("lowRankByRanks"))->setChecked(true);
        dialog.accept(); // no file given
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().contains(QStringLiteral("Give a ranks file")),
                 qPrintable(dialog.errorText()));
        const QString bad = dir.filePath(QStringLiteral("bad.txt"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("B1.conv\n");
        file.close();
        dialog.findChild<QLineEdit*>(QStringLiteral("lowRankRanksFile"))->setText(bad);
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(dialog.errorText().contains(bad + QStringLiteral(":1")),
                 qPrintable(dialog.errorText()));
        dialog.findChild<QLineEdit*>(QStringLiteral("lowRankRanksFile"))
            ->setText(dir.filePath(QStringLiteral("missing.txt")));
        dialog.accept();
        QVERIFY2(dialog.errorText().contains(QStringLiteral("cannot read")),
                 qPrintable(dialog.errorText()));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("B1.conv 2\n");
        file.close();
        dialog.findChild<QLineEdit*>(QStringLiteral("lowRankRanksFile"))->setText(bad);
        dialog.accept();
        QVERIFY(!dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.settings().ranksFile, bad.toStdString());

        // With nothing selected, the budget alone is refused inline.
        LowRankDialog empty(QString(), LowRankSettings{});
        empty.show();
        empty.accept();
        QVERIFY(empty.isVisible());
        QVERIFY2(empty.errorText().contains(QStringLiteral("Select a layer")),
                 qPrintable(empty.errorText()));
    }

    // File > Import asks for the device (offering the open project's) and the input size;
    // the imported project has them, as `codesign import --device --input` writes it.
    void importTakesDeviceAndInput() {
        TestWindow t;
        MainWindow& w = *t.window;
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("small.yaml"));
        t.prompts->savePathAnswer = path;
        t.prompts->importChoice.device = "zcu102";
        t.prompts->importChoice.input = Shape{4, 16, 12};
        QSignalSpy finished(&w, &MainWindow::importFinished);
        QVERIFY(w.importModel(kFixtures + QStringLiteral("/valid_small.onnx")));
        QVERIFY(finished.wait(120'000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(w.loadError()));
        QCOMPARE(t.prompts->offeredImportDevices, QStringList{QStringLiteral("pynq-z1")});
        Result<Project> read = readProjectFile(path);
        QVERIFY(read.ok());
        QCOMPARE(read->device.name, std::string("zcu102"));
        QCOMPARE(read->input.channels, 4);
        QCOMPARE(read->input.height, 16);
        QCOMPARE(read->input.width, 12);
        QCOMPARE(w.document()->project(), *read);

        // The next import offers the open project's device; cancel there writes nothing.
        t.prompts->importChoiceAnswer = false;
        const QString other = dir.filePath(QStringLiteral("other.yaml"));
        t.prompts->savePathAnswer = other;
        QVERIFY(!w.importModel(kFixtures + QStringLiteral("/valid_small.onnx")));
        QCOMPARE(t.prompts->offeredImportDevices.last(), QStringLiteral("zcu102"));
        QVERIFY(!QFile::exists(other));
    }

    // The import dialog: prefilled from the model's declared input and the offered device;
    // a malformed size or one of other channels is said inline and OK waits; no crash.
    void importDialogValidatesInline() {
        const QString model = kFixtures + QStringLiteral("/valid_small.onnx");
        const std::optional<Shape> declared = modelio::declaredInput(model.toStdString());
        QVERIFY(declared.has_value());
        QCOMPARE(*declared, (Shape{4, 8, 8}));
        ImportDialog dialog(QStringLiteral("valid_small.onnx"), QStringLiteral("zedboard"),
                            declared);
        QLineEdit* input = dialog.inputEdit();
        QPushButton* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
        QCOMPARE(input->text(), QStringLiteral("4x8x8"));
        QCOMPARE(dialog.deviceBox()->currentData().toString(), QStringLiteral("zedboard"));
        QVERIFY(ok->isEnabled());
        QVERIFY(dialog.errorText().isEmpty());
        QVERIFY(!dialog.choice().input); // the model's own
        shot(&dialog, QStringLiteral("studio-import-dialog"));

        for (const char* bad :
             {"4x8", "4x0x8", "4x8x8x2", "4 x 8 x 8", "fourx8x8", "4x8x9999999"}) {
            input->setText(QString::fromLatin1(bad));
            QVERIFY2(!ok->isEnabled(), bad);
            QVERIFY2(dialog.errorText().contains(QStringLiteral("is not an input size")),
                     qPrintable(dialog.errorText()));
        }
        input->setText(QStringLiteral("3x32x32"));
        QVERIFY(!ok->isEnabled());
        QVERIFY2(dialog.errorText().contains(QStringLiteral("4 channels")),
                 qPrintable(dialog.errorText()));
        input->setText(QStringLiteral("4x32x16"));
        QVERIFY(ok->isEnabled());
        QVERIFY(dialog.errorText().isEmpty());
        dialog.deviceBox()->setCurrentIndex(dialog.deviceBox()->findData(QStringLiteral("kv260")));
        const ImportDialog::Choice c = dialog.choice();
        QCOMPARE(c.device, std::string("kv260"));
        QVERIFY(c.input && *c.input == (Shape{4, 32, 16}));

        // A model that leaves H and W open: the size must be given.
        ImportDialog open(QStringLiteral("m.onnx"), QStringLiteral("pynq-z1"), Shape{3, -1, -1});
        QVERIFY(open.inputEdit()->text().isEmpty());
        QVERIFY(!open.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled());
        QVERIFY2(open.errorText().contains(QStringLiteral("Give the input size")),
                 qPrintable(open.errorText()));
    }
};

QTEST_MAIN(TestGuiImport)
#include "test_gui_import.moc"
