#pragma once

// QoR by real fast training (docs/training.md, "The torch QoR evaluator"): each design is
// trained on the data set and its validation IoU or accuracy at the design's precision is
// its QoR. Trained weights are written to <project>.codesign/weights/<design hash>.bin.
// Wrap it in a CachedQorEvaluator so that no design is trained twice, across runs.
#include "core/qor/qor_evaluator.h"
#include "core/util/result.h"
#include "sample_set.h"
#include "trainer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace codesign::train {

struct TorchQorOptions {
    TrainOptions train;
    DataSpec data;
    // The seed's fast training: each design trains at this share of its input resolution
    // (fast_training.h). Below 1 the QoR ranks designs and no weights are written: they
    // belong to the smaller network.
    double resolution = 1;
    std::string weightsDir; // empty: projectDataDir(project file)/weights
    // Optional detail beyond QorProgress: each design's epochs and batches, and the images
    // being prepared (phase "prepare"). `design` counts the designs this evaluator has
    // started to train, from 1 (cache hits never reach it).
    std::function<void(int design, const std::string& designHash, const TrainProgress&)> progress;
};

class TorchQorEvaluator : public QorEvaluator {
public:
    // Reads the data set's annotations now (bad input shows before a search starts).
    static Result<std::unique_ptr<TorchQorEvaluator>> create(TorchQorOptions options);

    std::string name() const override { return "torch"; }
    std::vector<QorValue> evaluate(std::span<const QorQuery> batch, RunControl& control,
                                   const QorProgress& progress = {}) override;

    // Designs trained so far by this evaluator (cache hits never reach it).
    int trainedDesigns() const { return trained_; }

private:
    explicit TorchQorEvaluator(TorchQorOptions options) : options_(std::move(options)) {}
    QorValue evaluateOne(const QorQuery& query, RunControl& control);
    Result<const SampleSet*> samplesFor(const Shape& input, RunControl& control,
                                        const PrepareProgress& prepared);

    TorchQorOptions options_;
    std::optional<ImageList> list_;      // the data set's files, read once
    std::unique_ptr<SampleSet> samples_; // prepared for the last input shape asked for
    int trained_ = 0;
    int started_ = 0; // designs this evaluator began to train, for progress
};

// The factory `codesign explore --qor torch` calls.
Result<std::unique_ptr<QorEvaluator>> makeTorchQorEvaluator(const TorchQorOptions& options);

// Where a design's trained weights go: `weightsDir` if set, else beside the project file;
// empty when neither is known.
std::string weightsPathFor(const std::string& weightsDir, const Project& project,
                           const std::string& designHash);

} // namespace codesign::train
