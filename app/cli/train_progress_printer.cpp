#include "train_progress_printer.h"

#include <cstdio>

namespace codesign::cli {

TrainProgressPrinter::TrainProgressPrinter(const char* metric, bool live)
    : metric_(metric), live_(live) {}

bool TrainProgressPrinter::due(double interval) {
    const auto now = std::chrono::steady_clock::now();
    if (shownOnce_ && std::chrono::duration<double>(now - last_).count() < interval)
        return false;
    shownOnce_ = true;
    last_ = now;
    return true;
}

void TrainProgressPrinter::show(const train::TrainProgress& p, const std::string& prefix) {
    // On a terminal, clear the line first: it may hold a batch counter or explore's bar.
    const char* lead = live_ ? "\r\033[K" : "";
    if (p.phase == "prepare") {
        if (p.batch < p.batches && !due(live_ ? 0.25 : 1.0))
            return;
        std::fprintf(stderr, "%s%spreparing images %d/%d%s", lead, prefix.c_str(), p.batch,
                     p.batches, live_ && p.batch < p.batches ? " " : "\n");
        lineOpen_ = live_ && p.batch < p.batches;
    } else if (p.batch > 0) {
        if (!due(live_ ? 0.25 : 1.0))
            return;
        std::fprintf(stderr, "%s%s%-7s epoch %d/%d  batch %d/%d  loss %.4f  %.0f images/s%s", lead,
                     prefix.c_str(), p.phase.c_str(), p.epoch, p.epochs, p.batch, p.batches, p.loss,
                     p.imagesPerSecond, live_ ? " " : "\n");
        lineOpen_ = live_;
    } else {
        std::fprintf(stderr,
                     "%s%s%-7s epoch %d/%d  loss %.4f  validation %s %.1f %%  %.0f images/s\n",
                     lead, prefix.c_str(), p.phase.c_str(), p.epoch, p.epochs, p.loss, metric_,
                     100 * p.metric, p.imagesPerSecond);
        lineOpen_ = false;
    }
    std::fflush(stderr);
}

void TrainProgressPrinter::finishLine() {
    if (lineOpen_)
        std::fprintf(stderr, "\n");
    lineOpen_ = false;
}

} // namespace codesign::cli
