#include "onnx_writer.h"

#include <initializer_list>
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

namespace codesign::hls {
namespace {

constexpr int kOpset = 14; // HardSwish is an op from 14 on

class OnnxBuilder {
public:
    explicit OnnxBuilder(onnx::GraphProto& g) : g_(g) {}

    std::string fresh(const std::string& hint) { return hint + "_" + std::to_string(next_++); }

    onnx::NodeProto& node(const std::string& op, std::initializer_list<std::string> inputs,
                          const std::string& output) {
        onnx::NodeProto* n = g_.add_node();
        n->set_op_type(op);
        n->set_name(output);
        for (const std::string& in : inputs)
            n->add_input(in);
        n->add_output(output);
        return *n;
    }

    static void ints(onnx::NodeProto& n, const std::string& name, std::initializer_list<long> v) {
        onnx::AttributeProto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INTS);
        for (long x : v)
            a->add_ints(x);
    }
    static void integer(onnx::NodeProto& n, const std::string& name, long v) {
        onnx::AttributeProto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(v);
    }
    static void real(onnx::NodeProto& n, const std::string& name, float v) {
        onnx::AttributeProto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(v);
    }
    static void text(onnx::NodeProto& n, const std::string& name, const std::string& v) {
        onnx::AttributeProto* a = n.add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::STRING);
        a->set_s(v);
    }

    std::string floats(const std::string& name, const std::vector<float>& v,
                       std::initializer_list<long> dims) {
        onnx::TensorProto* t = g_.add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (long d : dims)
            t->add_dims(d);
        for (float f : v)
            t->add_float_data(f);
        return name;
    }
    std::string int64s(const std::string& hint, std::initializer_list<long> v,
                       bool scalar = false) {
        const std::string name = fresh(hint);
        onnx::TensorProto* t = g_.add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::INT64);
        if (!scalar)
            t->add_dims(static_cast<long>(v.size()));
        for (long x : v)
            t->add_int64_data(x);
        return name;
    }
    std::string scalarFloat(const std::string& hint, float v) {
        const std::string name = fresh(hint);
        onnx::TensorProto* t = g_.add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::FLOAT);
        t->add_float_data(v);
        return name;
    }

private:
    onnx::GraphProto& g_;
    int next_ = 0;
};

void valueInfo(onnx::ValueInfoProto* v, const std::string& name, const Shape& s) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (long d : {1L, long(s.c), long(s.h), long(s.w)})
        t->mutable_shape()->add_dim()->set_dim_value(d);
}

std::string tensorName(const Graph& g, int node) {
    return node < 0 ? std::string("input") : g.nodes[node].name;
}

// The decode of bbox_head (see the reference) with ONNX integer and float ops.
void bboxHead(OnnxBuilder& b, const Node& n, const std::string& in, const std::string& out) {
    const long a = n.anchors, h = n.in.h, w = n.in.w;
    const std::string p = out + "/";
    b.node("Reshape", {in, b.int64s(p + "shape5", {1, a, 5, h, w})}, p + "grid");
    auto& t = b.node("Transpose", {p + "grid"}, p + "cells5");
    OnnxBuilder::ints(t, "perm", {0, 3, 4, 1, 2});
    b.node("Reshape", {p + "cells5", b.int64s(p + "rows", {h * w * a, 5})}, p + "cells");
    auto& conf = b.node("Gather", {p + "cells", b.int64s(p + "four", {4}, true)}, p + "conf");
    OnnxBuilder::integer(conf, "axis", 1);
    auto& arg = b.node("ArgMax", {p + "conf"}, p + "best");
    OnnxBuilder::integer(arg, "axis", 0);
    OnnxBuilder::integer(arg, "keepdims", 0);
    OnnxBuilder::integer(arg, "select_last_index", 0);
    b.node("Gather", {p + "cells", p + "best"}, p + "sel");
    b.node("Div", {p + "best", b.int64s(p + "a", {a}, true)}, p + "cell");
    b.node("Mod", {p + "cell", b.int64s(p + "w", {w}, true)}, p + "col");
    b.node("Div", {p + "cell", b.int64s(p + "w2", {w}, true)}, p + "row");
    auto& cc = b.node("Cast", {p + "col"}, p + "colf");
    OnnxBuilder::integer(cc, "to", onnx::TensorProto::FLOAT);
    auto& cr = b.node("Cast", {p + "row"}, p + "rowf");
    OnnxBuilder::integer(cr, "to", onnx::TensorProto::FLOAT);
    b.node("Gather", {p + "sel", b.int64s(p + "zero", {0}, true)}, p + "tx");
    b.node("Gather", {p + "sel", b.int64s(p + "one", {1}, true)}, p + "ty");
    b.node("Add", {p + "colf", p + "tx"}, p + "xsum");
    b.node("Add", {p + "rowf", p + "ty"}, p + "ysum");
    b.node("Div", {p + "xsum", b.scalarFloat(p + "wf", float(w))}, p + "x");
    b.node("Div", {p + "ysum", b.scalarFloat(p + "hf", float(h))}, p + "y");
    b.node("Unsqueeze", {p + "x", b.int64s(p + "ax0", {0})}, p + "x1");
    b.node("Unsqueeze", {p + "y", b.int64s(p + "ax1", {0})}, p + "y1");
    b.node("Slice",
           {p + "sel", b.int64s(p + "s", {2}), b.int64s(p + "e", {5}), b.int64s(p + "axs", {0})},
           p + "whc");
    auto& cat = b.node("Concat", {p + "x1", p + "y1", p + "whc"}, p + "box");
    OnnxBuilder::integer(cat, "axis", 0);
    b.node("Reshape", {p + "box", b.int64s(p + "out", {1, 5, 1, 1})}, out);
}

