#include "torch_writer.h"

#include "core/util/yaml_fields.h"
#include "hls_source_writer.h"

#include <sstream>

namespace codesign::hls {
namespace {

std::string var(int node) {
    return node < 0 ? std::string("x") : "t" + std::to_string(node);
}

std::string pair(int a, int b) {
    return "(" + std::to_string(a) + ", " + std::to_string(b) + ")";
}

const char* pyBool(bool b) {
    return b ? "True" : "False";
}

// The constructor line of a layer's module, or empty for functional layers.
std::string moduleFor(const Node& n) {
    const std::string kernel = pair(n.kernelH, n.kernelW);
    const std::string pad = pair(n.padH, n.padW);
    switch (n.op) {
    case Op::Conv:
    case Op::PwConv:
        return "nn.Conv2d(" + std::to_string(n.in.c) + ", " + std::to_string(n.out.c) + ", " +
               kernel + ", stride=" + std::to_string(n.stride) + ", padding=" + pad +
               ", groups=" + std::to_string(n.op == Op::Conv ? n.groups : 1) +
               ", bias=" + pyBool(n.bias) + ")";
    case Op::DwConv:
        return "nn.Conv2d(" + std::to_string(n.in.c) + ", " + std::to_string(n.in.c) + ", " +
               kernel + ", stride=" + std::to_string(n.stride) + ", padding=" + pad +
               ", groups=" + std::to_string(n.in.c) + ", bias=" + pyBool(n.bias) + ")";
    case Op::Fuse:
        return "Fuse(" + std::to_string(n.in.c) + ", " + std::to_string(n.kernelH) + ", " +
               std::to_string(n.stride) + ", " + pad +
               ", full=" + pyBool(n.variant == FuseVariant::Full) + ", bias=" + pyBool(n.bias) +
               ")";
    case Op::Fc:
        return "nn.Linear(" + std::to_string(n.in.elements()) + ", " + std::to_string(n.out.c) +
               ", bias=" + pyBool(n.bias) + ")";
    case Op::Bn:
        return "Affine(" + std::to_string(n.in.c) + ")";
    case Op::MaxPool:
        return "nn.MaxPool2d(" + kernel + ", stride=" + std::to_string(n.stride) +
               ", padding=" + pad + ")";
    case Op::AvgPool:
        return "nn.AvgPool2d(" + kernel + ", stride=" + std::to_string(n.stride) +
               ", padding=" + pad + ", count_include_pad=True)";
    case Op::BboxHead:
        return "BboxHead(" + std::to_string(n.anchors) + ")";
    default:
        return {};
    }
}

std::string call(const Node& n, const std::string& self) {
    const std::string a = var(n.inputs.front());
    switch (n.op) {
    case Op::Relu:
        return "F.relu(" + a + ")";
    case Op::Relu6:
        return "F.relu6(" + a + ")";
    case Op::GlobalAvgPool:
        return "F.adaptive_avg_pool2d(" + a + ", 1)";
    case Op::Fc:
        return self + "(torch.flatten(" + a + ", 1)).view(-1, " + std::to_string(n.out.c) +
               ", 1, 1)";
    case Op::Add: {
        std::string s = a;
        for (std::size_t k = 1; k < n.inputs.size(); ++k)
            s += " + " + var(n.inputs[k]);
        return s;
    }
    case Op::Concat: {
        std::string s = "torch.cat([";
        for (std::size_t k = 0; k < n.inputs.size(); ++k)
            s += (k ? ", " : "") + var(n.inputs[k]);
        return s + "], dim=1)";
    }
    case Op::LeakyRelu:
        return "F.leaky_relu(" + a + ", " + yamlNumber(n.slope) + ")";
    case Op::Sigmoid:
        return "torch.sigmoid(" + a + ")";
    case Op::HardSigmoid:
        return "F.hardsigmoid(" + a + ")";
    case Op::HardSwish:
        return "F.hardswish(" + a + ")";
    case Op::Mul:
        return a + " * " + var(n.inputs[1]);
    case Op::Shuffle:
        return "torch.flatten(" + a + ".unflatten(1, (" + std::to_string(n.groups) +
               ", -1)).transpose(1, 2), 1, 2)";
    case Op::Slice:
        return a + "[:, " + std::to_string(n.begin) + ":" + std::to_string(n.begin + n.out.c) + "]";
    case Op::Reorg:
        return "F.pixel_unshuffle(" + a + ", " + std::to_string(n.factor) + ")";
    case Op::Upsample:
        return "F.interpolate(" + a + ", scale_factor=" + std::to_string(n.factor) +
               ", mode=\"nearest\")";
    default:
        return self + "(" + a + ")";
    }
}

constexpr const char* kPrelude = R"PY(import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class Fuse(nn.Module):
    """FuSeConv: 1xK and Kx1 depthwise branches. Half: the first C/2 channels run 1xK, the
    rest Kx1 (output C). Full: both on every channel (output 2C: 1xK then Kx1). Weights
    [C_out][K] as in the weight file."""

