// bench_gui: how responsive the studio stays while a search streams designs into the
// exploration plots (docs/gui.md). Not a pass/fail test. It measures, on the GUI thread:
//   - the longest gap between two ticks of a 10 ms timer (goal < 50 ms),
//   - the time from Stop to the search worker's end (goal < 200 ms),
//   - the time from an edit to the QoS panel showing its numbers (goal < 100 ms).
// Phase "search": the real search (benchmark QoR, per-design accelerator sizing) at its
// own rate. Phase "stream": evaluated designs from that search replayed, with new ids, by a
// feeder thread at --rate designs per second, through the same path into the plots
// (buffer -> 100 ms GUI timer -> ExplorationView::addEvaluatedPoints -> batched replot).
//
//   xvfb-run -a ./build/bench/bench_gui [--seconds S] [--rate N]
#include "widgets/exploration_view.h"
#include "widgets/main_window.h"
#include "widgets/network_model.h"
#include "widgets/network_view.h"
#include "widgets/pareto_plot.h"
#include "widgets/project_document.h"
#include "widgets/qcustomplot_include.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace codesign;

namespace {

// Waits for `done`; a wait that runs out is reported, and the figures after it are suspect.
template <class Condition> void waitFor(Condition done, int timeoutMs, const char* what) {
    if (!QTest::qWaitFor(done, timeoutMs))
        std::fprintf(stderr, "bench_gui: timed out waiting for %s\n", what);
}

// Ticks of a 10 ms timer on the GUI thread; the gaps between them are the freezes.
class TickProbe {
public:
    TickProbe() {
        timer_.setTimerType(Qt::PreciseTimer);
        timer_.setInterval(10);
        QObject::connect(&timer_, &QTimer::timeout, [this] {
            const qint64 now = clock_.nsecsElapsed();
            if (last_ >= 0)
                gaps_.push_back(double(now - last_) / 1e6);
            last_ = now;
        });
    }
    void start() {
        gaps_.clear();
        last_ = -1;
        clock_.start();
        timer_.start();
    }
    void stop() { timer_.stop(); }
    double longest() const {
        return gaps_.empty() ? 0 : *std::max_element(gaps_.begin(), gaps_.end());
    }
    double percentile(double q) const {
        if (gaps_.empty())
            return 0;
        std::vector<double> sorted = gaps_;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, std::size_t(q * double(sorted.size())))];
    }
    std::size_t ticks() const { return gaps_.size(); }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = -1;
    std::vector<double> gaps_;
};

// Time spent inside the replots of some plots (between beforeReplot and afterReplot).
class ReplotProbe {
public:
    void watch(QCustomPlot* plot) {
        QObject::connect(plot, &QCustomPlot::beforeReplot, [this] { clock_.start(); });
        QObject::connect(plot, &QCustomPlot::afterReplot, [this] {
            const double ms = double(clock_.nsecsElapsed()) / 1e6;
            total_ += ms;
            longest_ = std::max(longest_, ms);
            ++count_;
        });
    }
    void reset() { total_ = longest_ = 0, count_ = 0; }
    double mean() const { return count_ ? total_ / count_ : 0; }
    double longest() const { return longest_; }
    int count() const { return count_; }

private:
    QElapsedTimer clock_;
    double total_ = 0, longest_ = 0;
    int count_ = 0;
};

// One edit of the network, then the time until the QoS panel shows it.
double timeEditToQos(MainWindow& window, int channels) {
    NetworkModel* model = window.networkView()->networkModel();
    model->setData(model->index(1, NetworkModel::Channels), channels, Qt::EditRole);
    waitFor([&] { return window.qosUpToDate(); }, 5000, "the QoS panel");
    return window.lastEditToQosMs();
}

struct EditTimes {
    double median = 0;
    double worst = 0;
};

EditTimes editsWhile(MainWindow& window, int count, int pauseMs) {
    std::vector<double> times;
    for (int i = 0; i < count; ++i) {
        times.push_back(timeEditToQos(window, i % 2 ? 96 : 112));
        QTest::qWait(pauseMs);
    }
    std::sort(times.begin(), times.end());
    return {times[times.size() / 2], times.back()};
}

