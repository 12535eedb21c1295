#pragma once

// Float weights for every layer of a graph that has parameters, and their file format.
// An export writes the set it used (model/weights.bin), so the HLS weights, the golden
// vectors and the PyTorch / ONNX models all come from one source.
#include "core/model/graph.h"
#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codesign::reference {

// Layouts (PyTorch's): conv [Cout][Cin/groups][Kh][Kw], dwconv [C][Kh][Kw], pwconv
// [Cout][Cin], fc [Cout][C*H*W] (input flattened channel-major), fuse [Cout][K] (see
// docs/export.md for which channels run 1xK and which Kx1), bn: weights = scale [C],
// bias = shift [C]. `bias` is empty for a layer written with bias: false.
struct LayerWeights {
    std::string name; // the node's name, e.g. "B1.pwconv"
    std::vector<float> weights;
    std::vector<float> bias;
};

struct WeightSet {
    std::string origin = "seeded"; // "seeded" (deterministic initial weights) or "trained"
    std::uint64_t seed = 0;
    std::vector<LayerWeights> layers; // nodes with parameters, in graph order

    const LayerWeights* find(std::string_view name) const;
};

// Element counts a node's weights and bias must have (0, 0 for ops without parameters).
struct WeightCounts {
    std::int64_t weights = 0;
    std::int64_t bias = 0;
};
WeightCounts weightCounts(const Node& node);
bool nodeHasParameters(const Node& node);
// Products one output of the layer sums (its fan-in, the reduction length); 1 for layers
// without weights.
std::int64_t fanIn(const Node& node);

// Deterministic initial weights: the same graph and seed give the same floats on every
// platform (an integer generator, no <random> distributions). Each layer's stream depends
// on its name only, so editing one layer leaves the others' weights as they were.
WeightSet seededWeights(const Graph& graph, std::uint64_t seed);

// A deterministic input image in [0, 1), channel-major.
std::vector<double> seededInput(const Shape& shape, std::uint64_t seed);

// Copies into `to` every layer of `from` that has the same name and the same weight and bias
// counts; returns how many. A FuSe network (core/model/transforms) keeps the names of the
// layers the transform did not change, so it can start from its depthwise original's trained
// weights (NOS training, docs/training.md).
int copyMatchingLayers(const WeightSet& from, WeightSet& to);

// Checks that `set` has every parameterised layer of `graph` with the right counts.
Status checkWeightsFit(const WeightSet& set, const Graph& graph);

// The binary file (little-endian; docs/export.md, "weights.bin"):
//   "CSWEIGHT" u32 version=1 u32 layers u64 seed u32 len origin
//   per layer: u32 len name u64 nWeights u64 nBias f32[nWeights] f32[nBias]
std::string serializeWeightSet(const WeightSet& set);
Result<WeightSet> parseWeightSet(std::string_view bytes);
// parseWeightSet of a file; errors name the file.
Result<WeightSet> readWeightSetFile(const std::string& path);

} // namespace codesign::reference