    def __init__(self, channels, k, stride, padding, full, bias):
        super().__init__()
        self.channels, self.k, self.stride, self.full = channels, k, stride, full
        self.pad_h, self.pad_w = padding
        out = 2 * channels if full else channels
        self.weight = nn.Parameter(torch.zeros(out, k))
        self.bias = nn.Parameter(torch.zeros(out)) if bias else None

    def forward(self, x):
        c, k = self.channels, self.k
        split = c if self.full else c // 2
        xh = x if self.full else x[:, :split]
        xv = x if self.full else x[:, split:]
        bias = self.bias
        bh = None if bias is None else bias[:split]
        bv = None if bias is None else bias[split:]
        # Output pixel (y, x) reads rows y*S and columns x*S - pad + t (t < K), and the
        # transpose for the Kx1 branch; the padding keeps (H - 1) / S + 1 outputs.
        h = F.conv2d(F.pad(xh, (self.pad_w, k - 1 - self.pad_w, 0, 0)),
                     self.weight[:split].view(-1, 1, 1, k), bh, self.stride, 0, 1, xh.shape[1])
        v = F.conv2d(F.pad(xv, (0, 0, self.pad_h, k - 1 - self.pad_h)),
                     self.weight[split:].view(-1, 1, k, 1), bv, self.stride, 0, 1, xv.shape[1])
        return torch.cat([h, v], dim=1)


class Affine(nn.Module):
    """bn as deployed: a per-channel scale and shift (running statistics folded in)."""

    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        return x * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class BboxHead(nn.Module):
    """The most confident anchor, decoded as x = (col + tx) / W, y = (row + ty) / H, w, h,
    confidence. Output N x 5 x 1 x 1. On a tie, the tied entry nearest the ties' centroid:
    with k tied entries whose rows and columns sum to R and C, the least
    (k*row - R)^2 + (k*col - C)^2, first in row, column, anchor order (docs/export.md)."""

    def __init__(self, anchors):
        super().__init__()
        self.anchors = anchors