// Replays designs at a fixed rate from its own thread into a buffer the GUI drains.
class Feeder {
public:
    Feeder(std::vector<EvaluatedPoint> pattern, double rate, int firstId)
        : pattern_(std::move(pattern)), rate_(rate), nextId_(firstId) {}
    ~Feeder() { stop(); }
    void start() {
        thread_ = std::thread([this] {
            const auto begin = std::chrono::steady_clock::now();
            std::size_t sent = 0;
            while (!stop_) {
                const double elapsed =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
                const auto due = std::size_t(elapsed * rate_);
                std::vector<EvaluatedPoint> chunk;
                for (; sent < due; ++sent) {
                    EvaluatedPoint p = pattern_[sent % pattern_.size()];
                    p.id = nextId_++;
                    chunk.push_back(std::move(p));
                }
                {
                    std::lock_guard lock(mutex_);
                    for (auto& p : chunk)
                        buffer_.push_back(std::move(p));
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            sent_ = sent;
        });
    }
    void stop() {
        stop_ = true;
        if (thread_.joinable())
            thread_.join();
    }
    std::vector<EvaluatedPoint> take() {
        std::lock_guard lock(mutex_);
        std::vector<EvaluatedPoint> out;
        out.swap(buffer_);
        return out;
    }
    std::size_t sent() const { return sent_; }

private:
    std::vector<EvaluatedPoint> pattern_;
    double rate_;
    int nextId_;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<EvaluatedPoint> buffer_;
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> sent_{0};
};

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption secondsOption(QStringLiteral("seconds"),
                                           QStringLiteral("Length of each phase."),
                                           QStringLiteral("S"), QStringLiteral("10"));
    const QCommandLineOption rateOption(QStringLiteral("rate"),
                                        QStringLiteral("Designs per second in the stream phase."),
                                        QStringLiteral("N"), QStringLiteral("20000"));
    parser.addHelpOption();
    parser.addOptions({secondsOption, rateOption});
    parser.process(app);
    const int seconds = std::max(1, parser.value(secondsOption).toInt());
    const double rate = std::max(1000.0, parser.value(rateOption).toDouble());

    QTemporaryDir recovery;
    MainWindow::Options options;
    options.recoveryDirectory = recovery.path();
    MainWindow window(options);
    window.showView(MainWindow::View::Explore);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        std::fprintf(stderr, "bench_gui: the window was not shown\n");
    waitFor([&] { return window.qosUpToDate(); }, 5000, "the first estimate");
    ExplorationView* view = window.explorationView();
    TickProbe probe;
    ReplotProbe replots;
    replots.watch(view->fpsPlot()->plot());
    replots.watch(view->energyPlot()->plot());

    std::printf("platform %s, %d s per phase\n", qPrintable(QGuiApplication::platformName()),
                seconds);
    const EditTimes idle = editsWhile(window, 20, 20);
    std::printf("idle:   edit -> QoS median %.1f ms, worst %.1f ms\n", idle.median, idle.worst);

    // --- phase 1: the real search at its own rate
    view->setEvaluator(QStringLiteral("benchmark"));
    view->setBudget(100'000'000);
    SearchRunSummary summary;
    bool finished = false;
    QObject::connect(view, &ExplorationView::searchFinished,
                     [&](const SearchRunSummary& s) { summary = s, finished = true; });
    probe.start();
    view->start();
    QTest::qWait(seconds * 1000 / 2);
    const EditTimes duringSearch = editsWhile(window, 10, 50);
    QTest::qWait(seconds * 1000 / 2);
    probe.stop();
    const auto progress = view->runner()->latestProgress();
    QElapsedTimer stopClock;
    stopClock.start();
    view->stop();
    waitFor([&] { return finished; }, 10000, "the search to end");
    const double stopToGuiMs = double(stopClock.nsecsElapsed()) / 1e6;
    const double searchRate = progress ? progress->evaluations / progress->elapsedSeconds : 0;
    std::printf("search: %.0f designs/s, %d plotted; tick gap max %.1f ms, p99 %.1f ms "
                "(%zu ticks)\n",
                searchRate, view->fpsPlot()->pointCount(), probe.longest(), probe.percentile(0.99),
                probe.ticks());
    std::printf("        edit -> QoS median %.1f ms, worst %.1f ms\n", duringSearch.median,
                duringSearch.worst);
    std::printf("        stop -> worker end %.1f ms, -> finished on the GUI %.1f ms\n",
                summary.stopToEndMs, stopToGuiMs);
    if (summary.outcome) {
        // What the search does after a stop: the hypervolume of the front (twice: the
        // outcome's and the last progress report's).
        std::vector<Objectives> front;
        for (const auto& e : summary.outcome->archive.front())
            front.push_back(e.objectives);
        QElapsedTimer hv;
        hv.start();
        hypervolume3d(front, summary.outcome->reference);
        std::printf("        front %zu designs; one hypervolume3d of it %.1f ms\n", front.size(),
                    double(hv.nsecsElapsed()) / 1e6);
    }

    // --- phase 2: a stream past the search's rate, through the same path into the plots
    std::vector<EvaluatedPoint> pattern = summary.outcome->points;
    Feeder feeder(pattern, rate, int(pattern.size()));
    replots.reset();
    double ingestMs = 0, ingestLongest = 0;
    QTimer drain;
    drain.setInterval(100); // the view's own flush interval
    QObject::connect(&drain, &QTimer::timeout, [&] {
        QElapsedTimer ingest;
        ingest.start();
        view->addEvaluatedPoints(feeder.take());
        const double ms = double(ingest.nsecsElapsed()) / 1e6;
        ingestMs += ms;
        ingestLongest = std::max(ingestLongest, ms);
    });
    probe.start();
    QElapsedTimer streamClock;
    streamClock.start();
    feeder.start();
    drain.start();
    QTest::qWait(seconds * 1000 / 2);
    const EditTimes duringStream = editsWhile(window, 10, 50);
    QTest::qWait(seconds * 1000 / 2);
    feeder.stop();
    drain.stop();
    view->addEvaluatedPoints(feeder.take());
    probe.stop();
    const double streamSeconds = double(streamClock.nsecsElapsed()) / 1e9;
    std::printf("stream: %.0f designs/s offered, %zu sent; %d plotted in all; tick gap max "
                "%.1f ms, p99 %.1f ms (%zu ticks)\n",
                rate, feeder.sent(), view->fpsPlot()->pointCount(), probe.longest(),
                probe.percentile(0.99), probe.ticks());
    std::printf("        %.0f designs/s reached the plots\n",
                double(feeder.sent()) / streamSeconds);
    std::printf("        replots: %d, mean %.1f ms, longest %.1f ms; taking batches in: %.1f ms "
                "in all, longest %.1f ms\n",
                replots.count(), replots.mean(), replots.longest(), ingestMs, ingestLongest);
    std::printf("        edit -> QoS median %.1f ms, worst %.1f ms\n", duringStream.median,
                duringStream.worst);
    return 0;
}
