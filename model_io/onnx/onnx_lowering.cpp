#include "onnx_lowering.h"

#include "core/model/shape_rules.h"
#include "onnx_tensor.h"

#include <algorithm>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <onnx/onnx_pb.h>
#include <optional>

namespace codesign::modelio {
namespace {

// A problem of the file itself: the import stops with it.
struct FileError {
    std::string message;
};
// A node or attribute without a project form: listed, and the import goes on to list more.
struct Unmapped {
    std::string reason;
};

// What an ONNX tensor is to the reader. Features are data of a layer (or the network's
// input); the pending kinds are the first steps of a pattern that only one next op can
// finish (a Pad that a conv takes, the 5-D view of a channel shuffle, ...).
enum class Kind { Feature, Constant, Poisoned, Pad, Grouped, Swapped, Split6, Moved6 };

struct Value {
    Kind kind = Kind::Poisoned;
    int layer = -1;     // the layer holding the data; -1 is the network's input
    Shape shape;        // that data's C x H x W
    int rank = 4;       // a feature's ONNX rank: 4 (N C H W), or 2 once flattened (N, C*H*W)
    bool direct = true; // the layer's own output (not a reshaped view): a fold may change it
    std::shared_ptr<const ConstTensor> constant;
    const onnx::TensorProto* proto = nullptr; // an initializer, decoded on first use
    std::vector<int> pads;                    // Kind::Pad: top, left, bottom, right
    int factor = 0;                           // shuffle groups, or the reorg factor
};

std::string dimsText(const std::vector<std::int64_t>& dims) {
    std::string s = "[";
    for (std::size_t i = 0; i < dims.size(); ++i)
        s += (i ? ", " : "") + std::to_string(dims[i]);
    return s + "]";
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// A float attribute as the shortest decimal that reads back to the same float: 0.1f is
// written 0.1, not 0.10000000149011612.
double shortest(double value) {
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<float>(value));
    return ec == std::errc() ? std::strtod(std::string(buf, end).c_str(), nullptr) : value;
}

bool isWeighted(Op op) {
    return op == Op::Conv || op == Op::DwConv || op == Op::PwConv || op == Op::Fc;
}

class Lowering {
public:
    Lowering(const onnx::ModelProto& model, const ImportOptions& options)
        : model_(model), graph_(model.graph()), options_(options) {}

    Lowered run() {
        readOpset();
        for (const onnx::TensorProto& t : graph_.initializer()) {
            Value v;
            v.kind = Kind::Constant;
            v.proto = &t;
            values_[t.name()] = v;
        }
        countUses();
        readInput();
        out_.sourceNodes = graph_.node_size();
        for (int i = 0; i < graph_.node_size(); ++i)
            lowerNode(graph_.node(i), i);
        readOutputs();
        return std::move(out_);
    }

private:
    // ---- the file ---------------------------------------------------------------------

    void readOpset() {
        bool found = false;
        for (const onnx::OperatorSetIdProto& o : model_.opset_import())
            if (o.domain().empty() || o.domain() == "ai.onnx") {
                opset_ = o.version();
                found = true;
            }
        if (!found)
            throw FileError{"the model imports no version of the standard ONNX operators"};
        if (opset_ < 7 || opset_ > 18)
            throw FileError{"the model uses ONNX opset " + std::to_string(opset_) +
                            "; the reader takes opsets 7 to 18 (PyTorch exports 11 to 17)"};
    }

    void countUses() {
        for (int i = 0; i < graph_.node_size(); ++i)
            for (const std::string& in : graph_.node(i).input())
                consumers_[in].push_back(i);
        for (const onnx::ValueInfoProto& o : graph_.output())
            ++outputUses_[o.name()];
    }

    // Consumers of a tensor, looking through Identity and Dropout.
    int effectiveUses(const std::string& name, int depth = 0) const {
        if (depth > 64)
            return 2; // a long alias chain: assume shared
        int uses = 0;
        if (auto it = outputUses_.find(name); it != outputUses_.end())
            uses += it->second;
        if (auto it = consumers_.find(name); it != consumers_.end())
            for (int c : it->second) {
                const onnx::NodeProto& n = graph_.node(c);
                const bool alias = (n.op_type() == "Identity" || n.op_type() == "Dropout") &&
                                   n.input_size() > 0 && n.input(0) == name && n.output_size() > 0;
                uses += alias ? effectiveUses(n.output(0), depth + 1) : 1;
            }
        return uses;
    }

    void readInput() {
        const onnx::ValueInfoProto* input = nullptr;
        for (const onnx::ValueInfoProto& v : graph_.input()) {
            if (values_.count(v.name()))
                continue; // an initializer listed as an input (IR version 3)
            if (input)
                throw FileError{"the model has more than one input ('" + input->name() + "', '" +
                                v.name() + "'); a project takes one image"};
            input = &v;
        }
        if (!input)
            throw FileError{"the model has no input"};
        const auto& type = input->type();
        if (!type.has_tensor_type() ||
            (type.tensor_type().elem_type() != onnx::TensorProto::FLOAT &&
             type.tensor_type().elem_type() != 0))
            throw FileError{"the input '" + input->name() + "' is not a float tensor"};
        const auto& shape = type.tensor_type().shape();
        std::vector<std::int64_t> dims;
        for (const auto& d : shape.dim())
            dims.push_back(d.has_dim_value() ? d.dim_value() : -1);
        if (dims.size() != 4)
            throw FileError{"the input '" + input->name() + "' has " + std::to_string(dims.size()) +
                            " dimensions; the reader takes an N x C x H x W image"};
        if (dims[0] > 1)
            throw FileError{"the input '" + input->name() + "' has a batch of " +
                            std::to_string(dims[0]) + "; export the model with batch 1"};
        Shape s{int(std::clamp<std::int64_t>(dims[1], -1, 1'000'000)),
                int(std::clamp<std::int64_t>(dims[2], -1, 1'000'000)),
                int(std::clamp<std::int64_t>(dims[3], -1, 1'000'000))};
        if (options_.input) {
            if (s.c > 0 && s.c != options_.input->c)
                throw FileError{"--input gives " + std::to_string(options_.input->c) +
                                " channels; the model's input '" + input->name() + "' has " +
                                std::to_string(s.c)};
            s = *options_.input;
        }
        if (s.c < 1 || s.h < 1 || s.w < 1)
            throw FileError{"the input '" + input->name() + "' has no fixed size " +
                            dimsText(dims) + "; give it with --input CxHxW"};
        out_.network.input = s;
        Value v;
        v.kind = Kind::Feature;
        v.layer = -1;
        v.shape = s;
        v.direct = false;
        values_[input->name()] = v;
    }

    void readOutputs() {
        for (const onnx::ValueInfoProto& o : graph_.output()) {
            auto it = values_.find(o.name());
            if (it == values_.end())
                throw FileError{"the output '" + o.name() + "' is produced by no node"};
            const Value& v = it->second;
            if (v.kind == Kind::Poisoned)
                continue; // its cause is listed
            if (v.kind != Kind::Feature || v.layer < 0)
                throw FileError{"the output '" + o.name() +
                                "' is not computed by a layer of the network"};
            if (std::find(out_.network.outputs.begin(), out_.network.outputs.end(), v.layer) ==
                out_.network.outputs.end())
                out_.network.outputs.push_back(v.layer);
        }
        if (out_.network.outputs.empty() && out_.unsupported.empty())
            throw FileError{"the model has no output computed by its layers"};
    }

    // ---- nodes --------------------------------------------------------------------------

    void lowerNode(const onnx::NodeProto& n, int index) {
        const std::string label = n.name().empty() ? "#" + std::to_string(index) : n.name();
        for (const std::string& in : n.input())
            if (!in.empty() && !values_.count(in))
                throw FileError{"node '" + label + "' (" + n.op_type() + ") reads '" + in +
                                "', which no node before it produces"};
        for (const std::string& o : n.output())
            if (!o.empty() && values_.count(o))
                throw FileError{"node '" + label + "' produces '" + o +
                                "', which is already defined"};
        try {
            if (!n.domain().empty() && n.domain() != "ai.onnx")
                throw Unmapped{"an op of the domain '" + n.domain() + "'"};
            const bool poisoned = std::any_of(n.input().begin(), n.input().end(), [&](auto& in) {
                return !in.empty() && values_[in].kind == Kind::Poisoned;
            });
            if (poisoned) {
                if (!known(n.op_type()))
                    throw Unmapped{"no project op for it"};
                poison(n);
                return;
            }
            dispatch(n);
        } catch (const Unmapped& u) {
            record(n.op_type(), u.reason, label);
            poison(n);
        }
    }

