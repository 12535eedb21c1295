#pragma once

// A libtorch module built from a resolved core Graph: one parameter pair per layer with
// weights, in the layouts of reference::WeightSet, and a forward pass that follows
// Node::inputs (skips, concatenations) in float or at the design's fixed-point precision.
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"

#include <map>
#include <string>
#include <torch/nn/module.h>
#include <vector>

namespace codesign::train {

enum class Precision {
    Float, // plain float training and inference
    Fixed, // fake quantization of the input, weights and every layer output (QAT)
};

class GraphNet : public torch::nn::Module {
public:
    explicit GraphNet(Graph graph);

    const Graph& graph() const { return graph_; }
    // True when the network ends in bbox_head: forward() then stops before it.
    bool endsInBoxHead() const;

    Status setWeights(const reference::WeightSet& set);
    reference::WeightSet weightSet(const std::string& origin, std::uint64_t seed) const;
    // dL/dW of every layer with weights after a backward pass, by layer name, in the
    // layout of its weights (zeros where no gradient reached a layer).
    std::map<std::string, std::vector<float>> weightGradients() const;

    // The tensor a loss reads: the bbox_head's input map ([N, anchors*5, H, W]) for a
    // network ending in bbox_head, else the last layer's output.
    at::Tensor forward(const at::Tensor& input, Precision precision);

    // Every layer's output, bbox_head included ([N, 5, 1, 1]: x, y, w, h, confidence as
    // core/reference decodes them). For inference and checks.
    std::vector<at::Tensor> forwardAll(const at::Tensor& input, Precision precision);

    // Which layers Precision::Fixed quantizes (weights, biases and output), by node index;
    // empty (the default) = every layer and the input. For measuring what each layer's
    // quantization costs (bench/train_diagnostics); training never sets it.
    void setQuantizedLayers(std::vector<bool> layers, bool input);

private:
    at::Tensor runNode(std::size_t index, const std::vector<at::Tensor>& outputs,
                       const at::Tensor& input, Precision precision);
    std::vector<at::Tensor> run(const at::Tensor& input, Precision precision, std::size_t end,
                                bool keepAll);

    Graph graph_;
    std::vector<at::Tensor> weights_; // per node; undefined for layers without parameters
    std::vector<at::Tensor> biases_;
    std::vector<std::size_t> lastUse_; // the last node that reads each node's output
    std::vector<bool> quantized_;      // setQuantizedLayers; empty = all
    bool quantizeInput_ = true;
};

// bbox_head's decode of a map [N, anchors*5, H, W]: the most confident (row, column,
// anchor), ties broken as the reference breaks them (the tied entry nearest the ties'
// centroid, core/reference/bbox_choice.h), and its box as [N, 5] = centre x, centre y, width,
// height, confidence in fractions of the image. No quantization (the host's decode).
at::Tensor decodeHead(const at::Tensor& map, int anchors);

} // namespace codesign::train