Status addNode(OnnxBuilder& b, const Graph& g, const reference::WeightSet& ws, int i) {
    const Node& n = g.nodes[i];
    const std::string out = n.name;
    const std::string in = tensorName(g, n.inputs.front());
    const reference::LayerWeights* lw = ws.find(n.name);
    const auto weights = [&](std::initializer_list<long> dims) {
        return b.floats(n.name + "/weight", lw->weights, dims);
    };
    const auto bias = [&]() {
        return b.floats(n.name + "/bias", lw->bias, {long(lw->bias.size())});
    };
    switch (n.op) {
    case Op::Conv:
    case Op::DwConv:
    case Op::PwConv: {
        const long groups = n.op == Op::DwConv ? n.in.c : n.op == Op::Conv ? n.groups : 1;
        const std::string w = weights({n.out.c, n.in.c / groups, n.kernelH, n.kernelW});
        auto& c = n.bias ? b.node("Conv", {in, w, bias()}, out) : b.node("Conv", {in, w}, out);
        OnnxBuilder::ints(c, "kernel_shape", {n.kernelH, n.kernelW});
        OnnxBuilder::ints(c, "strides", {n.stride, n.stride});
        OnnxBuilder::ints(c, "pads", {n.padH, n.padW, n.padBottom, n.padRight});
        OnnxBuilder::integer(c, "group", groups);
        return okStatus();
    }
    case Op::Fuse: {
        const long k = n.kernelH, c = n.in.c;
        if (n.padH > k - 1 || n.padW > k - 1)
            return makeError("fuse padding larger than kernel - 1 has no ONNX form", n.pos, n.name);
        const bool full = n.variant == FuseVariant::Full;
        const long split = full ? c : c / 2;
        const long outC = n.out.c;
        std::vector<float> wh(lw->weights.begin(), lw->weights.begin() + split * k);
        std::vector<float> wv(lw->weights.begin() + split * k, lw->weights.end());
        std::string xh = in, xv = in;
        if (!full) {
            xh = b.fresh(out + "/first");
            xv = b.fresh(out + "/second");
            b.node("Slice",
                   {in, b.int64s(out + "/s0", {0}), b.int64s(out + "/e0", {split}),
                    b.int64s(out + "/a0", {1})},
                   xh);
            b.node("Slice",
                   {in, b.int64s(out + "/s1", {split}), b.int64s(out + "/e1", {c}),
                    b.int64s(out + "/a1", {1})},
                   xv);
        }
        const long nh = split, nv = outC - split;
        const std::string hOut = out + "/horizontal", vOut = out + "/vertical";
        const std::string hw = b.floats(out + "/weight_h", wh, {nh, 1, 1, k});
        const std::string vw = b.floats(out + "/weight_v", wv, {nv, 1, k, 1});
        onnx::NodeProto* hc = nullptr;
        onnx::NodeProto* vc = nullptr;
        if (n.bias) {
            std::vector<float> bh(lw->bias.begin(), lw->bias.begin() + split);
            std::vector<float> bv(lw->bias.begin() + split, lw->bias.end());
            hc = &b.node("Conv", {xh, hw, b.floats(out + "/bias_h", bh, {nh})}, hOut);
            vc = &b.node("Conv", {xv, vw, b.floats(out + "/bias_v", bv, {nv})}, vOut);
        } else {
            hc = &b.node("Conv", {xh, hw}, hOut);
            vc = &b.node("Conv", {xv, vw}, vOut);
        }
        OnnxBuilder::ints(*hc, "kernel_shape", {1, k});
        OnnxBuilder::ints(*hc, "pads", {0, n.padW, 0, k - 1 - n.padW});
        OnnxBuilder::ints(*vc, "kernel_shape", {k, 1});
        OnnxBuilder::ints(*vc, "pads", {n.padH, 0, k - 1 - n.padH, 0});
        for (onnx::NodeProto* conv : {hc, vc}) {
            OnnxBuilder::ints(*conv, "strides", {n.stride, n.stride});
            OnnxBuilder::integer(*conv, "group", conv == hc ? nh : nv);
        }
        auto& cat = b.node("Concat", {hOut, vOut}, out);
        OnnxBuilder::integer(cat, "axis", 1);
        return okStatus();
    }
    case Op::MaxPool:
    case Op::AvgPool: {
        auto& p = b.node(n.op == Op::MaxPool ? "MaxPool" : "AveragePool", {in}, out);
        OnnxBuilder::ints(p, "kernel_shape", {n.kernelH, n.kernelW});
        OnnxBuilder::ints(p, "strides", {n.stride, n.stride});
        OnnxBuilder::ints(p, "pads", {n.padH, n.padW, n.padBottom, n.padRight});
        if (n.op == Op::AvgPool)
            OnnxBuilder::integer(p, "count_include_pad", 1);
        return okStatus();
    }
    case Op::GlobalAvgPool:
        b.node("GlobalAveragePool", {in}, out);
        return okStatus();
    case Op::Relu:
        b.node("Relu", {in}, out);
        return okStatus();
    case Op::Relu6:
        b.node("Clip", {in, b.scalarFloat(out + "/min", 0), b.scalarFloat(out + "/max", 6)}, out);
        return okStatus();
    case Op::Bn: { // x * scale + shift: a batch norm of mean 0, variance 1 and no epsilon
        const long c = n.in.c;
        auto& bn = b.node("BatchNormalization",
                          {in, b.floats(out + "/scale", lw->weights, {c}),
                           b.floats(out + "/shift", lw->bias, {c}),
                           b.floats(out + "/mean", std::vector<float>(std::size_t(c), 0.f), {c}),
                           b.floats(out + "/var", std::vector<float>(std::size_t(c), 1.f), {c})},
                          out);
        OnnxBuilder::real(bn, "epsilon", 0.f);
        return okStatus();
    }
    case Op::LeakyRelu: {
        auto& r = b.node("LeakyRelu", {in}, out);
        OnnxBuilder::real(r, "alpha", static_cast<float>(n.slope));
        return okStatus();
    }
    case Op::Sigmoid:
        b.node("Sigmoid", {in}, out);
        return okStatus();
    case Op::HardSigmoid: { // PyTorch's: relu6(x + 3) / 6
        auto& h = b.node("HardSigmoid", {in}, out);
        OnnxBuilder::real(h, "alpha", 1.f / 6.f);
        OnnxBuilder::real(h, "beta", 0.5f);
        return okStatus();
    }
    case Op::HardSwish:
        b.node("HardSwish", {in}, out);
        return okStatus();
    case Op::Mul:
        b.node("Mul", {in, tensorName(g, n.inputs[1])}, out);
        return okStatus();
    case Op::Shuffle: { // torchvision's channel_shuffle: view, transpose, view
        const long groups = n.groups, c = n.in.c, h = n.in.h, w = n.in.w;
        b.node("Reshape", {in, b.int64s(out + "/s5", {1, groups, c / groups, h, w})},
               out + "/grouped");
        auto& t = b.node("Transpose", {out + "/grouped"}, out + "/swapped");
        OnnxBuilder::ints(t, "perm", {0, 2, 1, 3, 4});
        b.node("Reshape", {out + "/swapped", b.int64s(out + "/s4", {1, c, h, w})}, out);
        return okStatus();
    }
    case Op::Slice:
        b.node("Slice",
               {in, b.int64s(out + "/starts", {n.begin}),
                b.int64s(out + "/ends", {n.begin + n.out.c}), b.int64s(out + "/axes", {1})},
               out);
        return okStatus();
    case Op::Fc: {
        const std::string flat = out + "/flat", gemm = out + "/gemm";
        auto& f = b.node("Flatten", {in}, flat);
        OnnxBuilder::integer(f, "axis", 1);
        const std::string w = weights({n.out.c, long(n.in.elements())});
        auto& m =
            n.bias ? b.node("Gemm", {flat, w, bias()}, gemm) : b.node("Gemm", {flat, w}, gemm);
        OnnxBuilder::integer(m, "transB", 1);
        b.node("Reshape", {gemm, b.int64s(out + "/shape", {1, n.out.c, 1, 1})}, out);
        return okStatus();
    }
    case Op::Add:
    case Op::Concat: {
        onnx::NodeProto& s = b.node(n.op == Op::Add ? "Sum" : "Concat", {}, out);
        for (int src : n.inputs)
            s.add_input(tensorName(g, src));
        if (n.op == Op::Concat)
            OnnxBuilder::integer(s, "axis", 1);
        return okStatus();
    }
    case Op::Reorg: { // PyTorch pixel_unshuffle's channel order
        const long f = n.factor, c = n.in.c, h = n.out.h, w = n.out.w;
        b.node("Reshape", {in, b.int64s(out + "/s6", {1, c, h, f, w, f})}, out + "/split");
        auto& t = b.node("Transpose", {out + "/split"}, out + "/moved");
        OnnxBuilder::ints(t, "perm", {0, 1, 3, 5, 2, 4});
        b.node("Reshape", {out + "/moved", b.int64s(out + "/s4", {1, c * f * f, h, w})}, out);
        return okStatus();
    }
    case Op::Upsample: {
        const std::string scales =
            b.floats(out + "/scales", {1, 1, float(n.factor), float(n.factor)}, {4});
        auto& r = b.node("Resize", {in, "", scales}, out);
        OnnxBuilder::text(r, "mode", "nearest");
        OnnxBuilder::text(r, "coordinate_transformation_mode", "asymmetric");
        OnnxBuilder::text(r, "nearest_mode", "floor");
        return okStatus();
    }
    case Op::BboxHead:
        bboxHead(b, n, in, out);
        return okStatus();
    }
    return makeError("no ONNX form for this layer", n.pos, n.name);
}

} // namespace