    void poison(const onnx::NodeProto& n) {
        for (const std::string& o : n.output())
            if (!o.empty())
                values_[o] = Value{};
    }

    void record(const std::string& op, const std::string& reason, const std::string& node) {
        for (UnsupportedNodes& u : out_.unsupported)
            if (u.opType == op && u.reason == reason) {
                u.nodes.push_back(node);
                return;
            }
        out_.unsupported.push_back({op, reason, {node}});
    }

    static bool known(const std::string& op) {
        static const char* const kOps[] = {"Conv",
                                           "Gemm",
                                           "MatMul",
                                           "Relu",
                                           "Clip",
                                           "LeakyRelu",
                                           "Sigmoid",
                                           "HardSigmoid",
                                           "HardSwish",
                                           "Mul",
                                           "Add",
                                           "Sub",
                                           "Div",
                                           "Sum",
                                           "MaxPool",
                                           "AveragePool",
                                           "GlobalAveragePool",
                                           "ReduceMean",
                                           "BatchNormalization",
                                           "Concat",
                                           "Flatten",
                                           "Reshape",
                                           "Transpose",
                                           "Resize",
                                           "Upsample",
                                           "Pad",
                                           "Identity",
                                           "Dropout",
                                           "Constant",
                                           "Shape",
                                           "Gather",
                                           "Unsqueeze",
                                           "Squeeze",
                                           "Cast",
                                           "Slice",
                                           "Split"};
        return std::any_of(std::begin(kOps), std::end(kOps),
                           [&](const char* k) { return op == k; });
    }

    void dispatch(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        if (op == "Constant")
            return lowerConstant(n);
        if (op == "Identity" || op == "Dropout")
            return lowerAlias(n);
        if (allConstant(n) &&
            (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Gather" ||
             op == "Unsqueeze" || op == "Squeeze" || op == "Concat" || op == "Cast" ||
             op == "Slice" || op == "Reshape" || op == "Flatten" || op == "Shape"))
            return foldConstant(n);
        if (op == "Conv")
            return lowerConv(n);
        if (op == "Gemm" || op == "MatMul")
            return lowerFc(n);
        if (op == "Relu" || op == "Sigmoid" || op == "HardSwish" || op == "LeakyRelu" ||
            op == "HardSigmoid" || op == "Clip")
            return lowerActivation(n);
        if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Sum")
            return lowerArithmetic(n);
        if (op == "MaxPool" || op == "AveragePool")
            return lowerPool(n);
        if (op == "GlobalAveragePool" || op == "ReduceMean")
            return lowerGlobalPool(n);
        if (op == "BatchNormalization")
            return lowerBatchNorm(n);
        if (op == "Concat")
            return lowerConcat(n);
        if (op == "Flatten" || op == "Reshape" || op == "Transpose" || op == "Unsqueeze" ||
            op == "Squeeze" || op == "Cast")
            return lowerView(n);
        if (op == "Resize" || op == "Upsample")
            return lowerResize(n);
        if (op == "Pad")
            return lowerPad(n);
        if (op == "Shape")
            return lowerShape(n);
        if (op == "Slice" || op == "Split")
            return lowerSlice(n);
        if (op == "Gather")
            throw Unmapped{"a Gather of feature maps"};
        throw Unmapped{"no project op for it"};
    }

    // ---- inputs, attributes -------------------------------------------------------------

    bool has(const onnx::NodeProto& n, int k) const {
        return k < n.input_size() && !n.input(k).empty();
    }

    Value& input(const onnx::NodeProto& n, int k) {
        if (!has(n, k))
            throw FileError{"node '" + n.name() + "' (" + n.op_type() + ") lacks its input " +
                            std::to_string(k + 1)};
        return values_[n.input(k)];
    }

    bool allConstant(const onnx::NodeProto& n) {
        bool any = false;
        for (int k = 0; k < n.input_size(); ++k)
            if (has(n, k)) {
                any = true;
                if (input(n, k).kind != Kind::Constant)
                    return false;
            }
        return any;
    }

    const ConstTensor& constant(const onnx::NodeProto& n, int k, const std::string& what) {
        Value& v = input(n, k);
        if (v.kind != Kind::Constant)
            throw Unmapped{what + " computed by the network (the reader takes constants)"};
        if (!v.constant) {
            Result<ConstTensor> t = decodeTensor(*v.proto);
            if (!t.ok())
                throw FileError{t.error().message};
            v.constant = std::make_shared<const ConstTensor>(std::move(t).value());
        }
        return *v.constant;
    }

    // A feature map input (rank 4 unless `anyRank`).
    Value feature(const onnx::NodeProto& n, int k, bool anyRank = false) {
        const Value& v = input(n, k);
        switch (v.kind) {
        case Kind::Feature:
            if (!anyRank && v.rank != 4)
                throw Unmapped{"a flattened (2-D) input"};
            return v;
        case Kind::Constant:
            throw Unmapped{"a constant input where the reader expects a feature map"};
        case Kind::Pad:
            throw Unmapped{"the output of a Pad (only Conv and AveragePool take it)"};
        default:
            throw Unmapped{"a 5-D or 6-D input (only a channel shuffle or a space-to-depth "
                           "of Reshape, Transpose, Reshape takes it)"};
        }
    }

    const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const char* name) const {
        for (const onnx::AttributeProto& a : n.attribute())
            if (a.name() == name)
                return &a;
        return nullptr;
    }
    std::int64_t intAttr(const onnx::NodeProto& n, const char* name, std::int64_t fallback) {
        const onnx::AttributeProto* a = attribute(n, name);
        if (!a)
            return fallback;
        if (a->type() != onnx::AttributeProto::INT)
            throw Unmapped{std::string("attribute '") + name + "' that is not an integer"};
        return a->i();
    }
    std::vector<std::int64_t> intsAttr(const onnx::NodeProto& n, const char* name) {
        const onnx::AttributeProto* a = attribute(n, name);
        if (!a)
            return {};
        if (a->type() != onnx::AttributeProto::INTS)
            throw Unmapped{std::string("attribute '") + name + "' that is not a list of integers"};
        return {a->ints().begin(), a->ints().end()};
    }
    double floatAttr(const onnx::NodeProto& n, const char* name, double fallback) {
        const onnx::AttributeProto* a = attribute(n, name);
        if (!a)
            return fallback;
        if (a->type() != onnx::AttributeProto::FLOAT)
            throw Unmapped{std::string("attribute '") + name + "' that is not a float"};
        return a->f();
    }
    std::string stringAttr(const onnx::NodeProto& n, const char* name,
                           const std::string& fallback) {
        const onnx::AttributeProto* a = attribute(n, name);
        if (!a)
            return fallback;
        if (a->type() != onnx::AttributeProto::STRING)
            throw Unmapped{std::string("attribute '") + name + "' that is not a string"};
        return a->s();
    }

    void define(const onnx::NodeProto& n, int k, Value v) {
        if (k < n.output_size() && !n.output(k).empty())
            values_[n.output(k)] = std::move(v);
    }

    Value featureOf(int layer, int rank = 4) const {
        Value v;
        v.kind = Kind::Feature;
        v.layer = layer;
        v.shape = shapeOf(layer);
        v.rank = rank;
        return v;
    }

    Shape shapeOf(int layer) const {
        return layer < 0 ? out_.network.input : out_.network.layers[std::size_t(layer)].out;
    }

