#pragma once

// Fast training of a core Graph on a SampleSet (docs/training.md): float epochs, then
// quantization-aware fine-tuning at the design's precision, optional distillation from a
// teacher, and the QoR measured on a validation split. No libtorch types in this header.
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"
#include "core/util/run_control.h"
#include "sample_set.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace codesign::train {

enum class TrainTask {
    Detection,      // the network ends in bbox_head: QoR is the mean IoU
    Classification, // it ends in a C x 1 x 1 output (fc, global pooling): top-1 accuracy
};
const char* metricName(TrainTask task); // "iou" or "accuracy"

// Which task a network is for; an error names what its last layer lacks.
Result<TrainTask> taskOf(const Graph& graph);

enum class OptimizerKind { Adam, Sgd };

// A teacher for knowledge distillation (the FuSeConv paper's NOS: train a student, e.g.
// with fuse layers, against the outputs of a depthwise teacher; docs/training.md).
struct TeacherSpec {
    Graph graph;                                 // same input and output shape as the student
    std::optional<reference::WeightSet> weights; // none: trained first with the same schedule
    double weight = 0.5;                         // loss = (1 - weight) * task + weight * distill
    double temperature = 4;                      // classification only
    // The student starts from the teacher's weights in every layer of the same name and
    // shape (the layers the FuSe transform kept), unless initial weights are given.
    bool inherit = true;
};

struct TrainOptions {
    int epochs = 20;    // float epochs
    int qatEpochs = -1; // fine-tuning epochs at the design's precision; -1: ceil(epochs/4)
    // 8, not 32: a fast training's few epochs need steps (256 images and 4 epochs give 104
    // Adam steps, not 28), and the activations kept for the backward pass shrink with it
    // (DNN-A at 160x360: 4.4 GB peak at 32). docs/training.md, "What made the QoR fall".
    int batch = 8;
    double learningRate = 0; // 0: 1e-3 for Adam, 1e-2 for SGD
    OptimizerKind optimizer = OptimizerKind::Adam;
    double momentum = 0.9; // SGD
    double weightDecay = 0;
    bool cosineSchedule = true; // learning rate decays to 0 over each phase
    // The QAT phase's learning rate over the float phase's. 1: a tenth left one QAT epoch
    // too weak to move the confidences apart by a step of the map's format.
    double qatLearningRateScale = 1.0;
    // The detection loss's margin, in steps of the format of the map bbox_head reads: the
    // best confidence inside the box must exceed every other by this many steps, so that
    // the map keeps its choice when stored at that format (0: no margin). Without it the
    // confidences around the object lie within one step and bbox_head takes the first of
    // the tied cells. docs/training.md, "Why QAT lost a third".
    double choiceMarginSteps = 2;
    double validationFraction = 0.2;
    std::uint64_t seed = 1;
    int threads = 0; // libtorch intra-op threads; 0: its default (one per core)
    std::optional<reference::WeightSet> initialWeights; // none: reference::seededWeights
    std::optional<TeacherSpec> teacher;

    int effectiveQatEpochs() const { return qatEpochs >= 0 ? qatEpochs : (epochs + 3) / 4; }
};

struct TrainProgress {
    std::string phase; // "teacher", "float", "qat"; "prepare": images being prepared
                       // (batch of batches images; from the data loaders, not the trainer)
    int epoch = 0;     // 1-based
    int epochs = 0;
    int batch = 0; // 1-based; 0 at the end of an epoch
    int batches = 0;
    double loss = 0;    // mean over the epoch so far
    double metric = -1; // validation metric at the end of an epoch, else -1
    double imagesPerSecond = 0;
};
using TrainProgressFn = std::function<void(const TrainProgress&)>;

struct EpochRecord {
    std::string phase;
    int epoch = 0;
    double loss = 0;
    double metric = 0;
};

// The teacher of a distillation run, as it taught.
struct TeacherReport {
    double metric = 0;       // validation, float (the teacher runs in float)
    bool trained = false;    // trained in this run (false: its weights were given)
    int inheritedLayers = 0; // student layers that started from the teacher's weights
};

struct TrainResult {
    TrainTask task = TrainTask::Detection;
    double metric = 0;          // validation; at the design's precision when QAT ran
    double metricFloat = 0;     // validation, float, after the float epochs
    double metricUntrained = 0; // validation, the initial weights, same precision as metric
    bool quantized = false;     // metric was measured at the design's precision
    int epochs = 0;
    int qatEpochs = 0;
    double imagesPerSecond = 0; // training steps only (forward, backward, update)
    std::size_t trainImages = 0;
    std::size_t validationImages = 0;
    reference::WeightSet weights; // origin "trained"
    std::vector<EpochRecord> history;
    std::optional<TeacherReport> teacher; // with a teacher only
};

// What trainNetwork checks before it starts: the task, the data against the network (size,
// count, labels), the options, the teacher. Errors here are the user's input.
Status checkTraining(const Graph& graph, const SampleSet& data, const TrainOptions& options);

// Trains; returns the error "cancelled" when control is stopped between two batches.
Result<TrainResult> trainNetwork(const Graph& graph, const SampleSet& data,
                                 const TrainOptions& options, RunControl& control,
                                 const TrainProgressFn& progress = {});

// Measures a network with given weights on all of `data` (no training).
Result<double> evaluateNetwork(const Graph& graph, const reference::WeightSet& weights,
                               const SampleSet& data, bool fixedPrecision);

} // namespace codesign::train
