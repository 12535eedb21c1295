#pragma once

#include "../util/result.h"
#include "project.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign {

struct Shape {
    int c = 0;
    int h = 0;
    int w = 0;
    std::int64_t elements() const { return std::int64_t(c) * h * w; }
    friend bool operator==(const Shape&, const Shape&) = default;
};

std::string formatShape(const Shape& s); // "48x80x180"

// One layer with everything resolved: defaults applied, shapes inferred, precision chosen.
struct Node {
    std::string name;
    Op op = Op::Relu;
    int kernelH = 1;
    int kernelW = 1;
    int stride = 1;
    int padH = 0; // zero padding above and below
    int padW = 0; // and left and right
    int groups = 1;
    int factor = 1;
    int anchors = 2;
    FuseVariant variant = FuseVariant::Half;
    bool bias = true;
    std::vector<int> inputs; // node indices; -1 is the network input
    Shape in;                // shape of the first input
    Shape out;
    std::int64_t macs = 0;
    std::int64_t params = 0;
    FixedType weights;
    FixedType activations;
    QuantMode quant;
    int group = 0; // index into Graph::groups
    SourcePos pos;
};

// Layers that execute together: one bundle instance (on-chip between its layers), or one
// single layer of the network list.
struct ExecGroup {
    std::string name;   // "B1", "L4"
    std::string bundle; // bundle definition name, empty for a single layer
    int first = 0;      // node range [first, last]
    int last = 0;
};

struct Graph {
    Shape input;              // after resize
    Shape source;             // the image before resize (the host decodes and resizes it)
    FixedType defaultWeights; // the project's formats (layers may override them)
    FixedType defaultActivations;
    std::vector<Node> nodes;
    std::vector<ExecGroup> groups;
    std::int64_t totalMacs = 0;
    std::int64_t totalParams = 0;

    const Node& outputNode() const { return nodes.back(); }
    int findNode(const std::string& name) const; // -1 when absent
};

// Expands bundles, resolves ids, infers every shape and counts MACs and parameters.
// Errors name the layer and point at where it was written.
Result<Graph> buildGraph(const Project& project);
// The same; when the project does not build, `resolved` (unless null) receives the groups
// completed before the error, with their shapes (the GUI shows them for the entries that
// resolved). Its totals are not counted.
Result<Graph> buildGraph(const Project& project, Graph* resolved);

} // namespace codesign