    // A layer with its shape from the project's own shape rules (core/model/shape_rules.h).
    int addLayer(const onnx::NodeProto& n, LayerSpec spec, std::vector<int> inputs,
                 std::vector<float> weights = {}, std::vector<float> bias = {}) {
        Node node;
        applyOpDefaults(spec, spec.channels, node);
        std::vector<Shape> shapes;
        for (int i : inputs)
            shapes.push_back(shapeOf(i));
        const std::string problem = inferShape(node, shapes, spec.channels);
        if (!problem.empty())
            throw Unmapped{problem};
        if (node.out.c < 1 || node.out.h < 1 || node.out.w < 1)
            throw Unmapped{"an empty output " + formatShape(node.out)};
        ImportedLayer l;
        l.spec = std::move(spec);
        l.inputs = std::move(inputs);
        l.out = node.out;
        l.weights = std::move(weights);
        l.bias = std::move(bias);
        l.source = n.name();
        out_.network.layers.push_back(std::move(l));
        const int index = static_cast<int>(out_.network.layers.size()) - 1;
        layerOutput_[index] = n.output_size() > 0 ? n.output(0) : std::string();
        return index;
    }

    // ---- constants ----------------------------------------------------------------------

    void lowerConstant(const onnx::NodeProto& n) {
        if (n.attribute_size() != 1)
            throw Unmapped{"a Constant without exactly one value attribute"};
        Result<ConstTensor> t = decodeConstantAttribute(n.attribute(0));
        if (!t.ok())
            throw Unmapped{t.error().message};
        Value v;
        v.kind = Kind::Constant;
        v.constant = std::make_shared<const ConstTensor>(std::move(t).value());
        define(n, 0, v);
    }

    void lowerAlias(const onnx::NodeProto& n) {
        if (n.op_type() == "Dropout" && n.output_size() > 1 && !n.output(1).empty() &&
            effectiveUses(n.output(1)) > 0)
            throw Unmapped{"a Dropout whose mask is used"};
        define(n, 0, input(n, 0));
    }

    static std::int64_t normalizedAxis(std::int64_t axis, std::size_t rank) {
        return axis < 0 ? axis + static_cast<std::int64_t>(rank) : axis;
    }

    std::vector<std::int64_t> axesOf(const onnx::NodeProto& n, int inputIndex) {
        if (has(n, inputIndex))
            return constant(n, inputIndex, "axes").integers();
        return intsAttr(n, "axes");
    }

    void foldConstant(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        ConstTensor out;
        std::string problem;
        if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
            problem = broadcastBinary(op, constant(n, 0, "an operand"),
                                      constant(n, 1, "an operand"), out);
        } else if (op == "Gather") {
            problem = gatherConst(constant(n, 0, "data"), constant(n, 1, "indices"),
                                  intAttr(n, "axis", 0), out);
        } else if (op == "Concat") {
            std::vector<const ConstTensor*> parts;
            for (int k = 0; k < n.input_size(); ++k)
                if (has(n, k))
                    parts.push_back(&constant(n, k, "an operand"));
            problem = concatConst(parts, intAttr(n, "axis", 0), out);
        } else if (op == "Slice") {
            problem = foldSlice(n, out);
        } else if (op == "Shape") {
            const ConstTensor& t = constant(n, 0, "data");
            out.isFloat = false;
            out.ints = t.dims;
            out.dims = {static_cast<std::int64_t>(t.dims.size())};
        } else { // Unsqueeze, Squeeze, Cast, Reshape, Flatten: the values stay, dims change
            out = constant(n, 0, "data");
            problem = reshapeConstant(n, out);
        }
        if (!problem.empty())
            throw Unmapped{problem};
        Value v;
        v.kind = Kind::Constant;
        v.constant = std::make_shared<const ConstTensor>(std::move(out));
        define(n, 0, v);
    }

    std::string foldSlice(const onnx::NodeProto& n, ConstTensor& out) {
        std::vector<std::int64_t> starts, ends, axes, steps;
        if (opset_ >= 10) {
            starts = constant(n, 1, "starts").integers();
            ends = constant(n, 2, "ends").integers();
            if (has(n, 3))
                axes = constant(n, 3, "axes").integers();
            if (has(n, 4))
                steps = constant(n, 4, "steps").integers();
        } else {
            starts = intsAttr(n, "starts");
            ends = intsAttr(n, "ends");
            axes = intsAttr(n, "axes");
        }
        if (starts.size() != 1 || ends.size() != 1 ||
            (!axes.empty() && axes[0] != 0 && axes[0] != -1) || steps.size() > 1)
            return "a Slice of a constant along more than one axis";
        return sliceConst1d(constant(n, 0, "data"), starts[0], ends[0],
                            steps.empty() ? 1 : steps[0], out);
    }

    std::string reshapeConstant(const onnx::NodeProto& n, ConstTensor& t) {
        const std::string& op = n.op_type();
        const auto count = static_cast<std::int64_t>(t.size());
        if (op == "Cast") {
            const std::int64_t to = intAttr(n, "to", onnx::TensorProto::FLOAT);
            const bool toFloat = to == onnx::TensorProto::FLOAT ||
                                 to == onnx::TensorProto::DOUBLE ||
                                 to == onnx::TensorProto::FLOAT16;
            if (toFloat && !t.isFloat) {
                for (std::int64_t v : t.ints)
                    t.reals.push_back(static_cast<double>(v));
                t.ints.clear();
            } else if (!toFloat && t.isFloat) {
                for (double v : t.reals)
                    t.ints.push_back(
                        std::isfinite(v) && std::abs(v) < 9e18 ? static_cast<std::int64_t>(v) : 0);
                t.reals.clear();
            }
            t.isFloat = toFloat;
            return {};
        }
        if (op == "Flatten") {
            const std::int64_t axis = normalizedAxis(intAttr(n, "axis", 1), t.dims.size());
            std::int64_t outer = 1;
            for (std::int64_t i = 0; i < axis && i < std::int64_t(t.dims.size()); ++i)
                outer *= t.dims[std::size_t(i)];
            t.dims = {outer, outer == 0 ? 0 : count / outer};
            return {};
        }
        if (op == "Reshape") {
            std::vector<std::int64_t> dims = constant(n, 1, "shape").integers();
            if (auto e = resolveShape(dims, t.dims, intAttr(n, "allowzero", 0) != 0); !e.empty())
                return e;
            if (elementCount(dims) != count)
                return "a Reshape of a constant to another element count";
            t.dims = dims;
            return {};
        }
        std::vector<std::int64_t> axes = axesOf(n, 1);
        if (op == "Unsqueeze") {
            const std::size_t rank = t.dims.size() + axes.size();
            for (std::int64_t& a : axes)
                a = normalizedAxis(a, rank);
            std::sort(axes.begin(), axes.end());
            for (std::int64_t a : axes) {
                if (a < 0 || a > static_cast<std::int64_t>(t.dims.size()))
                    return "an Unsqueeze axis out of range";
                t.dims.insert(t.dims.begin() + a, 1);
            }
            return {};
        }
        // Squeeze: the listed axes, or every axis of size 1
        std::vector<std::int64_t> kept;
        for (std::size_t i = 0; i < t.dims.size(); ++i) {
            const bool listed =
                axes.empty()
                    ? t.dims[i] == 1
                    : std::any_of(axes.begin(), axes.end(), [&](std::int64_t a) {
                          return normalizedAxis(a, t.dims.size()) == static_cast<std::int64_t>(i);
                      });
            if (!listed)
                kept.push_back(t.dims[i]);
        }
        t.dims = kept;
        return {};
    }

