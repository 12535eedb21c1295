#include "losses.h"

#include <ATen/ATen.h>
#include <cmath>

namespace codesign::train {
namespace {

constexpr double kCoordinateWeight = 5.0;
constexpr double kConfidenceBound = 0.01;
constexpr int kNeighbourhood = 1; // cells around the centre cell that may answer

} // namespace

at::Tensor pairIou(const at::Tensor& a, const at::Tensor& b) {
    auto area = [](const at::Tensor& t) {
        return at::clamp_min(t.select(-1, 2) - t.select(-1, 0), 0) *
               at::clamp_min(t.select(-1, 3) - t.select(-1, 1), 0);
    };
    const at::Tensor iw = at::clamp_min(at::minimum(a.select(-1, 2), b.select(-1, 2)) -
                                            at::maximum(a.select(-1, 0), b.select(-1, 0)),
                                        0);
    const at::Tensor ih = at::clamp_min(at::minimum(a.select(-1, 3), b.select(-1, 3)) -
                                            at::maximum(a.select(-1, 1), b.select(-1, 1)),
                                        0);
    const at::Tensor inter = iw * ih;
    const at::Tensor uni = area(a) + area(b) - inter;
    return at::where(uni > 0, inter / at::clamp_min(uni, 1e-12), at::zeros_like(uni));
}

at::Tensor centreToCorners(const at::Tensor& boxes) {
    const at::Tensor cx = boxes.select(1, 0);
    const at::Tensor cy = boxes.select(1, 1);
    const at::Tensor hw = boxes.select(1, 2) / 2;
    const at::Tensor hh = boxes.select(1, 3) / 2;
    return at::stack({cx - hw, cy - hh, cx + hw, cy + hh}, 1);
}

namespace {

// The cells that answer for a target [N, H, W]: the one holding its centre, and those of its
// 8 neighbours whose own centre lies inside the box.
struct Positives {
    at::Tensor mask;   // 1 at the positive cells
    at::Tensor weight; // the choice's target: exp(-d^2 / 2) at the positive cells, d the
                       // distance in cells from the cell's centre to the box's
    at::Tensor tx, ty; // the box centre relative to each cell, in cells
};

Positives positivesOf(const at::Tensor& targets, std::int64_t h, std::int64_t w,
                      const at::TensorOptions& f) {
    const std::int64_t n = targets.size(0);
    auto column = [&](int i) {
        return targets.select(1, i).view({n, 1, 1});
    };
    const at::Tensor x1 = column(0), y1 = column(1), x2 = column(2), y2 = column(3);
    const at::Tensor cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
    const at::Tensor col = at::arange(w, f).view({1, 1, w});
    const at::Tensor row = at::arange(h, f).view({1, h, 1});
    const at::Tensor ccol = at::clamp(at::floor(cx * w), 0, w - 1);
    const at::Tensor crow = at::clamp(at::floor(cy * h), 0, h - 1);
    const at::Tensor px = (col + 0.5) / double(w), py = (row + 0.5) / double(h);
    const at::Tensor centre = col.eq(ccol) & row.eq(crow);
    const at::Tensor near = (col - ccol).abs().le(kNeighbourhood) &
                            (row - crow).abs().le(kNeighbourhood) & px.ge(x1) & px.le(x2) &
                            py.ge(y1) & py.le(y2);
    Positives p;
    p.mask = (centre | near).to(f.dtype());
    const at::Tensor d2 = (col + 0.5 - cx * w).square() + (row + 0.5 - cy * h).square();
    p.weight = p.mask * at::exp(-d2 / 2);
    p.tx = (cx * w - col).expand({n, h, w});
    p.ty = (cy * h - row).expand({n, h, w});
    return p;
}

// Per cell [N, H, W]: the anchor whose current box overlaps the target most (YOLOv1's rule).
at::Tensor bestAnchors(const at::Tensor& cells, const at::Tensor& targets) {
    at::NoGradGuard noGrad;
    const std::int64_t n = cells.size(0), h = cells.size(1), w = cells.size(2);
    const auto f = cells.options();
    const at::Tensor col = at::arange(w, f).view({1, 1, w, 1});
    const at::Tensor row = at::arange(h, f).view({1, h, 1, 1});
    const at::Tensor bx = (col + cells.select(4, 0)) / double(w);
    const at::Tensor by = (row + cells.select(4, 1)) / double(h);
    const at::Tensor boxes = centreToCorners(
        at::stack({bx, by, cells.select(4, 2), cells.select(4, 3)}, 4).reshape({-1, 4}));
    const std::int64_t anchors = cells.size(3);
    const at::Tensor t =
        targets.view({n, 1, 1, 1, 4}).expand({n, h, w, anchors, 4}).reshape({-1, 4});
    return pairIou(boxes, t).view({n, h, w, anchors}).argmax(3);
}

// The choice's margin: the most confident (cell, anchor) of the positive cells must exceed
// every confidence outside them by `margin`; a hinge, averaged over the violating entries so
// that the best positive is pushed with weight 1 however many cells crowd it.
at::Tensor marginTerm(const at::Tensor& conf, const at::Tensor& positive, double margin) {
    const at::Tensor best = (conf - 1e9 * (1 - positive)).amax(1, true);
    const at::Tensor gap = at::relu(margin - (best - conf)) * (1 - positive);
    const at::Tensor violators = gap.gt(0).sum(1).clamp_min(1).to(conf.scalar_type());
    return (gap.sum(1) / violators).mean();
}

} // namespace

at::Tensor detectionLoss(const at::Tensor& map, const at::Tensor& targets, int anchors,
                         double margin) {
    const std::int64_t n = map.size(0);
    const std::int64_t h = map.size(2);
    const std::int64_t w = map.size(3);
    const at::Tensor cells = map.view({n, anchors, 5, h, w}).permute({0, 3, 4, 1, 2}); // N,H,W,A,5
    const Positives pos = positivesOf(targets, h, w, map.options());
    const at::Tensor responsible = bestAnchors(cells, targets); // N,H,W

    // Coordinates at every positive cell's responsible anchor, relative to that cell.
    const at::Tensor p =
        cells.gather(3, responsible.view({n, h, w, 1, 1}).expand({n, h, w, 1, 5})).squeeze(3);
    const at::Tensor gw = (targets.select(1, 2) - targets.select(1, 0)).view({n, 1, 1});
    const at::Tensor gh = (targets.select(1, 3) - targets.select(1, 1)).view({n, 1, 1});
    const at::Tensor error = (p.select(3, 0) - pos.tx).square() +
                             (p.select(3, 1) - pos.ty).square() + (p.select(3, 2) - gw).square() +
                             (p.select(3, 3) - gh).square();
    const at::Tensor perImage = (error * pos.mask).sum({1, 2}) / pos.mask.sum({1, 2});
    const at::Tensor coord = kCoordinateWeight * (2 - gw * gh).view({n}) * perImage;

    // The choice: a softmax over every (cell, anchor) confidence against the soft target.
    const at::Tensor conf = cells.select(4, 4).reshape({n, -1}); // (row, col, anchor) order
    at::Tensor target = at::zeros({n, h, w, anchors}, map.options());
    target.scatter_(3, responsible.unsqueeze(3), pos.weight.unsqueeze(3));
    target = target.reshape({n, -1});
    target = target / target.sum(1, true);
    const at::Tensor choice = -(target * at::log_softmax(conf, 1)).sum(1).mean();
    at::Tensor loss = coord.mean() + choice + kConfidenceBound * conf.square().mean();
    if (margin > 0) {
        const at::Tensor positive =
            pos.mask.unsqueeze(3).expand({n, h, w, anchors}).reshape({n, -1});
        loss = loss + marginTerm(conf, positive, margin);
    }
    return loss;
}

double choiceStep(const Graph& graph) {
    if (graph.nodes.empty() || graph.outputNode().op != Op::BboxHead)
        return 0;
    const int source = graph.outputNode().inputs.front();
    // bbox_head straight on the input reads it at the input format (reference::inputFormat:
    // the first layer's activations, which is bbox_head's own here).
    const FixedType f = source >= 0 ? graph.nodes[static_cast<std::size_t>(source)].activations
                                    : graph.outputNode().activations;
    return std::ldexp(1.0, f.integer - f.width);
}

at::Tensor distillationLoss(const at::Tensor& student, const at::Tensor& teacher, bool logits,
                            double temperature) {
    if (!logits)
        return (student - teacher).square().flatten(1).sum(1).mean();
    const std::int64_t n = student.size(0);
    const at::Tensor s = at::log_softmax(student.reshape({n, -1}) / temperature, 1);
    const at::Tensor t = at::softmax(teacher.reshape({n, -1}) / temperature, 1);
    return (t * (at::log(at::clamp_min(t, 1e-12)) - s)).sum(1).mean() * temperature * temperature;
}

} // namespace codesign::train
