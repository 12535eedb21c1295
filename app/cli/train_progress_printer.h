#pragma once

// Training progress on stderr for `codesign train` and `codesign explore --qor torch`
// (docs/training.md, "Progress"): a line at each epoch's end, and the batch counter at most
// once a second (on a terminal, rewritten in place up to four times a second), so that a
// long epoch shows it is moving without flooding a log.
#include "train/trainer.h"

#include <chrono>
#include <string>

namespace codesign::cli {

class TrainProgressPrinter {
public:
    // metric: "IoU" or "accuracy"; live: rewrite one line in place (a terminal).
    TrainProgressPrinter(const char* metric, bool live);

    // A design's training, `prefix` before every line (explore: "design 3 (hash): ").
    void show(const train::TrainProgress& p, const std::string& prefix = {});
    // Leaves a rewritten line, if one is showing, so that the next output starts clean.
    void finishLine();

private:
    bool due(double interval);

    const char* metric_;
    bool live_;
    bool lineOpen_ = false;
    std::chrono::steady_clock::time_point last_{};
    bool shownOnce_ = false;
};

} // namespace codesign::cli