    // Reshape's 0 (copy) and -1 (infer) in `dims`, against the input's dims.
    static std::string resolveShape(std::vector<std::int64_t>& dims,
                                    const std::vector<std::int64_t>& from, bool allowZero) {
        const std::int64_t total = elementCount(from);
        std::int64_t known = 1;
        int infer = -1;
        for (std::size_t i = 0; i < dims.size(); ++i) {
            if (dims[i] == 0 && !allowZero) {
                if (i >= from.size())
                    return "a Reshape that copies a dimension the input lacks";
                dims[i] = from[i];
            }
            if (dims[i] == -1) {
                if (infer >= 0)
                    return "a Reshape with two inferred dimensions";
                infer = static_cast<int>(i);
                continue;
            }
            if (dims[i] < 0 || (dims[i] > 0 && known > kMaxElements / dims[i]))
                return "a Reshape to " + dimsText(dims);
            known *= dims[i];
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0)
                return "a Reshape whose inferred dimension does not divide";
            dims[std::size_t(infer)] = total / known;
        }
        return {};
    }

    // ---- layers -------------------------------------------------------------------------

    // [top, left, bottom, right] from pads / auto_pad of a 2-D window op.
    std::vector<int> windowPads(const onnx::NodeProto& n, const Shape& in, int kh, int kw,
                                int stride) {
        const std::string autoPad = stringAttr(n, "auto_pad", "NOTSET");
        if (autoPad == "VALID")
            return {0, 0, 0, 0};
        if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
            const auto same = [&](int size, int k, bool lower) {
                const int out = (size + stride - 1) / stride;
                const int total = std::max(0, (out - 1) * stride + k - size);
                const int before = lower ? (total + 1) / 2 : total / 2;
                return std::pair{before, total - before};
            };
            const bool lower = autoPad == "SAME_LOWER";
            const auto [t, b] = same(in.h, kh, lower);
            const auto [l, r] = same(in.w, kw, lower);
            return {t, l, b, r};
        }
        if (autoPad != "NOTSET")
            throw Unmapped{"auto_pad " + autoPad};
        std::vector<std::int64_t> pads = intsAttr(n, "pads");
        if (pads.empty())
            return {0, 0, 0, 0};
        if (pads.size() != 4)
            throw Unmapped{"pads " + dimsText(pads) + " (a 2-D window takes four)"};
        std::vector<int> out;
        for (std::int64_t p : pads) {
            if (p < 0 || p > 1024)
                throw Unmapped{"pads " + dimsText(pads)};
            out.push_back(static_cast<int>(p));
        }
        return out;
    }

    int commonStride(const onnx::NodeProto& n) {
        std::vector<std::int64_t> s = intsAttr(n, "strides");
        if (s.empty())
            return 1;
        if (s.size() != 2 || s[0] != s[1] || s[0] < 1 || s[0] > 1024)
            throw Unmapped{"strides " + dimsText(s) +
                           " (the project takes one stride for both "
                           "axes)"};
        return static_cast<int>(s[0]);
    }

    void checkDilations(const onnx::NodeProto& n) {
        for (std::int64_t d : intsAttr(n, "dilations"))
            if (d != 1)
                throw Unmapped{"dilation " + std::to_string(d) +
                               " (dilated windows have no project form)"};
    }

    static void setPadding(LayerSpec& spec, const std::vector<int>& p, int defaultH, int defaultW) {
        if (p[0] == p[2] && p[1] == p[3]) {
            if (p[0] == defaultH && p[1] == defaultW)
                return;
            if (p[0] == p[1]) {
                spec.padding = p[0];
                return;
            }
        }
        spec.pads = p;
    }

    void lowerConv(const onnx::NodeProto& n) {
        Value x = input(n, 0);
        std::vector<int> extra{0, 0, 0, 0};
        const bool padded = x.kind == Kind::Pad;
        if (padded) {
            extra = x.pads;
            x.kind = Kind::Feature;
            x.rank = 4;
        } else {
            x = feature(n, 0);
        }
        const ConstTensor& w = constant(n, 1, "Conv weights");
        if (w.dims.size() != 4)
            throw Unmapped{"a Conv with weights " + dimsText(w.dims) + " (only 2-D convolutions)"};
        checkDilations(n);
        const std::int64_t group = intAttr(n, "group", 1);
        const std::int64_t m = w.dims[0], cg = w.dims[1], kh = w.dims[2], kw = w.dims[3];
        if (group < 1 || m < 1 || kh < 1 || kw < 1 || kh > 1024 || kw > 1024 || m % group != 0 ||
            cg * group != x.shape.c)
            throw Unmapped{"weights " + dimsText(w.dims) + " in " + std::to_string(group) +
                           " groups that do not fit a " + std::to_string(x.shape.c) +
                           "-channel input"};
        if (auto k = intsAttr(n, "kernel_shape");
            !k.empty() && (k.size() != 2 || k[0] != kh || k[1] != kw))
            throw Unmapped{"kernel_shape " + dimsText(k) + " unlike the weights " +
                           dimsText(w.dims)};
        const int stride = commonStride(n);
        std::vector<int> pads = windowPads(n, x.shape, int(kh), int(kw), stride);
        for (int i = 0; i < 4; ++i)
            pads[std::size_t(i)] += extra[std::size_t(i)];
        std::vector<float> bias;
        if (has(n, 2)) {
            bias = constant(n, 2, "Conv bias").floats();
            if (static_cast<std::int64_t>(bias.size()) != m)
                throw Unmapped{"a bias of " + std::to_string(bias.size()) + " values for " +
                               std::to_string(m) + " channels"};
        }
        LayerSpec spec;
        const bool pointwise = kh == 1 && kw == 1 && group == 1 &&
                               std::all_of(pads.begin(), pads.end(), [](int p) { return p == 0; });
        const bool depthwise = group > 1 && group == x.shape.c && m == group;
        spec.op = pointwise ? Op::PwConv : depthwise ? Op::DwConv : Op::Conv;
        spec.channels = spec.op == Op::DwConv ? 0 : static_cast<int>(m);
        if (spec.op != Op::PwConv) {
            spec.kernelH = static_cast<int>(kh);
            spec.kernelW = static_cast<int>(kw);
            setPadding(spec, pads, int(kh) / 2, int(kw) / 2);
        }
        spec.stride = stride == 1 ? 0 : stride;
        spec.groups = spec.op == Op::Conv ? static_cast<int>(group) : 1;
        spec.bias = !bias.empty();
        const int layer = addLayer(n, spec, {x.layer}, w.floats(), std::move(bias));
        out_.foldedPads += padded ? 1 : 0;
        define(n, 0, featureOf(layer));
    }

    void lowerFc(const onnx::NodeProto& n) {
        const Value x = feature(n, 0, true);
        if (x.rank != 2)
            throw Unmapped{"a " + n.op_type() + " of a 4-D input (flatten it first)"};
        const ConstTensor& b = constant(n, 1, n.op_type() + " weights");
        if (b.dims.size() != 2)
            throw Unmapped{"weights " + dimsText(b.dims) + " (the reader takes 2-D weights)"};
        const bool gemm = n.op_type() == "Gemm";
        if (gemm && intAttr(n, "transA", 0) != 0)
            throw Unmapped{"transA 1"};
        const bool transB = gemm && intAttr(n, "transB", 0) != 0;
        const double alpha = gemm ? floatAttr(n, "alpha", 1.0) : 1.0;
        const double beta = gemm ? floatAttr(n, "beta", 1.0) : 1.0;
        const std::int64_t k = transB ? b.dims[1] : b.dims[0];
        const std::int64_t outFeatures = transB ? b.dims[0] : b.dims[1];
        if (k != x.shape.elements() || outFeatures < 1)
            throw Unmapped{"weights " + dimsText(b.dims) + " that do not fit " +
                           std::to_string(x.shape.elements()) + " input features"};
        std::vector<float> weights(static_cast<std::size_t>(k * outFeatures));
        for (std::int64_t o = 0; o < outFeatures; ++o)
            for (std::int64_t i = 0; i < k; ++i)
                weights[std::size_t(o * k + i)] =
                    static_cast<float>(alpha * (transB ? b.real(std::size_t(o * k + i))
                                                       : b.real(std::size_t(i * outFeatures + o))));
        std::vector<float> bias;
        if (gemm && has(n, 2)) {
            const ConstTensor& c = constant(n, 2, "Gemm bias");
            const std::size_t count = c.size();
            if (count != 1 && count != std::size_t(outFeatures))
                throw Unmapped{"a bias of " + std::to_string(count) + " values for " +
                               std::to_string(outFeatures) + " outputs"};
            for (std::int64_t o = 0; o < outFeatures; ++o)
                bias.push_back(static_cast<float>(beta * c.real(count == 1 ? 0 : std::size_t(o))));
        }
        LayerSpec spec;
        spec.op = Op::Fc;
        spec.channels = static_cast<int>(outFeatures);
        spec.bias = !bias.empty();
        const int layer = addLayer(n, spec, {x.layer}, std::move(weights), std::move(bias));
        define(n, 0, featureOf(layer, 2));
    }

    void lowerActivation(const onnx::NodeProto& n) {
        const Value x = feature(n, 0, true);
        const std::string& op = n.op_type();
        LayerSpec spec;
        if (op == "Relu") {
            spec.op = Op::Relu;
        } else if (op == "Sigmoid") {
            spec.op = Op::Sigmoid;
        } else if (op == "HardSwish") {
            spec.op = Op::HardSwish;
        } else if (op == "LeakyRelu") {
            spec.op = Op::LeakyRelu;
            spec.slope = shortest(floatAttr(n, "alpha", 0.01));
            if (!(std::abs(spec.slope) <= 1000))
                throw Unmapped{"alpha " + num(spec.slope)};
        } else if (op == "HardSigmoid") {
            const double alpha = floatAttr(n, "alpha", 0.2), beta = floatAttr(n, "beta", 0.5);
            if (std::abs(alpha - 1.0 / 6) > 1e-6 || std::abs(beta - 0.5) > 1e-6)
                throw Unmapped{"alpha " + num(alpha) + ", beta " + num(beta) +
                               " (the project's hard_sigmoid is PyTorch's: alpha 1/6, beta 1/2)"};
            spec.op = Op::HardSigmoid;
        } else { // Clip
            spec.op = clipOp(n);
        }
        define(n, 0, featureOf(addLayer(n, spec, {x.layer}), x.rank));
    }

    Op clipOp(const onnx::NodeProto& n) {
        double lo = -double(FLT_MAX), hi = double(FLT_MAX);
        if (opset_ < 11) {
            lo = floatAttr(n, "min", lo);
            hi = floatAttr(n, "max", hi);
        } else {
            if (has(n, 1))
                lo = constant(n, 1, "Clip's minimum").real(0);
            if (has(n, 2))
                hi = constant(n, 2, "Clip's maximum").real(0);
        }
        if (lo == 0 && hi == 6)
            return Op::Relu6;
        if (lo == 0 && hi >= double(FLT_MAX))
            return Op::Relu;
        throw Unmapped{"a Clip to [" + num(lo) + ", " + num(hi) +
                       "] (the project has relu for [0, inf) and relu6 for [0, 6])"};
    }

    // A constant that scales or shifts each channel of x, as one value per channel.
    std::vector<double> perChannel(const ConstTensor& k, const Value& x) {
        const int channels = x.rank == 4 ? x.shape.c : static_cast<int>(x.shape.elements());
        if (x.rank == 2 && (x.shape.h != 1 || x.shape.w != 1))
            throw Unmapped{"an arithmetic constant on a flattened feature map"};
        std::vector<std::int64_t> dims = k.dims;
        while (!dims.empty() && dims.front() == 1 && dims.size() > 1)
            dims.erase(dims.begin());
        const std::size_t channelAxisFromEnd = x.rank == 4 ? 3 : 1; // dims right-aligned
        if (dims.size() > channelAxisFromEnd + 1 && dims.size() != 1)
            throw Unmapped{"an arithmetic constant of shape " + dimsText(k.dims)};
        for (std::size_t i = 0; i < dims.size(); ++i) {
            const std::size_t fromEnd = dims.size() - 1 - i;
            const std::int64_t want = fromEnd + 1 == channelAxisFromEnd ? channels : 1;
            if (dims[i] != 1 && !(fromEnd + 1 == channelAxisFromEnd && dims[i] == want) &&
                !(dims.size() == 1 && dims[0] == channels && x.rank == 2))
                throw Unmapped{"an arithmetic constant of shape " + dimsText(k.dims) +
                               " that varies over the map (the reader takes one value per "
                               "channel)"};
        }
        std::vector<double> v(static_cast<std::size_t>(channels));
        for (std::size_t c = 0; c < v.size(); ++c)
            v[c] = k.size() == 1 ? k.real(0) : k.real(c);
        if (k.size() != 1 && k.size() != v.size())
            throw Unmapped{"an arithmetic constant of shape " + dimsText(k.dims)};
        return v;
    }

    void lowerArithmetic(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        if (op == "Sum") {
            std::vector<int> layers;
            Value first;
            for (int k = 0; k < n.input_size(); ++k) {
                const Value x = feature(n, k, true);
                if (k == 0)
                    first = x;
                else if (x.rank != first.rank)
                    throw Unmapped{"operands of different ranks"};
                layers.push_back(x.layer);
            }
            if (layers.size() == 1)
                return define(n, 0, first);
            LayerSpec spec;
            spec.op = Op::Add;
            return define(n, 0, featureOf(addLayer(n, spec, layers), first.rank));
        }
        const bool firstConst = input(n, 0).kind == Kind::Constant;
        const bool secondConst = input(n, 1).kind == Kind::Constant;
        if (firstConst || secondConst) {
            const int xi = firstConst ? 1 : 0;
            const Value x = feature(n, xi, true);
            const std::vector<double> k = perChannel(constant(n, 1 - xi, "an operand"), x);
            std::vector<double> scale(k.size(), 1.0), shift(k.size(), 0.0);
            for (std::size_t c = 0; c < k.size(); ++c) {
                if (op == "Mul")
                    scale[c] = k[c];
                else if (op == "Add")
                    shift[c] = k[c];
                else if (op == "Sub" && xi == 0)
                    shift[c] = -k[c];
                else if (op == "Sub") {
                    scale[c] = -1;
                    shift[c] = k[c];
                } else if (xi == 0) {
                    if (k[c] == 0)
                        throw Unmapped{"a division by zero"};
                    scale[c] = 1 / k[c];
                } else {
                    throw Unmapped{"a constant divided by a feature map"};
                }
            }
            return applyAffine(n, x, n.input(xi), scale, shift, false);
        }
        const Value a = feature(n, 0, true), b = feature(n, 1, true);
        if (op != "Add" && op != "Mul")
            throw Unmapped{"a " + op + " of two feature maps"};
        if (a.rank != b.rank)
            throw Unmapped{"operands of different ranks"};
        LayerSpec spec;
        spec.op = op == "Add" ? Op::Add : Op::Mul;
        if (spec.op == Op::Add && !(a.shape == b.shape))
            throw Unmapped{"an Add that broadcasts " + formatShape(a.shape) + " and " +
                           formatShape(b.shape)};
        define(n, 0, featureOf(addLayer(n, spec, {a.layer, b.layer}), a.rank));
    }

    // x * scale + shift per channel: folded into the conv / fc / bn before it when x is that
    // layer's own output and nothing else reads it; else a bn layer of its own.
    void applyAffine(const onnx::NodeProto& n, const Value& x, const std::string& inputName,
                     const std::vector<double>& scale, const std::vector<double>& shift,
                     bool batchNorm) {
        (void)inputName;
        if (x.layer >= 0 && x.direct && effectiveUses(layerOutput_[x.layer]) == 1) {
            ImportedLayer& p = out_.network.layers[std::size_t(x.layer)];
            if (isWeighted(p.spec.op)) {
                const std::size_t perChannel = p.weights.size() / scale.size();
                for (std::size_t c = 0; c < scale.size(); ++c) {
                    for (std::size_t i = 0; i < perChannel; ++i)
                        p.weights[c * perChannel + i] =
                            static_cast<float>(double(p.weights[c * perChannel + i]) * scale[c]);
                }
                p.bias.resize(scale.size(), 0.f);
                for (std::size_t c = 0; c < scale.size(); ++c)
                    p.bias[c] = static_cast<float>(double(p.bias[c]) * scale[c] + shift[c]);
                p.spec.bias = true;
                out_.foldedBatchNorms += batchNorm ? 1 : 0;
                return define(n, 0, x);
            }
            if (p.spec.op == Op::Bn) {
                for (std::size_t c = 0; c < scale.size(); ++c) {
                    p.weights[c] = static_cast<float>(double(p.weights[c]) * scale[c]);
                    p.bias[c] = static_cast<float>(double(p.bias[c]) * scale[c] + shift[c]);
                }
                out_.foldedBatchNorms += batchNorm ? 1 : 0;
                return define(n, 0, x);
            }
        }
        LayerSpec spec;
        spec.op = Op::Bn;
        std::vector<float> w(scale.begin(), scale.end()), b(shift.begin(), shift.end());
        const int layer = addLayer(n, spec, {x.layer}, std::move(w), std::move(b));
        out_.keptBatchNorms += batchNorm ? 1 : 0;
        define(n, 0, featureOf(layer, x.rank));
    }

    void lowerBatchNorm(const onnx::NodeProto& n) {
        if (intAttr(n, "training_mode", 0) != 0 || intAttr(n, "spatial", 1) != 1)
            throw Unmapped{"a batch norm in training mode"};
        for (int k = 1; k < n.output_size(); ++k)
            if (!n.output(k).empty() && effectiveUses(n.output(k)) > 0)
                throw Unmapped{"a batch norm whose running statistics are used"};
        const Value x = feature(n, 0, true);
        const double eps = floatAttr(n, "epsilon", 1e-5);
        const int channels = x.rank == 4 ? x.shape.c : static_cast<int>(x.shape.elements());
        const auto stat = [&](int k, const char* what) {
            const ConstTensor& t = constant(n, k, what);
            if (t.size() != std::size_t(channels))
                throw Unmapped{std::string("a batch norm ") + what + " of " +
                               std::to_string(t.size()) + " values for " +
                               std::to_string(channels) + " channels"};
            std::vector<double> v(t.size());
            for (std::size_t c = 0; c < v.size(); ++c)
                v[c] = t.real(c);
            return v;
        };
        const std::vector<double> gamma = stat(1, "scale"), beta = stat(2, "bias");
        const std::vector<double> mean = stat(3, "mean"), var = stat(4, "variance");
        std::vector<double> scale(gamma.size()), shift(gamma.size());
        for (std::size_t c = 0; c < gamma.size(); ++c) {
            if (!(var[c] + eps > 0))
                throw Unmapped{"a batch norm with a variance of " + num(var[c])};
            scale[c] = gamma[c] / std::sqrt(var[c] + eps);
            shift[c] = beta[c] - mean[c] * scale[c];
        }
        applyAffine(n, x, n.input(0), scale, shift, true);
    }

    // ---- pooling ------------------------------------------------------------------------

    void lowerPool(const onnx::NodeProto& n) {
        const bool max = n.op_type() == "MaxPool";
        Value x = input(n, 0);
        std::vector<int> extra{0, 0, 0, 0};
        const bool padded = x.kind == Kind::Pad;
        if (padded && max)
            throw Unmapped{"a MaxPool after a Pad (zeros are not the padding a max ignores)"};
        if (padded) {
            extra = x.pads;
            x.kind = Kind::Feature;
            x.rank = 4;
        } else {
            x = feature(n, 0);
        }
        if (max && n.output_size() > 1 && !n.output(1).empty() && effectiveUses(n.output(1)) > 0)
            throw Unmapped{"a MaxPool whose indices are used"};
        checkDilations(n);
        const std::vector<std::int64_t> k = intsAttr(n, "kernel_shape");
        if (k.size() != 2 || k[0] < 1 || k[1] < 1 || k[0] > 1024 || k[1] > 1024)
            throw Unmapped{"kernel_shape " + dimsText(k) + " (a 2-D window)"};
        const int kh = int(k[0]), kw = int(k[1]);
        const int stride = intsAttr(n, "strides").empty() ? 1 : commonStride(n);
        std::vector<int> pads = windowPads(n, x.shape, kh, kw, stride);
        const bool ownPads = std::any_of(pads.begin(), pads.end(), [](int p) { return p > 0; });
        if (!max && ownPads && intAttr(n, "count_include_pad", 0) == 0)
            throw Unmapped{"an average that leaves the padding out (count_include_pad 0)"};
        for (int i = 0; i < 4; ++i)
            pads[std::size_t(i)] += extra[std::size_t(i)];
        if (intAttr(n, "ceil_mode", 0) != 0) {
            const int moreH = ceilExtra(x.shape.h, kh, stride, pads[0], pads[2]);
            const int moreW = ceilExtra(x.shape.w, kw, stride, pads[1], pads[3]);
            if ((moreH > 0 || moreW > 0) && !max)
                throw Unmapped{"an average with ceil_mode that changes the output size"};
            pads[2] += moreH;
            pads[3] += moreW;
        }
        LayerSpec spec;
        spec.op = max ? Op::MaxPool : Op::AvgPool;
        spec.kernelH = kh;
        spec.kernelW = kw;
        spec.stride = stride == kh ? 0 : stride;
        setPadding(spec, pads, 0, 0);
        const int layer = addLayer(n, spec, {x.layer});
        out_.foldedPads += padded ? 1 : 0;
        define(n, 0, featureOf(layer));
    }

    // Rows a ceil_mode window adds at the end (PyTorch's rule: the last window starts
    // inside the input or its leading padding).
    static int ceilExtra(int size, int k, int stride, int before, int after) {
        const int span = size + before + after - k;
        if (span < 0)
            return 0;
        const int floorOut = span / stride + 1;
        int ceilOut = (span + stride - 1) / stride + 1;
        if ((ceilOut - 1) * stride >= size + before)
            --ceilOut;
        return ceilOut > floorOut ? (ceilOut - 1) * stride + k - (size + before + after) : 0;
    }

    void lowerGlobalPool(const onnx::NodeProto& n) {
        const Value x = feature(n, 0);
        int rank = 4;
        if (n.op_type() == "ReduceMean") {
            std::vector<std::int64_t> axes = axesOf(n, 1);
            for (std::int64_t& a : axes)
                a = normalizedAxis(a, 4);
            std::sort(axes.begin(), axes.end());
            if (axes != std::vector<std::int64_t>{2, 3})
                throw Unmapped{"a ReduceMean over axes " + dimsText(axes) +
                               " (the reader takes the mean over height and width)"};
            rank = intAttr(n, "keepdims", 1) != 0 ? 4 : 2;
        }
        LayerSpec spec;
        spec.op = Op::GlobalAvgPool;
        define(n, 0, featureOf(addLayer(n, spec, {x.layer}), rank));
    }

    void lowerConcat(const onnx::NodeProto& n) {
        std::vector<int> layers;
        Value first;
        for (int k = 0; k < n.input_size(); ++k) {
            const Value x = feature(n, k, true);
            if (k == 0)
                first = x;
            else if (x.rank != first.rank)
                throw Unmapped{"operands of different ranks"};
            if (x.rank == 2 && (x.shape.h != 1 || x.shape.w != 1))
                throw Unmapped{"a Concat of flattened feature maps"};
            layers.push_back(x.layer);
        }
        if (layers.empty())
            throw FileError{"a Concat without inputs"};
        if (normalizedAxis(intAttr(n, "axis", 1), std::size_t(first.rank)) != 1)
            throw Unmapped{"a Concat along axis " + std::to_string(intAttr(n, "axis", 1)) +
                           " (the project concatenates channels)"};
        if (layers.size() == 1)
            return define(n, 0, first);
        LayerSpec spec;
        spec.op = Op::Concat;
        define(n, 0, featureOf(addLayer(n, spec, layers), first.rank));
    }

    // ---- views: flatten, reshape, transpose ---------------------------------------------

    // The dims ONNX sees for a value.
    static std::vector<std::int64_t> onnxDims(const Value& v) {
        const Shape& s = v.shape;
        switch (v.kind) {
        case Kind::Feature:
            if (v.rank == 2)
                return {1, s.elements()};
            return {1, s.c, s.h, s.w};
        case Kind::Grouped:
            return {1, v.factor, s.c / v.factor, s.h, s.w};
        case Kind::Swapped:
            return {1, s.c / v.factor, v.factor, s.h, s.w};
        case Kind::Split6:
            return {1, s.c, s.h / v.factor, v.factor, s.w / v.factor, v.factor};
        case Kind::Moved6:
            return {1, s.c, v.factor, v.factor, s.h / v.factor, s.w / v.factor};
        default:
            return {};
        }
    }

    void lowerView(const onnx::NodeProto& n) {
        const std::string& op = n.op_type();
        Value x = input(n, 0);
        if (x.kind != Kind::Feature && op != "Reshape" && op != "Transpose")
            x = feature(n, 0, true); // throws with the reason
        if (op == "Cast") {
            if (intAttr(n, "to", onnx::TensorProto::FLOAT) != onnx::TensorProto::FLOAT)
                throw Unmapped{"a Cast of a feature map to another type"};
            return define(n, 0, x);
        }
        if (op == "Flatten") {
            if (normalizedAxis(intAttr(n, "axis", 1), std::size_t(x.rank)) != 1)
                throw Unmapped{"a Flatten at axis " + std::to_string(intAttr(n, "axis", 1))};
            x.rank = 2;
            x.direct = x.direct && x.shape.h == 1 && x.shape.w == 1;
            return define(n, 0, x);
        }
        if (op == "Squeeze" || op == "Unsqueeze") {
            std::vector<std::int64_t> axes = axesOf(n, 1);
            const std::size_t rank = op == "Squeeze" ? std::size_t(x.rank) : 4;
            for (std::int64_t& a : axes)
                a = normalizedAxis(a, rank);
            std::sort(axes.begin(), axes.end());
            const bool toFlat = op == "Squeeze" && x.rank == 4 &&
                                (axes.empty() || axes == std::vector<std::int64_t>{2, 3});
            const bool toMap =
                op == "Unsqueeze" && x.rank == 2 && axes == std::vector<std::int64_t>{2, 3};
            if ((!toFlat && !toMap) || x.shape.h != 1 || x.shape.w != 1)
                throw Unmapped{"a " + op + " of axes " + dimsText(axes) + " of a " +
                               std::to_string(x.rank) + "-D feature map"};
            x.rank = toFlat ? 2 : 4;
            return define(n, 0, x);
        }
        if (op == "Transpose")
            return lowerTranspose(n, x);
        lowerReshape(n, x);
    }

    void lowerTranspose(const onnx::NodeProto& n, Value x) {
        const std::vector<std::int64_t> perm = intsAttr(n, "perm");
        const auto is = [&](std::initializer_list<std::int64_t> p) {
            return perm == std::vector<std::int64_t>(p);
        };
        if (x.kind == Kind::Grouped && is({0, 2, 1, 3, 4})) {
            x.kind = Kind::Swapped;
            return define(n, 0, x);
        }
        if (x.kind == Kind::Split6 && is({0, 1, 3, 5, 2, 4})) {
            x.kind = Kind::Moved6;
            return define(n, 0, x);
        }
        if (x.kind == Kind::Feature && (perm.empty() ? x.shape.elements() == x.shape.c
                                                     : std::is_sorted(perm.begin(), perm.end())))
            return define(n, 0, x);
        throw Unmapped{"a Transpose " + dimsText(perm) + " of " + dimsText(onnxDims(x)) +
                       " (only the channel shuffle's [0, 2, 1, 3, 4] after a 5-D Reshape, or "
                       "space-to-depth's [0, 1, 3, 5, 2, 4] after a 6-D one)"};
    }

    void lowerReshape(const onnx::NodeProto& n, Value x) {
        std::vector<std::int64_t> dims = constant(n, 1, "a Reshape's shape").integers();
        const std::vector<std::int64_t> from = onnxDims(x);
        if (from.empty())
            x = feature(n, 0, true);
        if (auto e = resolveShape(dims, from, intAttr(n, "allowzero", 0) != 0); !e.empty())
            throw Unmapped{e};
        const Shape& s = x.shape;
        if (elementCount(dims) != s.elements() || dims.empty() || dims[0] != 1)
            throw Unmapped{"a Reshape of " + dimsText(from) + " to " + dimsText(dims)};
        const auto is = [&](std::initializer_list<std::int64_t> want) {
            return dims == std::vector<std::int64_t>(want);
        };
        if (x.kind == Kind::Swapped && is({1, s.c, s.h, s.w})) {
            LayerSpec spec;
            spec.op = Op::Shuffle;
            spec.groups = x.factor;
            return define(n, 0, featureOf(addLayer(n, spec, {x.layer})));
        }
        if (x.kind == Kind::Moved6 && dims.size() == 4 && dims[1] == s.c * x.factor * x.factor) {
            LayerSpec spec;
            spec.op = Op::Reorg;
            spec.factor = x.factor;
            return define(n, 0, featureOf(addLayer(n, spec, {x.layer})));
        }
        if (x.kind != Kind::Feature)
            throw Unmapped{"a Reshape of " + dimsText(from) + " to " + dimsText(dims)};
        if (dims.size() == 2) { // a flatten
            x.rank = 2;
            x.direct = x.direct && s.h == 1 && s.w == 1;
            return define(n, 0, x);
        }
        if (dims.size() == 4 && is({1, s.c, s.h, s.w})) {
            x.rank = 4;
            return define(n, 0, x);
        }
        if (dims.size() == 5 && x.rank == 4 && dims[3] == s.h && dims[4] == s.w && dims[1] > 1 &&
            dims[1] * dims[2] == s.c) {
            x.kind = Kind::Grouped;
            x.factor = static_cast<int>(dims[1]);
            return define(n, 0, x);
        }
        if (dims.size() == 6 && x.rank == 4 && dims[1] == s.c && dims[3] == dims[5] &&
            dims[3] > 1 && dims[2] * dims[3] == s.h && dims[4] * dims[5] == s.w) {
            x.kind = Kind::Split6;
            x.factor = static_cast<int>(dims[3]);
            return define(n, 0, x);
        }
        throw Unmapped{"a Reshape of " + dimsText(from) + " to " + dimsText(dims) +
                       " (the reader takes flattening, a channel shuffle and space-to-depth)"};
    }

    // ---- resize, pad, shape, slice ------------------------------------------------------

    void lowerResize(const onnx::NodeProto& n) {
        const Value x = feature(n, 0);
        const std::string mode = stringAttr(n, "mode", "nearest");
        if (mode != "nearest")
            throw Unmapped{"mode " + mode + " (the project upsamples by nearest neighbour)"};
        std::vector<double> scales;
        std::vector<std::int64_t> sizes;
        if (n.op_type() == "Upsample") {
            if (opset_ < 9) {
                const onnx::AttributeProto* a = attribute(n, "scales");
                if (a)
                    scales.assign(a->floats().begin(), a->floats().end());
            } else {
                for (double v : constant(n, 1, "scales").reals)
                    scales.push_back(v);
            }
        } else {
            const int scalesIndex = opset_ < 11 ? 1 : 2;
            if (has(n, scalesIndex)) {
                const ConstTensor& t = constant(n, scalesIndex, "scales");
                for (std::size_t i = 0; i < t.size(); ++i)
                    scales.push_back(t.real(i));
            }
            if (scales.empty() && has(n, 3))
                sizes = constant(n, 3, "sizes").integers();
        }
        int fy = 0, fx = 0;
        if (scales.size() == 4 && scales[0] == 1 && scales[1] == 1) {
            fy = scales[2] == std::floor(scales[2]) && scales[2] >= 1 && scales[2] <= 64
                     ? int(scales[2])
                     : 0;
            fx = scales[3] == std::floor(scales[3]) && scales[3] >= 1 && scales[3] <= 64
                     ? int(scales[3])
                     : 0;
        } else if (sizes.size() == 4 && sizes[0] == 1 && sizes[1] == x.shape.c &&
                   sizes[2] % x.shape.h == 0 && sizes[3] % x.shape.w == 0) {
            fy = int(std::min<std::int64_t>(sizes[2] / x.shape.h, 65));
            fx = int(std::min<std::int64_t>(sizes[3] / x.shape.w, 65));
        }
        if (fy < 1 || fy != fx || fy > 64)
            throw Unmapped{"a resize that is not one integer factor on both axes"};
        if (n.op_type() == "Resize")
            checkNearest(n, x.shape, fy);
        if (fy == 1)
            return define(n, 0, x);
        LayerSpec spec;
        spec.op = Op::Upsample;
        spec.factor = fy;
        define(n, 0, featureOf(addLayer(n, spec, {x.layer})));
    }

    // Resize's coordinate and rounding modes must pick source pixel floor(x / f) for every
    // output pixel: checked on the actual sizes.
    void checkNearest(const onnx::NodeProto& n, const Shape& in, int f) {
        const std::string ctm = stringAttr(n, "coordinate_transformation_mode",
                                           opset_ < 11 ? "asymmetric" : "half_pixel");
        const std::string nearest = stringAttr(n, "nearest_mode", "round_prefer_floor");
        for (int size : {in.h, in.w})
            for (int o = 0; o < size * f; ++o) {
                double src = 0;
                if (ctm == "asymmetric")
                    src = double(o) / f;
                else if (ctm == "half_pixel" || ctm == "pytorch_half_pixel")
                    src = (o + 0.5) / f - 0.5;
                else if (ctm == "align_corners")
                    src = size * f > 1 ? double(o) * (size - 1) / (size * f - 1) : 0;
                else
                    throw Unmapped{"coordinate_transformation_mode " + ctm};
                double picked = 0;
                if (nearest == "floor")
                    picked = std::floor(src);
                else if (nearest == "ceil")
                    picked = std::ceil(src);
                else if (nearest == "round_prefer_ceil")
                    picked = std::floor(src + 0.5);
                else if (nearest == "round_prefer_floor")
                    picked = std::ceil(src - 0.5);
                else
                    throw Unmapped{"nearest_mode " + nearest};
                picked = std::clamp(picked, 0.0, double(size - 1));
                if (picked != o / f)
                    throw Unmapped{"coordinate_transformation_mode " + ctm + " with nearest_mode " +
                                   nearest + " (not nearest-neighbour repetition)"};
            }
    }

    void lowerPad(const onnx::NodeProto& n) {
        const Value x = feature(n, 0);
        if (stringAttr(n, "mode", "constant") != "constant")
            throw Unmapped{"a Pad of mode " + stringAttr(n, "mode", "constant")};
        std::vector<std::int64_t> pads;
        double value = 0;
        if (opset_ < 11) {
            pads = intsAttr(n, "pads");
            value = floatAttr(n, "value", 0.0);
        } else {
            pads = constant(n, 1, "pads").integers();
            if (has(n, 2))
                value = constant(n, 2, "the pad value").real(0);
            if (has(n, 3))
                throw Unmapped{"a Pad of some axes"};
        }
        if (value != 0)
            throw Unmapped{"a Pad with " + num(value) + " (the reader folds zeros into a conv)"};
        if (pads.size() != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0)
            throw Unmapped{"pads " + dimsText(pads) + " (the reader pads height and width)"};
        for (std::int64_t p : pads)
            if (p < 0 || p > 1024)
                throw Unmapped{"pads " + dimsText(pads)};
        Value v = x;
        v.kind = Kind::Pad;
        v.pads = {int(pads[2]), int(pads[3]), int(pads[6]), int(pads[7])};
        define(n, 0, v);
    }

    void lowerShape(const onnx::NodeProto& n) {
        const Value& x = input(n, 0);
        std::vector<std::int64_t> dims = onnxDims(x);
        if (dims.empty())
            throw Unmapped{"the Shape of a tensor the reader has no shape for"};
        std::int64_t start = normalizedAxis(intAttr(n, "start", 0), dims.size());
        std::int64_t end =
            normalizedAxis(intAttr(n, "end", std::int64_t(dims.size())), dims.size());
        start = std::clamp<std::int64_t>(start, 0, std::int64_t(dims.size()));
        end = std::clamp<std::int64_t>(end, start, std::int64_t(dims.size()));
        auto t = std::make_shared<ConstTensor>();
        t->isFloat = false;
        t->ints.assign(dims.begin() + start, dims.begin() + end);
        t->dims = {static_cast<std::int64_t>(t->ints.size())};
        Value v;
        v.kind = Kind::Constant;
        v.constant = std::move(t);
        define(n, 0, v);
    }

    void lowerSlice(const onnx::NodeProto& n) {
        const Value x = feature(n, 0);
        if (n.op_type() == "Split")
            return lowerSplit(n, x);
        std::vector<std::int64_t> starts, ends, axes, steps;
        if (opset_ >= 10) {
            starts = constant(n, 1, "starts").integers();
            ends = constant(n, 2, "ends").integers();
            if (has(n, 3))
                axes = constant(n, 3, "axes").integers();
            if (has(n, 4))
                steps = constant(n, 4, "steps").integers();
        } else {
            starts = intsAttr(n, "starts");
            ends = intsAttr(n, "ends");
            axes = intsAttr(n, "axes");
        }
        if (axes.empty())
            for (std::size_t i = 0; i < starts.size(); ++i)
                axes.push_back(static_cast<std::int64_t>(i));
        if (starts.size() != ends.size() || axes.size() != starts.size() ||
            (!steps.empty() && steps.size() != starts.size()))
            throw Unmapped{"a Slice with lists of different lengths"};
        const std::vector<std::int64_t> dims = onnxDims(x);
        std::int64_t begin = 0, end = x.shape.c;
        for (std::size_t i = 0; i < axes.size(); ++i) {
            const std::int64_t axis = normalizedAxis(axes[i], 4);
            if (axis < 0 || axis > 3 || (!steps.empty() && steps[i] != 1))
                throw Unmapped{"a Slice along axis " + std::to_string(axes[i]) + " with step " +
                               std::to_string(steps.empty() ? 1 : steps[i])};
            const std::int64_t size = dims[std::size_t(axis)];
            const auto clampIndex = [&](std::int64_t v) {
                return std::clamp<std::int64_t>(v < 0 ? v + size : v, 0, size);
            };
            const std::int64_t s = clampIndex(starts[i]), e = clampIndex(ends[i]);
            if (axis == 1) {
                begin = s;
                end = e;
            } else if (s != 0 || e != size) {
                throw Unmapped{"a Slice of the height, width or batch (the reader slices "
                               "channels)"};
            }
        }
        if (end <= begin)
            throw Unmapped{"a Slice that keeps no channel"};
        if (begin == 0 && end == x.shape.c)
            return define(n, 0, x);
        define(n, 0, featureOf(addSliceLayer(n, x, int(begin), int(end - begin))));
    }

    int addSliceLayer(const onnx::NodeProto& n, const Value& x, int begin, int channels) {
        LayerSpec spec;
        spec.op = Op::Slice;
        spec.begin = begin;
        spec.channels = channels;
        return addLayer(n, spec, {x.layer});
    }

    void lowerSplit(const onnx::NodeProto& n, const Value& x) {
        if (normalizedAxis(intAttr(n, "axis", 0), 4) != 1)
            throw Unmapped{"a Split along axis " + std::to_string(intAttr(n, "axis", 0)) +
                           " (the reader splits channels)"};
        std::vector<std::int64_t> split =
            opset_ >= 13
                ? (has(n, 1) ? constant(n, 1, "split").integers() : std::vector<std::int64_t>{})
                : intsAttr(n, "split");
        const int parts = n.output_size();
        if (split.empty()) {
            if (parts < 1 || x.shape.c % parts != 0)
                throw Unmapped{"a Split into parts that do not divide the channels"};
            split.assign(std::size_t(parts), x.shape.c / parts);
        }
        if (static_cast<int>(split.size()) != parts)
            throw Unmapped{"a Split with " + std::to_string(split.size()) + " sizes for " +
                           std::to_string(parts) + " outputs"};
        std::int64_t at = 0;
        for (int k = 0; k < parts; ++k) {
            if (split[std::size_t(k)] < 1 || at + split[std::size_t(k)] > x.shape.c)
                throw Unmapped{"a Split of sizes " + dimsText(split) + " of " +
                               std::to_string(x.shape.c) + " channels"};
            at += split[std::size_t(k)];
        }
        if (at != x.shape.c)
            throw Unmapped{"a Split of sizes " + dimsText(split) + " of " +
                           std::to_string(x.shape.c) + " channels"};
        at = 0;
        for (int k = 0; k < parts; ++k) {
            const int layer = addSliceLayer(n, x, int(at), int(split[std::size_t(k)]));
            layerOutput_[layer] = n.output(k);
            define(n, k, featureOf(layer));
            at += split[std::size_t(k)];
        }
    }

    const onnx::ModelProto& model_;
    const onnx::GraphProto& graph_;
    const ImportOptions& options_;
    std::int64_t opset_ = 0;
    std::map<std::string, Value> values_;
    std::map<std::string, std::vector<int>> consumers_;
    std::map<std::string, int> outputUses_;
    std::map<int, std::string> layerOutput_; // a layer's own ONNX output
    Lowered out_;
};

} // namespace

Result<Lowered> lowerOnnx(const onnx::ModelProto& model, const ImportOptions& options) {
    try {
        return Lowering(model, options).run();
    } catch (const FileError& e) {
        return makeError(e.message);
    } catch (const Unmapped& u) { // outside a node: the model itself
        return makeError(u.reason);
    }
}

} // namespace codesign::modelio
