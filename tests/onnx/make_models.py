#!/usr/bin/python3
"""Makes the ONNX models the import tests read (docs/import.md, "Tests").

    /usr/bin/python3 tests/onnx/make_models.py OUTDIR [--skip-code N]

OUTDIR/stamp records a hash of this script: a second run with the same script does nothing.
Without torch, torchvision or onnx it says so and exits with N (ctest's skip code; 0 by
default).

For each model, with random weights: NAME.onnx (torch.onnx.export), NAME.json (the
reference counts torch computes: MACs of Conv2d and Linear by forward hooks, parameters as
torchvision counts them and after folding each batch norm into the conv before it), and
20 random inputs with the float outputs of the model (NAME.inputs.bin, NAME.outputs.bin:
float32, little-endian, input after input).

Random weights: torchvision's own initialisation, then batch-norm statistics measured on
random images (as training would have left them), so that activations and logits have the
range of a trained network rather than vanishing through 50 layers of untrained scale.
The inputs are multiples of 1/256 in [0, 1): exact in any fixed-point format with at least
8 fractional bits, so that the comparison measures the network's arithmetic only.
Needs Debian's python3-torch, python3-torchvision and python3-onnx.
"""
import hashlib
import json
import os
import sys

try:
    import onnx
    import torch
    import torch.nn as nn
    import torchvision
except ImportError as missing:
    code = int(sys.argv[sys.argv.index("--skip-code") + 1]) if "--skip-code" in sys.argv else 0
    print(f"skipped: {missing} (apt-get install python3-torch python3-torchvision python3-onnx)")
    sys.exit(code)

INPUTS = 20

# name, opset, input C x H x W. Opsets vary over 11..17 (HardSwish is an op from 14 on;
# before, PyTorch writes HardSigmoid and Mul).
CLASSIFIERS = [
    ("mobilenet_v2", 11),
    ("resnet18", 13),
    ("squeezenet1_1", 12),
    ("shufflenet_v2_x0_5", 14),
    ("mobilenet_v3_small", 17),
    ("efficientnet_b0", 15),
]


class ConvBnLeaky(nn.Sequential):
    def __init__(self, cin, cout, k=3, stride=1):
        super().__init__(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False),
                         nn.BatchNorm2d(cout), nn.LeakyReLU(0.1))


class TinyYolo(nn.Module):
    """A small YOLO-like detector: conv-bn-leaky stages with max pooling, a route that
    upsamples the deep features and concatenates them with an earlier stage, a batch norm
    after the concat (nothing to fold it into), and a 1x1 head of 2 anchors x 5."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(ConvBnLeaky(3, 16), nn.MaxPool2d(2), ConvBnLeaky(16, 32),
                                  nn.MaxPool2d(2))
        self.mid = nn.Sequential(ConvBnLeaky(32, 64), nn.MaxPool2d(2))
        self.deep = nn.Sequential(ConvBnLeaky(64, 128), nn.MaxPool2d(2), ConvBnLeaky(128, 128, 1))
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.mix = nn.BatchNorm2d(192)
        self.neck = ConvBnLeaky(192, 96)
        self.head = nn.Conv2d(96, 10, 1)

    def forward(self, x):
        mid = self.mid(self.stem(x))
        route = torch.cat([self.up(self.deep(mid)), mid], 1)
        return self.head(self.neck(self.mix(route)))


def calibrate(model, shape, seed):
    """Batch-norm statistics of random images: a cumulative average over 4 batches."""
    generator = torch.Generator().manual_seed(seed)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(4):
            model(torch.rand((8,) + shape, generator=generator))
    model.eval()


def counts(model, shape):
    macs = 0

    def hook(m, inputs, out):
        nonlocal macs
        if isinstance(m, nn.Conv2d):
            macs += out.numel() * (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
        elif isinstance(m, nn.Linear):
            macs += m.in_features * m.out_features

    hooks = [m.register_forward_hook(hook) for m in model.modules()
             if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model(torch.zeros((1,) + shape))
    for h in hooks:
        h.remove()
    params = sum(p.numel() for p in model.parameters())
    # Each batch norm follows a conv without bias (true of these networks, checked): folding
    # turns its scale and shift (2C) into the conv's bias (C), except the one after the
    # concat of TinyYolo, which nothing precedes.
    folded = params
    previous = None
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d) and isinstance(previous, nn.Conv2d):
            assert previous.bias is None and previous.out_channels == m.num_features
            folded -= m.num_features
        if isinstance(m, (nn.Conv2d, nn.BatchNorm2d, nn.Linear)):
            previous = m
    return macs, params, folded


def write_floats(path, tensor):
    with open(path, "wb") as f:
        f.write(tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes())


def make(out_dir, name, model, shape, opset, seed, keep_bn=False):
    torch.manual_seed(seed)
    calibrate(model, shape, seed)
    macs, params, folded = counts(model, shape)
    path = os.path.join(out_dir, name + ".onnx")
    mode = torch.onnx.TrainingMode.PRESERVE if keep_bn else torch.onnx.TrainingMode.EVAL
    torch.onnx.export(model, torch.zeros((1,) + shape), path, opset_version=opset,
                      training=mode, input_names=["image"], output_names=["output"])
    onnx.checker.check_model(onnx.load(path))
    generator = torch.Generator().manual_seed(seed + 1)
    inputs = torch.randint(0, 256, (INPUTS,) + shape, generator=generator).float() / 256
    activations = []
    hooks = [m.register_forward_hook(lambda m, i, o: activations.append(o.abs().max().item()))
             for m in model.modules() if len(list(m.children())) == 0]
    with torch.no_grad():
        outputs = model(inputs)
    for h in hooks:
        h.remove()
    write_floats(os.path.join(out_dir, name + ".inputs.bin"), inputs)
    write_floats(os.path.join(out_dir, name + ".outputs.bin"), outputs)
    info = {"model": name, "opset": opset, "input": list(shape), "inputs": INPUTS,
            "outputs": int(outputs[0].numel()), "macs": macs, "params_torchvision": params,
            "params_folded": folded, "max_activation": max(activations),
            "max_output": outputs.abs().max().item()}
    with open(os.path.join(out_dir, name + ".json"), "w") as f:
        json.dump(info, f, indent=1)
    print(f"{name}: opset {opset}, {macs} MACs, {params} parameters ({folded} folded)")


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out_dir, exist_ok=True)
    with open(__file__, "rb") as f:
        version = hashlib.sha256(f.read()).hexdigest()
    stamp = os.path.join(out_dir, "stamp")
    if os.path.exists(stamp) and open(stamp).read().strip() == version:
        print(f"the models in {out_dir} are up to date")
        return
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    for k, (name, opset) in enumerate(CLASSIFIERS):
        torch.manual_seed(100 + k)
        model = getattr(torchvision.models, name)(weights=None)
        make(out_dir, name, model, (3, 224, 224), opset, 100 + k)
    torch.manual_seed(200)
    make(out_dir, "tiny_yolo", TinyYolo(), (3, 160, 320), 13, 200)
    # The same ResNet-18 with its batch norms as nodes: the reader folds them itself.
    torch.manual_seed(101)
    model = torchvision.models.resnet18(weights=None)
    make(out_dir, "resnet18_bn", model, (3, 224, 224), 16, 101, keep_bn=True)
    with open(stamp, "w") as f:
        f.write(version + "\n")


if __name__ == "__main__":
    main()
