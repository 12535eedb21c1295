#pragma once

// The training objectives (docs/training.md, "Loss and box decoding").
#include "core/model/graph.h"

#include <ATen/core/Tensor.h>

namespace codesign::train {

// Single-object box regression on a bbox_head map [N, anchors*5, H, W] whose raw values
// bbox_head decodes as x = (col + tx) / W, y = (row + ty) / H, w, h, confidence (no
// sigmoid or exp: the accelerator's reference decodes them as they are). targets: [N, 4]
// corners x1, y1, x2, y2 in fractions. The positive cells are the one holding the box
// centre and those of its 8 neighbours whose own centre lies inside the box; in each, the
// responsible anchor is the one whose current box overlaps the target most (YOLOv1's rule).
//   coordinates: 5 * (2 - w*h) * squared error of tx, ty (the centre relative to that
//                cell), w, h, averaged over the positive cells' responsible anchors
//   choice:      cross-entropy of a softmax over every (cell, anchor) confidence against a
//                soft target: exp(-d^2/2) at each positive cell's responsible anchor, d the
//                distance in cells from the cell's centre to the box's, normalised. bbox_head
//                keeps the most confident anchor, so this trains exactly its choice.
//   bound:       0.01 * mean squared confidence, so that the logits stay inside narrow
//                fixed-point formats instead of drifting together.
// Mean over the batch. Why neighbours and a soft target: docs/training.md, "What made the
// QoR fall".
//   margin:      with margin > 0, a hinge asking the most confident (cell, anchor) of the
//                positive cells to exceed every confidence outside them by `margin`,
//                averaged over the entries that do not (the trainer passes a few steps of
//                the map's fixed-point format: choiceStep). Ties among positive cells are
//                left alone: each of them regresses the box.
at::Tensor detectionLoss(const at::Tensor& map, const at::Tensor& targets, int anchors,
                         double margin = 0);

// One step (LSB) of the activation format of the map a network's bbox_head reads: the
// resolution at which the deployed decoder compares confidences. 0 if the network does
// not end in bbox_head.
double choiceStep(const Graph& graph);

// Distillation towards a teacher's map or logits: squared difference summed per image
// for maps (the scale of the detection loss), temperature-softened KL divergence (times
// T^2) for logits [N, C]. Mean over the batch.
at::Tensor distillationLoss(const at::Tensor& student, const at::Tensor& teacher, bool logits,
                            double temperature);

// IoU per row of two [N, 4] corner tensors.
at::Tensor pairIou(const at::Tensor& a, const at::Tensor& b);

// [N, 5] centre boxes (decodeHead's) -> [N, 4] corners.
at::Tensor centreToCorners(const at::Tensor& boxes);

} // namespace codesign::train
