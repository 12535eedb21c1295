#include "trainer.h"

#include "core/util/splitmix64.h"
#include "fake_quant.h"
#include "graph_net.h"
#include "losses.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

namespace codesign::train {
namespace {

using Clock = std::chrono::steady_clock;

Status checkData(TrainTask task, const Graph& graph, const SampleSet& data) {
    if (!(data.shape == graph.input))
        return makeError("the data are " + formatShape(data.shape) + " images; the network takes " +
                         formatShape(graph.input));
    if (data.size() < 2)
        return makeError("training needs at least 2 images (one to train on, one to validate)");
    if (task == TrainTask::Classification) {
        for (int label : data.labels)
            if (label < 0)
                return makeError("some images have no class label; classification needs one "
                                 "per image (the CSV's sixth column, the XML's <name>)");
        const int outputs = graph.outputNode().out.c;
        if (static_cast<int>(data.classNames.size()) > outputs)
            return makeError("the data have " + std::to_string(data.classNames.size()) +
                             " classes; the network's output has only " + std::to_string(outputs));
    }
    return okStatus();
}

// The data as tensors: all images as one 8-bit tensor (no copy), targets beside it.
class Batches {
public:
    explicit Batches(const SampleSet& data) {
        const Shape& s = data.shape;
        const auto n = static_cast<std::int64_t>(data.size());
        // from_blob wants a mutable pointer; the tensor is only read.
        images_ = at::from_blob(const_cast<std::uint8_t*>(data.pixels.data()), {n, s.c, s.h, s.w},
                                at::kByte);
        std::vector<float> corners;
        for (const Box& b : data.boxes)
            for (double v : {b.x1, b.y1, b.x2, b.y2})
                corners.push_back(static_cast<float>(v));
        boxes_ = at::from_blob(corners.data(), {n, 4}, at::kFloat).clone();
        std::vector<std::int64_t> labels(data.labels.begin(), data.labels.end());
        labels_ = at::from_blob(labels.data(), {n}, at::kLong).clone();
    }
    at::Tensor images(const at::Tensor& index) const {
        return images_.index_select(0, index).to(at::kFloat).div_(255.0);
    }
    at::Tensor boxes(const at::Tensor& index) const { return boxes_.index_select(0, index); }
    at::Tensor labels(const at::Tensor& index) const { return labels_.index_select(0, index); }

private:
    at::Tensor images_;
    at::Tensor boxes_;
    at::Tensor labels_;
};

at::Tensor indexTensor(const std::vector<std::int64_t>& v, std::size_t first, std::size_t count) {
    return at::from_blob(const_cast<std::int64_t*>(v.data() + first),
                         {static_cast<std::int64_t>(count)}, at::kLong)
        .clone();
}

struct Split {
    std::vector<std::int64_t> train;
    std::vector<std::int64_t> validation;
};

Split splitData(std::size_t count, double fraction, std::uint64_t seed) {
    std::vector<std::int64_t> order(count);
    for (std::size_t i = 0; i < count; ++i)
        order[i] = static_cast<std::int64_t>(i);
    SplitMix64(seed ^ 0x73706c6974ULL).shuffle(order); // "split"
    auto val = static_cast<std::size_t>(std::lround(fraction * static_cast<double>(count)));
    val = std::clamp<std::size_t>(val, 1, count - 1);
    Split s;
    s.validation.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(val));
    s.train.assign(order.begin() + static_cast<std::ptrdiff_t>(val), order.end());
    return s;
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(GraphNet& net, const TrainOptions& o,
                                                       double lr) {
    if (o.optimizer == OptimizerKind::Sgd)
        return std::make_unique<torch::optim::SGD>(
            net.parameters(),
            torch::optim::SGDOptions(lr).momentum(o.momentum).weight_decay(o.weightDecay));
    return std::make_unique<torch::optim::Adam>(
        net.parameters(), torch::optim::AdamOptions(lr).weight_decay(o.weightDecay));
}

double baseLearningRate(const TrainOptions& o) {
    if (o.learningRate > 0)
        return o.learningRate;
    return o.optimizer == OptimizerKind::Sgd ? 1e-2 : 1e-3;
}

// One network being trained: its epochs, its validation.
class Session {
public:
    Session(const Graph& graph, TrainTask task, const Batches& batches, const Split& split,
            const TrainOptions& options, RunControl& control, const TrainProgressFn& progress)
        : net_(std::make_shared<GraphNet>(graph)), task_(task), batches_(batches), split_(split),
          options_(options), control_(control), progress_(progress) {
        if (task_ == TrainTask::Detection) {
            anchors_ = graph.outputNode().anchors;
            margin_ = options.choiceMarginSteps * choiceStep(graph);
        }
    }

