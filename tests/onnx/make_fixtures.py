#!/usr/bin/python3
"""Writes the small ONNX fixtures of the importer's refusals (docs/import.md, "Refused").

    /usr/bin/python3 tests/onnx/make_fixtures.py tests/data/onnx

Each fixture is a tiny model (a 1x4x8x8 input and a few nodes) with one node, or a few,
that the reader cannot map, or a fault of the file itself. OUTDIR/expected.tsv lists
each file with the line the importer must print for it (a substring of its message).
The files are committed (a few hundred bytes each), so the tests need no Python.
Needs python3-onnx and python3-numpy.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
CASES = []


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32), name)


def ints(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.int64), name)


def model(name, nodes, inits=(), out_shape=None, opset=13, expected="", in_shape=(1, 4, 8, 8)):
    """A graph X -> nodes -> Y; nodes read 'X' and the last one writes 'Y'."""
    graph = helper.make_graph(
        nodes, name, [helper.make_tensor_value_info("X", TensorProto.FLOAT, list(in_shape))],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, out_shape)], list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                          producer_name="codesign fixtures")
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())
    CASES.append((name, expected))


W = np.random.default_rng(1).uniform(-0.5, 0.5, (4, 4, 3, 3)).astype(np.float32)


def conv(name, inp, out, **attrs):
    return helper.make_node("Conv", [inp, "W"], [out], name=name, kernel_shape=[3, 3], **attrs)


def unary(op, **attrs):
    return [helper.make_node(op, ["X"], ["Y"], name=op.lower() + "_node", **attrs)]


def main():
    os.makedirs(OUT, exist_ok=True)
    w = [const("W", W)]
    # One model that imports (the mutation fuzz starts from it too): conv-bn-relu, max
    # pooling, a 1x1 conv with LeakyRelu, nearest Resize, Concat, global pooling, Gemm.
    rng = np.random.default_rng(2)
    model("valid_small",
          [helper.make_node("Conv", ["X", "W1", "B1"], ["C1"], name="conv1",
                            kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
           helper.make_node("BatchNormalization", ["C1", "g", "b", "m", "v"], ["N1"], name="bn1"),
           helper.make_node("Relu", ["N1"], ["A"], name="relu1"),
           helper.make_node("MaxPool", ["A"], ["P"], name="pool", kernel_shape=[2, 2],
                            strides=[2, 2]),
           helper.make_node("Conv", ["P", "W2"], ["C2"], name="conv2", kernel_shape=[1, 1]),
           helper.make_node("LeakyRelu", ["C2"], ["L"], name="leaky", alpha=0.1),
           helper.make_node("Resize", ["L", "", "s"], ["U"], name="up", mode="nearest"),
           helper.make_node("Concat", ["A", "U"], ["K"], name="cat", axis=1),
           helper.make_node("GlobalAveragePool", ["K"], ["G"], name="gap"),
           helper.make_node("Flatten", ["G"], ["F"], name="flat"),
           helper.make_node("Gemm", ["F", "WF", "BF"], ["Y"], name="fc", transB=1)],
          [const("W1", rng.uniform(-0.3, 0.3, (8, 4, 3, 3))), const("B1", rng.uniform(-0.1, 0.1, 8)),
           const("g", rng.uniform(0.5, 1.5, 8)), const("b", rng.uniform(-0.2, 0.2, 8)),
           const("m", rng.uniform(-0.2, 0.2, 8)), const("v", rng.uniform(0.5, 1.5, 8)),
           const("W2", rng.uniform(-0.3, 0.3, (8, 8, 1, 1))), const("s", [1, 1, 2, 2]),
           const("WF", rng.uniform(-0.3, 0.3, (10, 16))), const("BF", rng.uniform(-0.1, 0.1, 10))],
          expected="")
    # Conv: dilation (twice, to check that every node is listed), strides, auto_pad.
    # (A node after an unsupported one is not listed: its input has no form either.)
    model("conv_dilation", [conv("c1", "X", "A", dilations=[2, 2], pads=[2, 2, 2, 2]),
                            conv("c2", "X", "B", dilations=[2, 2], pads=[2, 2, 2, 2]),
                            helper.make_node("Add", ["A", "B"], ["Y"], name="add")], w,
          expected="Conv x2: dilation 2 (dilated windows have no project form): c1, c2")
    model("conv_strides", [conv("c1", "X", "Y", strides=[1, 2], pads=[1, 1, 1, 1])], w,
          expected="Conv x1: strides [1, 2]")
    model("conv_pads_two", [conv("c1", "X", "Y", pads=[1, 1])], w,
          expected="Conv x1: pads [1, 1] (a 2-D window takes four): c1")
    model("conv_weights_computed",
          [helper.make_node("Conv", ["X", "X"], ["Y"], name="c1", kernel_shape=[8, 8])],
          expected="Conv x1: Conv weights computed by the network (the reader takes constants): c1")
    # Activations outside the project's forms.
    model("clip_range", [helper.make_node("Clip", ["X", "lo", "hi"], ["Y"], name="clip")],
          [const("lo", -1.0), const("hi", 1.0)],
          expected="Clip x1: a Clip to [-1, 1] (the project has relu for [0, inf) and relu6 "
                   "for [0, 6]): clip")
    model("hard_sigmoid_alpha", unary("HardSigmoid", alpha=0.2, beta=0.5),
          expected="HardSigmoid x1: alpha 0.2, beta 0.5 (the project's hard_sigmoid is "
                   "PyTorch's: alpha 1/6, beta 1/2): hardsigmoid_node")
    model("unknown_op", unary("Tanh") , expected="Tanh x1: no project op for it: tanh_node")
    model("custom_domain",
          [helper.make_node("Relu", ["X"], ["Y"], name="mine", domain="com.example")],
          expected="Relu x1: an op of the domain 'com.example': mine")
    # Several kinds at once: every one is listed, with its count.
    model("many_unsupported",
          [helper.make_node("Tanh", ["X"], ["A"], name="t1"),
           helper.make_node("Elu", ["X"], ["B"], name="e1"),
           helper.make_node("Tanh", ["X"], ["C"], name="t2"),
           helper.make_node("Add", ["A", "B"], ["D"], name="add"),
           helper.make_node("Add", ["D", "C"], ["Y"], name="add2")],
          expected="3 nodes cannot be imported")
    # Arithmetic of two feature maps other than Add and Mul; broadcasting adds.
    model("sub_features", [helper.make_node("Relu", ["X"], ["A"], name="r"),
                           helper.make_node("Sub", ["X", "A"], ["Y"], name="sub")],
          expected="Sub x1: a Sub of two feature maps: sub")
    model("add_broadcast",
          [helper.make_node("ReduceMean", ["X"], ["M"], name="mean", axes=[2, 3], keepdims=1),
           helper.make_node("Add", ["X", "M"], ["Y"], name="add")],
          expected="Add x1: an Add that broadcasts 4x8x8 and 4x1x1: add")
    # Batch norms that cannot be folded or kept.
    bn = [const("g", [1] * 4), const("b", [0] * 4), const("m", [0] * 4)]
    model("bn_negative_variance",
          [helper.make_node("BatchNormalization", ["X", "g", "b", "m", "v"], ["Y"], name="bn",
                            epsilon=0.0)], bn + [const("v", [1, 1, -1, 1])],
          expected="BatchNormalization x1: a batch norm with a variance of -1: bn")
    model("bn_training",
          [helper.make_node("BatchNormalization", ["X", "g", "b", "m", "v"], ["Y"], name="bn",
                            training_mode=1)], bn + [const("v", [1] * 4)], opset=15,
          expected="BatchNormalization x1: a batch norm in training mode: bn")
    # Pooling.
    model("avgpool_exclude_pad",
          [helper.make_node("AveragePool", ["X"], ["Y"], name="avg", kernel_shape=[3, 3],
                            pads=[1, 1, 1, 1])],
          expected="AveragePool x1: an average that leaves the padding out (count_include_pad "
                   "0): avg")
    model("maxpool_after_pad",
          [helper.make_node("Pad", ["X", "p"], ["P"], name="pad"),
           helper.make_node("MaxPool", ["P"], ["Y"], name="max", kernel_shape=[2, 2],
                            strides=[2, 2])], [ints("p", [0, 0, 1, 1, 0, 0, 1, 1])],
          expected="MaxPool x1: a MaxPool after a Pad (zeros are not the padding a max "
                   "ignores): max")
    model("maxpool_indices",
          [helper.make_node("MaxPool", ["X"], ["Y", "I"], name="max", kernel_shape=[2, 2],
                            strides=[2, 2]),
           helper.make_node("Cast", ["I"], ["Z"], name="cast", to=TensorProto.FLOAT)],
          expected="MaxPool x1: a MaxPool whose indices are used: max")
    model("reduce_channels",
          [helper.make_node("ReduceMean", ["X"], ["Y"], name="mean", axes=[1], keepdims=1)],
          expected="ReduceMean x1: a ReduceMean over axes [1] (the reader takes the mean over "
                   "height and width): mean")
    # Pads other than zeros folded into a conv.
    model("pad_reflect",
          [helper.make_node("Pad", ["X", "p"], ["P"], name="pad", mode="reflect"),
           conv("c1", "P", "Y")], w + [ints("p", [0, 0, 1, 1, 0, 0, 1, 1])],
          expected="Pad x1: a Pad of mode reflect: pad")
    model("pad_value",
          [helper.make_node("Pad", ["X", "p", "v"], ["P"], name="pad"), conv("c1", "P", "Y")],
          w + [ints("p", [0, 0, 1, 1, 0, 0, 1, 1]), const("v", 1.5)],
          expected="Pad x1: a Pad with 1.5 (the reader folds zeros into a conv): pad")
    model("pad_channels",
          [helper.make_node("Pad", ["X", "p"], ["P"], name="pad"), conv("c1", "P", "Y")],
          w + [ints("p", [0, 1, 1, 1, 0, 1, 1, 1])],
          expected="Pad x1: pads [0, 1, 1, 1, 0, 1, 1, 1] (the reader pads height and width)")
    # Resize: linear, a fractional factor.
    model("resize_linear",
          [helper.make_node("Resize", ["X", "", "s"], ["Y"], name="up", mode="linear")],
          [const("s", [1, 1, 2, 2])],
          expected="Resize x1: mode linear (the project upsamples by nearest neighbour): up")
    model("resize_fraction",
          [helper.make_node("Resize", ["X", "", "s"], ["Y"], name="up", mode="nearest")],
          [const("s", [1, 1, 1.5, 1.5])],
          expected="Resize x1: a resize that is not one integer factor on both axes: up")
    # Shapes the project does not have.
    model("concat_height",
          [helper.make_node("Relu", ["X"], ["A"], name="r"),
           helper.make_node("Concat", ["X", "A"], ["Y"], name="cat", axis=2)],
          expected="Concat x1: a Concat along axis 2 (the project concatenates channels): cat")
    model("flatten_axis2", [helper.make_node("Flatten", ["X"], ["Y"], name="flat", axis=2)],
          expected="Flatten x1: a Flatten at axis 2: flat")
    model("transpose_hw",
          [helper.make_node("Transpose", ["X"], ["Y"], name="tr", perm=[0, 1, 3, 2])],
          expected="Transpose x1: a Transpose [0, 1, 3, 2] of [1, 4, 8, 8]")
    model("reshape_rows",
          [helper.make_node("Reshape", ["X", "s"], ["Y"], name="rs")], [ints("s", [1, 8, 4, 8])],
          expected="Reshape x1: a Reshape of [1, 4, 8, 8] to [1, 8, 4, 8]")
    model("slice_height",
          [helper.make_node("Slice", ["X", "st", "en", "ax"], ["Y"], name="sl")],
          [ints("st", [0]), ints("en", [4]), ints("ax", [2])],
          expected="Slice x1: a Slice of the height, width or batch (the reader slices "
                   "channels): sl")
    model("gemm_of_4d",
          [helper.make_node("Gemm", ["X", "G"], ["Y"], name="fc")],
          [const("G", np.zeros((8, 10)))],
          expected="Gemm x1: a Gemm of a 4-D input (flatten it first): fc")
    model("dropout_mask",
          [helper.make_node("Dropout", ["X"], ["A", "M"], name="drop"),
           helper.make_node("Cast", ["M"], ["B"], name="cast", to=TensorProto.FLOAT),
           helper.make_node("Add", ["A", "B"], ["Y"], name="add")],
          expected="Dropout x1: a Dropout whose mask is used: drop")
    # Faults of the file itself: the import stops at the first.
    model("dangling_input", [helper.make_node("Relu", ["Q"], ["Y"], name="r")],
          expected="node 'r' (Relu) reads 'Q', which no node before it produces")
    model("duplicate_output", [helper.make_node("Relu", ["X"], ["Y"], name="r1"),
                               helper.make_node("Relu", ["X"], ["Y"], name="r2")],
          expected="node 'r2' produces 'Y', which is already defined")
    with open(os.path.join(OUT, "not_onnx.onnx"), "wb") as f:
        f.write(b"name: not a model\n\x00\x01\x02 this is text, not protobuf\n")
    CASES.append(("not_onnx", "not an ONNX model (the file does not parse as a ModelProto)"))
    with open(os.path.join(OUT, "expected.tsv"), "w") as f:
        f.write("# fixture\texpected text in the importer's message (make_fixtures.py)\n")
        for name, text in CASES:
            f.write(f"{name}\t{text}\n")
    print(f"{len(CASES)} fixtures in {OUT}")


if __name__ == "__main__":
    main()