Status checkOnnx(const std::string& bytes) {
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes))
        return makeError("model.onnx is not a valid ONNX protobuf");
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& e) {
        return makeError(std::string("onnx::checker rejected the model: ") + e.what());
    }
    return okStatus();
}

Result<std::string> onnxModel(const Graph& g, const reference::WeightSet& ws,
                              const std::string& project) {
    onnx::ModelProto model;
    model.set_ir_version(onnx::IR_VERSION);
    model.set_producer_name("codesign-studio");
    model.set_model_version(1);
    model.set_doc_string("Generated by Codesign Studio export from project '" + project + "'.");
    onnx::OperatorSetIdProto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    onnx::GraphProto* graph = model.mutable_graph();
    graph->set_name(project.empty() ? std::string("network") : project);
    valueInfo(graph->add_input(), "input", g.input);
    OnnxBuilder b(*graph);
    for (std::size_t i = 0; i < g.nodes.size(); ++i)
        if (Status s = addNode(b, g, ws, static_cast<int>(i)); !s.ok())
            return s.error();
    valueInfo(graph->add_output(), g.outputNode().name, g.outputNode().out);
    std::string bytes;
    if (!model.SerializeToString(&bytes))
        return makeError("internal: the ONNX model could not be serialized");
    if (Status s = checkOnnx(bytes); !s.ok())
        return s.error();
    return bytes;
}

} // namespace codesign::hls