    GraphNet& net() { return *net_; }

    // The boxes bbox_head gives, as deployed: at fixed precision quantized to the head's
    // format (the exported host decode is the reference's, docs/export.md).
    at::Tensor decodeBoxes(const at::Tensor& map, Precision precision) const {
        if (precision == Precision::Float)
            return decodeHead(map, anchors_);
        const Node& head = net_->graph().outputNode();
        return quantizeValues(decodeHead(map.to(at::kDouble), anchors_), head.activations,
                              head.quant)
            .to(map.scalar_type());
    }

    double evaluate(Precision precision) { return measure(split_.validation, precision); }

    double measure(const std::vector<std::int64_t>& indices, Precision precision) {
        at::NoGradGuard noGrad;
        double total = 0;
        const auto batch = static_cast<std::size_t>(std::max(1, options_.batch));
        for (std::size_t first = 0; first < indices.size(); first += batch) {
            const std::size_t count = std::min(batch, indices.size() - first);
            const at::Tensor index = indexTensor(indices, first, count);
            const at::Tensor out = net_->forward(batches_.images(index), precision);
            if (task_ == TrainTask::Detection) {
                const at::Tensor boxes = centreToCorners(decodeBoxes(out, precision));
                total += pairIou(boxes, batches_.boxes(index)).sum().item<double>();
            } else {
                const at::Tensor predicted = out.flatten(1).argmax(1);
                total += predicted.eq(batches_.labels(index)).sum().item<double>();
            }
        }
        return indices.empty() ? 0.0 : total / static_cast<double>(indices.size());
    }

    // Runs `epochs` epochs; returns the error "cancelled" or "diverged" when they stop early.
    Status runPhase(const std::string& phase, int epochs, Precision precision, double lr,
                    GraphNet* teacher, std::vector<EpochRecord>& history) {
        if (epochs <= 0)
            return okStatus();
        std::unique_ptr<torch::optim::Optimizer> optimizer = makeOptimizer(*net_, options_, lr);
        const auto batch = static_cast<std::size_t>(std::max(1, options_.batch));
        const std::size_t batchesPerEpoch = (split_.train.size() + batch - 1) / batch;
        const std::size_t totalSteps = batchesPerEpoch * static_cast<std::size_t>(epochs);
        std::vector<std::int64_t> order = split_.train;
        std::size_t step = 0;
        double phaseImages = 0;
        double phaseSeconds = 0;
        for (int epoch = 1; epoch <= epochs; ++epoch) {
            SplitMix64(options_.seed ^ (fnv1a(phase) + static_cast<std::uint64_t>(epoch)))
                .shuffle(order);
            double lossSum = 0;
            std::size_t lossImages = 0;
            for (std::size_t b = 0; b < batchesPerEpoch; ++b, ++step) {
                if (!control_.waitWhilePaused() || control_.stopRequested())
                    return makeError("cancelled");
                if (options_.cosineSchedule)
                    setLearningRate(*optimizer, lr * 0.5 *
                                                    (1 + std::cos(std::numbers::pi * double(step) /
                                                                  double(totalSteps))));
                const std::size_t first = b * batch;
                const std::size_t count = std::min(batch, order.size() - first);
                const auto start = Clock::now();
                const double loss =
                    trainStep(*optimizer, indexTensor(order, first, count), precision, teacher);
                phaseSeconds += std::chrono::duration<double>(Clock::now() - start).count();
                if (!std::isfinite(loss))
                    return makeError("training diverged (the loss became " + std::to_string(loss) +
                                     " in " + phase + " epoch " + std::to_string(epoch) +
                                     "); try a lower learning rate");
                lossSum += loss * static_cast<double>(count);
                lossImages += count;
                phaseImages += static_cast<double>(count);
                imagesTrained_ += static_cast<double>(count);
                if (progress_)
                    progress_({phase, epoch, epochs, static_cast<int>(b + 1),
                               static_cast<int>(batchesPerEpoch),
                               lossSum / static_cast<double>(lossImages), -1,
                               phaseImages / std::max(phaseSeconds, 1e-9)});
            }
            const double metric = evaluate(precision);
            const double meanLoss =
                lossSum / static_cast<double>(std::max<std::size_t>(1, lossImages));
            history.push_back({phase, epoch, meanLoss, metric});
            if (progress_)
                progress_({phase, epoch, epochs, 0, static_cast<int>(batchesPerEpoch), meanLoss,
                           metric, phaseImages / std::max(phaseSeconds, 1e-9)});
        }
        trainSeconds_ += phaseSeconds;
        return okStatus();
    }

