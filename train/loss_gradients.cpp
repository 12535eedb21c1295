#include "loss_gradients.h"

#include "graph_net.h"
#include "losses.h"
#include "trainer.h"

#include <ATen/ATen.h>
#include <algorithm>

namespace codesign::train {
namespace {

Status checkData(TrainTask task, const Graph& graph, const SampleSet& data) {
    if (!(data.shape == graph.input))
        return makeError("the data are " + formatShape(data.shape) + " images; the network takes " +
                         formatShape(graph.input));
    if (data.size() == 0)
        return makeError("the data hold no images");
    if (task == TrainTask::Classification)
        for (int label : data.labels)
            if (label < 0 || label >= graph.outputNode().out.c)
                return makeError("some images have no class label the network's output can "
                                 "take; classification needs one per image");
    return okStatus();
}

// Images [first, first + count) as a float batch in 0..1, their boxes and labels.
struct Batch {
    at::Tensor images, boxes, labels;
};

Batch makeBatch(const SampleSet& data, std::size_t first, std::size_t count) {
    const Shape& s = data.shape;
    const auto n = static_cast<std::int64_t>(count);
    Batch b;
    b.images =
        at::from_blob(const_cast<std::uint8_t*>(data.image(first)), {n, s.c, s.h, s.w}, at::kByte)
            .to(at::kFloat)
            .div_(255.0);
    std::vector<float> corners;
    std::vector<std::int64_t> labels;
    for (std::size_t i = first; i < first + count; ++i) {
        const Box& box = data.boxes[i];
        for (double v : {box.x1, box.y1, box.x2, box.y2})
            corners.push_back(static_cast<float>(v));
        labels.push_back(data.labels[i]);
    }
    b.boxes = at::from_blob(corners.data(), {n, 4}, at::kFloat).clone();
    b.labels = at::from_blob(labels.data(), {n}, at::kLong).clone();
    return b;
}

} // namespace

Result<LossGradients> lossGradients(const GradientRequest& request) {
    const Graph& graph = request.graph;
    Result<TrainTask> task = taskOf(graph);
    if (!task.ok())
        return task.error();
    if (request.batch < 1)
        return makeError("the batch must hold at least one image");
    RunControl control;
    Result<SampleSet> data = loadSamples(request.data, graph.input, control);
    if (!data.ok())
        return data.error();
    if (Status s = checkData(*task, graph, *data); !s.ok())
        return s.error();
    auto net = std::make_shared<GraphNet>(graph);
    if (Status s = net->setWeights(request.weights); !s.ok())
        return s.error();
    // The trainer's float loss, margin included (TrainOptions' default).
    const double margin = TrainOptions{}.choiceMarginSteps * choiceStep(graph);
    const int anchors = *task == TrainTask::Detection ? graph.outputNode().anchors : 0;
    const std::size_t size = std::max<std::size_t>(1, std::size_t(request.batch));
    const int batches = int((data->size() + size - 1) / size);
    LossGradients out;
    for (int b = 0; b < batches; ++b) {
        const std::size_t first = std::size_t(b) * size;
        const Batch batch = makeBatch(*data, first, std::min(size, data->size() - first));
        net->zero_grad();
        const at::Tensor map = net->forward(batch.images, Precision::Float);
        const at::Tensor loss = *task == TrainTask::Detection
                                    ? detectionLoss(map, batch.boxes, anchors, margin)
                                    : at::cross_entropy_loss(map.flatten(1), batch.labels);
        loss.backward();
        for (auto& [name, grad] : net->weightGradients())
            out.layers[name].push_back(std::move(grad));
        out.losses.push_back(loss.item<double>());
        if (request.progress)
            request.progress(b + 1, batches);
    }
    return out;
}

} // namespace codesign::train
