#pragma once

// The loss gradients the low-rank transform's Taylor rank selection reads
// (core/transform/taylor_ranks.h, docs/transforms.md "Ranks from the loss"): dL/dW of every
// layer with weights, for the float network, one array per batch. The loss is the one the
// trainer trains the network's task with (docs/training.md): the detection loss for a
// network ending in bbox_head, cross-entropy for a classifier. No libtorch types here.
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"
#include "sample_set.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace codesign::train {

struct GradientRequest {
    Graph graph;
    reference::WeightSet weights;
    DataSpec data; // its images, at most data.maxImages of them (0: all)
    int batch = 8; // images per batch (the last batch may hold fewer)
    std::function<void(int done, int total)> progress; // batches
};

// Layer name -> one dL/dW per batch (transform::LayerGradients has this type).
using GradientMap = std::map<std::string, std::vector<std::vector<float>>>;

struct LossGradients {
    GradientMap layers;
    std::vector<double> losses; // the loss of each batch
};

// Errors: the data (unreadable, the wrong size, too few images, no labels for a
// classifier), the network's task, the weights not fitting.
Result<LossGradients> lossGradients(const GradientRequest& request);

} // namespace codesign::train
