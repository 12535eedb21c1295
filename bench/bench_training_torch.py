#!/usr/bin/python3
"""Training throughput of DNN-A in Debian's python3-torch, for comparison with
bench_training (the C++ trainer): the same network, loss, optimizer, batch and input
size. Run with Debian's interpreter: /usr/bin/python3 bench/bench_training_torch.py

The network is examples/dac19-dnn-a.yaml written out by hand (three DW3+PW1+pool bundles
of 48, 96 and 192 channels, a DW3+PW1 bundle of 384, a PW1 to 2 anchors x 5), at the
benchmark's reduced input (resize 0.5: 3x80x180). The loss is train/losses.cpp's:
coordinates at the responsible anchor, a softmax over every (cell, anchor) confidence,
and a small bound on the confidences.
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def dnn_a():
    layers = []
    c = 3
    for out, pool in ((48, True), (96, True), (192, True), (384, False)):
        layers += [nn.Conv2d(c, c, 3, 1, 1, groups=c), nn.ReLU(), nn.Conv2d(c, out, 1), nn.ReLU()]
        if pool:
            layers.append(nn.MaxPool2d(2))
        c = out
    layers.append(nn.Conv2d(c, 10, 1))
    return nn.Sequential(*layers)


def pair_iou(a, b):
    iw = (torch.minimum(a[..., 2], b[..., 2]) - torch.maximum(a[..., 0], b[..., 0])).clamp(min=0)
    ih = (torch.minimum(a[..., 3], b[..., 3]) - torch.maximum(a[..., 1], b[..., 1])).clamp(min=0)
    inter = iw * ih
    area = lambda t: (t[..., 2] - t[..., 0]).clamp(min=0) * (t[..., 3] - t[..., 1]).clamp(min=0)
    union = area(a) + area(b) - inter
    return torch.where(union > 0, inter / union.clamp(min=1e-12), torch.zeros_like(union))


def detection_loss(m, t, anchors=2):
    n, _, h, w = m.shape
    cells = m.view(n, anchors, 5, h, w).permute(0, 3, 4, 1, 2)
    gw, gh = t[:, 2] - t[:, 0], t[:, 3] - t[:, 1]
    cx, cy = (t[:, 0] + t[:, 2]) / 2, (t[:, 1] + t[:, 3]) / 2
    col = (cx * w).floor().clamp(0, w - 1)
    row = (cy * h).floor().clamp(0, h - 1)
    gx, gy = cx * w - col, cy * h - row
    idx = torch.arange(n)
    ci, ri = col.long(), row.long()
    cell = cells[idx, ri, ci]
    with torch.no_grad():
        px = (col[:, None] + cell[:, :, 0]) / w
        py = (row[:, None] + cell[:, :, 1]) / h
        boxes = torch.stack([px - cell[:, :, 2] / 2, py - cell[:, :, 3] / 2,
                             px + cell[:, :, 2] / 2, py + cell[:, :, 3] / 2], 2)
        responsible = pair_iou(boxes, t[:, None].expand(n, anchors, 4)).argmax(1)
    p = cell[idx, responsible]
    coord = 5 * (2 - gw * gh) * ((p[:, 0] - gx) ** 2 + (p[:, 1] - gy) ** 2 +
                                 (p[:, 2] - gw) ** 2 + (p[:, 3] - gh) ** 2)
    conf = cells[..., 4].reshape(n, -1)
    target = (ri * w + ci) * anchors + responsible
    return coord.mean() + F.cross_entropy(conf, target) + 0.01 * conf.square().mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repetitions", type=int, default=3)
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net = dnn_a()
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    images = torch.rand(args.batch * 4, 3, 80, 180)
    centre = torch.rand(args.batch * 4, 2) * 0.6 + 0.2
    size = torch.rand(args.batch * 4, 2) * 0.2 + 0.05
    boxes = torch.cat([centre - size / 2, centre + size / 2], 1)

    def step(i):
        b = slice((i % 4) * args.batch, (i % 4 + 1) * args.batch)
        opt.zero_grad()
        loss = detection_loss(net(images[b]), boxes[b])
        loss.backward()
        opt.step()

    for i in range(3):  # warm-up
        step(i)
    rates = []
    for _ in range(args.repetitions):
        start = time.perf_counter()
        for i in range(args.steps):
            step(i)
        rates.append(args.steps * args.batch / (time.perf_counter() - start))
    rates.sort()
    print(f"python3-torch {torch.__version__}: DNN-A 3x80x180, batch {args.batch}, "
          f"{torch.get_num_threads()} threads: median {rates[len(rates) // 2]:.1f} images/s "
          f"(runs: {', '.join(f'{r:.1f}' for r in rates)})")


if __name__ == "__main__":
    main()
