#pragma once

// The bit-exact fixed-point reference of a network (docs/export.md, "Fixed-point
// arithmetic"). It is the golden model of the exported accelerator's testbench and the
// definition that quantization-aware training must match.
#include "core/model/graph.h"
#include "core/util/result.h"
#include "tensor.h"
#include "weight_set.h"

#include <cstdint>
#include <span>
#include <vector>

namespace codesign::reference {

// Fractional bits of the reciprocal that average pooling multiplies by.
inline constexpr int kReciprocalBits = 20;

// round(2^kReciprocalBits / n), ties up: exact for a power-of-two window.
std::int64_t averageReciprocal(std::int64_t windowSize);

// Fractional bits of leaky_relu's slope, and the slope as that raw value (round half away).
inline constexpr int kSlopeBits = 16;
std::int64_t leakySlopeRaw(double slope);

// The format of a layer's bias: the weights' width with the integer bits of the layer's
// output, never fewer than the weights' (docs/export.md, "Fixed-point arithmetic"). A bias
// is a term of the output, not a multiplier operand: batch-norm folding makes it many times
// the weights, and sharing their format would cost the weights that many bits. Its fraction
// is never more than the weights', so it moves into the accumulator by a left shift of
// biasShift(n) bits past the input's fraction: exact. bn's shift keeps the weight format.
FixedType biasFormat(const Node& n);
int biasShift(const Node& n); // fracBits(n.weights) - fracBits(biasFormat(n)), >= 0

// A layer's weights as raw values of the layer's weight format, its bias (bn: shift) as raw
// values of biasFormat.
struct QuantizedLayer {
    std::vector<std::int64_t> weights;
    std::vector<std::int64_t> bias;
};
// Indexed like Graph::nodes; empty for layers without parameters.
std::vector<QuantizedLayer> quantizeWeights(const Graph& graph, const WeightSet& set);

// The format of the network input: the activation format of the first layer.
FixedType inputFormat(const Graph& graph);
FixedTensor quantizeInput(const Graph& graph, std::span<const double> values);

// The formats must leave room for exact 64-bit accumulation; names the first layer that
// does not (for example 32-bit weights times 32-bit activations).
Status checkReferenceLimits(const Graph& graph);

// Runs the network; element i of the result is node i's output in its activation format.
Result<std::vector<FixedTensor>> runReference(const Graph& graph, const WeightSet& set,
                                              const FixedTensor& input);
std::vector<FixedTensor> runReference(const Graph& graph,
                                      const std::vector<QuantizedLayer>& weights,
                                      const FixedTensor& input);

} // namespace codesign::reference