    double imagesPerSecond() const {
        return trainSeconds_ > 0 ? imagesTrained_ / trainSeconds_ : 0.0;
    }

private:
    static void setLearningRate(torch::optim::Optimizer& optimizer, double lr) {
        for (auto& group : optimizer.param_groups())
            group.options().set_lr(lr);
    }

    double trainStep(torch::optim::Optimizer& optimizer, const at::Tensor& index,
                     Precision precision, GraphNet* teacher) {
        const at::Tensor images = batches_.images(index);
        optimizer.zero_grad();
        const at::Tensor out = net_->forward(images, precision);
        at::Tensor loss = task_ == TrainTask::Detection
                              ? detectionLoss(out, batches_.boxes(index), anchors_, margin_)
                              : at::cross_entropy_loss(out.flatten(1), batches_.labels(index));
        if (teacher) {
            at::Tensor target;
            {
                at::NoGradGuard noGrad;
                target = teacher->forward(images, Precision::Float);
            }
            const double w = options_.teacher->weight;
            loss = (1 - w) * loss + w * distillationLoss(out, target,
                                                         task_ == TrainTask::Classification,
                                                         options_.teacher->temperature);
        }
        loss.backward();
        optimizer.step();
        return loss.item<double>();
    }

    std::shared_ptr<GraphNet> net_;
    TrainTask task_;
    int anchors_ = 0;
    double margin_ = 0; // the detection loss's choice margin, in confidence units
    const Batches& batches_;
    const Split& split_;
    const TrainOptions& options_;
    RunControl& control_;
    const TrainProgressFn& progress_;
    double imagesTrained_ = 0;
    double trainSeconds_ = 0;
};

Status checkTeacher(const TeacherSpec& teacher, const Graph& student) {
    if (!(teacher.graph.input == student.input))
        return makeError("the teacher takes " + formatShape(teacher.graph.input) +
                         " inputs; the student takes " + formatShape(student.input));
    const Result<TrainTask> task = taskOf(teacher.graph);
    if (!task.ok())
        return makeError("teacher: " + task.error().message);
    auto lossInput = [](const Graph& g) {
        const Node& last = g.outputNode();
        return last.op == Op::BboxHead && last.inputs.front() >= 0
                   ? g.nodes[static_cast<std::size_t>(last.inputs.front())].out
                   : last.out;
    };
    if (!(lossInput(teacher.graph) == lossInput(student)))
        return makeError("the teacher's output is " + formatShape(lossInput(teacher.graph)) +
                         ", the student's " + formatShape(lossInput(student)) +
                         "; distillation needs the same");
    if (teacher.weight < 0 || teacher.weight > 1)
        return makeError("the distillation weight must lie between 0 and 1");
    return okStatus();
}

} // namespace

const char* metricName(TrainTask task) {
    return task == TrainTask::Detection ? "iou" : "accuracy";
}

Result<TrainTask> taskOf(const Graph& graph) {
    if (graph.nodes.empty())
        return makeError("the network has no layers");
    const Node& last = graph.outputNode();
    if (last.op == Op::BboxHead)
        return TrainTask::Detection;
    if (last.out.h == 1 && last.out.w == 1 && last.out.c >= 2)
        return TrainTask::Classification;
    return makeError("the network ends in " + std::string(opName(last.op)) + " with a " +
                         formatShape(last.out) +
                         " output; training needs a bbox_head (detection) or a Cx1x1 output "
                         "such as fc or global_avgpool (classification)",
                     last.pos, last.name);
}

Status checkTraining(const Graph& graph, const SampleSet& data, const TrainOptions& options) {
    const Result<TrainTask> task = taskOf(graph);
    if (!task.ok())
        return task.error();
    if (Status s = checkData(*task, graph, data); !s.ok())
        return s;
    if (options.epochs < 0 || options.batch < 1)
        return makeError("epochs must be 0 or more and the batch at least 1");
    if (options.validationFraction <= 0 || options.validationFraction >= 1)
        return makeError("the validation fraction must lie strictly between 0 and 1");
    if (options.teacher)
        if (Status s = checkTeacher(*options.teacher, graph); !s.ok())
            return s;
    return okStatus();
}

Result<TrainResult> trainNetwork(const Graph& graph, const SampleSet& data,
                                 const TrainOptions& options, RunControl& control,
                                 const TrainProgressFn& progress) {
    if (Status s = checkTraining(graph, data, options); !s.ok())
        return s.error();
    const Result<TrainTask> task = taskOf(graph);
    if (options.threads > 0)
        at::set_num_threads(options.threads);

    const Batches batches(data);
    const Split split = splitData(data.size(), options.validationFraction, options.seed);
    const double lr = baseLearningRate(options);
    TrainResult result;
    result.task = *task;
    result.trainImages = split.train.size();
    result.validationImages = split.validation.size();
    const int qatEpochs = options.effectiveQatEpochs();
    result.quantized = qatEpochs > 0;
    const Precision finalPrecision = result.quantized ? Precision::Fixed : Precision::Float;

    // The teacher, trained first unless its weights are given.
    std::unique_ptr<Session> teacher;
    if (options.teacher) {
        teacher = std::make_unique<Session>(options.teacher->graph, *task, batches, split, options,
                                            control, progress);
        const reference::WeightSet init =
            options.teacher->weights
                ? *options.teacher->weights
                : reference::seededWeights(options.teacher->graph, options.seed);
        if (Status s = teacher->net().setWeights(init); !s.ok())
            return makeError("teacher weights: " + s.error().format());
        if (!options.teacher->weights)
            if (Status s = teacher->runPhase("teacher", options.epochs, Precision::Float, lr,
                                             nullptr, result.history);
                !s.ok())
                return s.error();
    }

    Session student(graph, *task, batches, split, options, control, progress);
    reference::WeightSet init = options.initialWeights
                                    ? *options.initialWeights
                                    : reference::seededWeights(graph, options.seed);
    if (teacher) {
        TeacherReport report;
        report.metric = teacher->evaluate(Precision::Float);
        report.trained = !options.teacher->weights;
        if (options.teacher->inherit && !options.initialWeights)
            report.inheritedLayers = reference::copyMatchingLayers(
                teacher->net().weightSet("trained", options.seed), init);
        result.teacher = report;
    }
    if (Status s = student.net().setWeights(init); !s.ok())
        return s.error();
    result.metricUntrained = student.evaluate(finalPrecision);

    GraphNet* teacherNet = teacher ? &teacher->net() : nullptr;
    if (Status s = student.runPhase("float", options.epochs, Precision::Float, lr, teacherNet,
                                    result.history);
        !s.ok())
        return s.error();
    result.metricFloat = student.evaluate(Precision::Float);
    if (Status s = student.runPhase("qat", qatEpochs, Precision::Fixed,
                                    lr * options.qatLearningRateScale, teacherNet, result.history);
        !s.ok())
        return s.error();
    result.metric = result.quantized ? student.evaluate(Precision::Fixed) : result.metricFloat;
    result.epochs = options.epochs;
    result.qatEpochs = qatEpochs;
    result.imagesPerSecond = student.imagesPerSecond();
    result.weights = student.net().weightSet("trained", options.seed);
    return result;
}

Result<double> evaluateNetwork(const Graph& graph, const reference::WeightSet& weights,
                               const SampleSet& data, bool fixedPrecision) {
    const Result<TrainTask> task = taskOf(graph);
    if (!task.ok())
        return task.error();
    if (Status s = checkData(*task, graph, data); !s.ok())
        return s.error();
    const Batches batches(data);
    Split all;
    for (std::size_t i = 0; i < data.size(); ++i)
        all.validation.push_back(static_cast<std::int64_t>(i));
    TrainOptions options;
    RunControl control;
    TrainProgressFn none;
    Session session(graph, *task, batches, all, options, control, none);
    if (Status s = session.net().setWeights(weights); !s.ok())
        return s.error();
    return session.evaluate(fixedPrecision ? Precision::Fixed : Precision::Float);
}

} // namespace codesign::train