    def forward(self, x):
        n, _, h, w = x.shape
        a = self.anchors
        cells = x.view(n, a, 5, h, w).permute(0, 3, 4, 1, 2).reshape(n, h * w * a, 5)
        conf = cells[:, :, 4]
        tied = conf == conf.max(dim=1, keepdim=True).values
        index = torch.arange(h * w * a, device=x.device)
        r = torch.div(index, w * a, rounding_mode="floor")
        c = torch.div(index, a, rounding_mode="floor") % w
        k = tied.sum(dim=1, keepdim=True)
        dr = k * r - (tied * r).sum(dim=1, keepdim=True)
        dc = k * c - (tied * c).sum(dim=1, keepdim=True)
        far = torch.full_like(dr, torch.iinfo(torch.int64).max)
        best = torch.argmin(torch.where(tied, dr * dr + dc * dc, far), dim=1)  # first nearest
        sel = cells[torch.arange(n), best]
        cell = torch.div(best, a, rounding_mode="floor")
        col = (cell % w).to(x.dtype)
        row = torch.div(cell, w, rounding_mode="floor").to(x.dtype)
        box = torch.stack([(col + sel[:, 0]) / w, (row + sel[:, 1]) / h,
                           sel[:, 2], sel[:, 3], sel[:, 4]], dim=1)
        return box.view(n, 5, 1, 1)


def read_weights(path):
    """model/weights.bin (docs/export.md): {layer name: (weights, bias)} as float lists."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"CSWEIGHT":
        raise ValueError(path + " is not a Codesign Studio weights file")
    version, count, seed = struct.unpack_from("<IIQ", data, 8)
    at = 24
    (n,) = struct.unpack_from("<I", data, at)
    at += 4 + n
    layers = {}
    for _ in range(count):
        (n,) = struct.unpack_from("<I", data, at)
        name = data[at + 4:at + 4 + n].decode()
        at += 4 + n
        nw, nb = struct.unpack_from("<QQ", data, at)
        at += 16
        w = list(struct.unpack_from("<%df" % nw, data, at))
        at += 4 * nw
        b = list(struct.unpack_from("<%df" % nb, data, at))
        at += 4 * nb
        layers[name] = (w, b)
    return layers
)PY";

} // namespace

std::string torchModule(const Graph& g, const std::string& project) {
    std::ostringstream s;
    s << "\"\"\"" << project
      << ": the network as a PyTorch module. Generated by Codesign Studio; the\n"
         "layer names, shapes and weight layouts match model/weights.bin, model.onnx and the\n"
         "accelerator (docs/export.md). Float arithmetic: the fixed-point behaviour is defined\n"
         "by the reference and checked by the HLS testbench.\n\n"
         "    net = build(\"weights.bin\")   # or build() for the module without weights\n"
         "    y = net(torch.rand(1, *INPUT_SHAPE))\n\"\"\"\n"
      << kPrelude << "\n\nINPUT_SHAPE = (" << g.input.c << ", " << g.input.h << ", " << g.input.w
      << ")\nOUTPUT_SHAPE = (" << g.outputNode().out.c << ", " << g.outputNode().out.h << ", "
      << g.outputNode().out.w
      << ")\n\n# Layer name in the project -> attribute of Network.\nLAYERS = {\n";
    for (const Node& n : g.nodes)
        if (!moduleFor(n).empty())
            s << "    \"" << n.name << "\": \"" << identifier(n.name) << "\",\n";
    s << "}\n\n\nclass Network(nn.Module):\n    def __init__(self):\n        super().__init__()\n";
    for (const Node& n : g.nodes) {
        const std::string m = moduleFor(n);
        if (!m.empty())
            s << "        self." << identifier(n.name) << " = " << m << "\n";
    }
    s << "\n    def forward(self, x):\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        s << "        " << var(static_cast<int>(i)) << " = "
          << call(n, "self." + identifier(n.name)) << "  # " << n.name << "\n";
    }
    s << "        return " << var(static_cast<int>(g.nodes.size()) - 1) << "\n\n\n"
      << "def load_weights(net, path):\n"
         "    \"\"\"Copies the float weights of a weights.bin into the module.\"\"\"\n"
         "    for name, (w, b) in read_weights(path).items():\n"
         "        module = getattr(net, LAYERS[name])\n"
         "        with torch.no_grad():\n"
         "            module.weight.copy_(torch.tensor(w).view_as(module.weight))\n"
         "            if b:\n"
         "                module.bias.copy_(torch.tensor(b).view_as(module.bias))\n"
         "    return net\n\n\n"
         "def build(weights=None):\n"
         "    net = Network().eval()\n"
         "    return load_weights(net, weights) if weights else net\n";
    return s.str();
}

} // namespace codesign::hls
