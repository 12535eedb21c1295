#include "losses.h"

#include <ATen/ATen.h>

namespace codesign::train {
namespace {

constexpr double kCoordinateWeight = 5.0;
constexpr double kConfidenceBound = 0.01;

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

at::Tensor detectionLoss(const at::Tensor& map, const at::Tensor& targets, int anchors) {
    const std::int64_t n = map.size(0);
    const std::int64_t h = map.size(2);
    const std::int64_t w = map.size(3);
    const at::Tensor cells = map.view({n, anchors, 5, h, w}).permute({0, 3, 4, 1, 2}); // N,H,W,A,5

    const at::Tensor gw = targets.select(1, 2) - targets.select(1, 0);
    const at::Tensor gh = targets.select(1, 3) - targets.select(1, 1);
    const at::Tensor cx = (targets.select(1, 0) + targets.select(1, 2)) / 2;
    const at::Tensor cy = (targets.select(1, 1) + targets.select(1, 3)) / 2;
    const at::Tensor col = at::clamp(at::floor(cx * w), 0, w - 1);
    const at::Tensor row = at::clamp(at::floor(cy * h), 0, h - 1);
    const at::Tensor gx = cx * w - col;
    const at::Tensor gy = cy * h - row;
    const at::Tensor batch = at::arange(n, map.options().dtype(at::kLong));
    const at::Tensor colIdx = col.to(at::kLong);
    const at::Tensor rowIdx = row.to(at::kLong);

    // The responsible cell's anchors [N, A, 5] and the anchor that fits the target best.
    const at::Tensor cell = cells.index({batch, rowIdx, colIdx});
    at::Tensor responsible;
    {
        at::NoGradGuard noGrad;
        const at::Tensor px = (col.unsqueeze(1) + cell.select(2, 0)) / static_cast<double>(w);
        const at::Tensor py = (row.unsqueeze(1) + cell.select(2, 1)) / static_cast<double>(h);
        const at::Tensor boxes = at::stack({px, py, cell.select(2, 2), cell.select(2, 3)}, 2);
        const at::Tensor corners =
            centreToCorners(boxes.reshape({n * anchors, 4})).view({n, anchors, 4});
        responsible = pairIou(corners, targets.unsqueeze(1).expand({n, anchors, 4})).argmax(1);
    }
    const at::Tensor p = cell.index({batch, responsible}); // [N, 5]

    const at::Tensor coord = kCoordinateWeight * (2 - gw * gh) *
                             ((p.select(1, 0) - gx).square() + (p.select(1, 1) - gy).square() +
                              (p.select(1, 2) - gw).square() + (p.select(1, 3) - gh).square());
    const at::Tensor conf = cells.select(4, 4).reshape({n, -1}); // (row, col, anchor) order
    const at::Tensor target = (rowIdx * w + colIdx) * anchors + responsible;
    const at::Tensor choice = at::cross_entropy_loss(conf, target);
    return coord.mean() + choice + kConfidenceBound * conf.square().mean();
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
