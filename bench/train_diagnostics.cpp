// Why a detector's validation IoU moves as it does (docs/training.md, "What made the QoR
// fall, and the fix"). Not a benchmark and not a test: it trains a project's network on the
// synthetic set with its own copy of the trainer's loop and prints, per epoch, the parts of
// the loss, the training and validation IoU, and the validation IoU at the design's
// precision without fine-tuning, split into what each quantization step costs; after the
// float epochs it prints every layer's activation range against its fixed-point format.
// Per epoch also: the float top-2 confidence gap in steps of the map's format, the ties once
// the map is quantized, and the IoU with the map stored at other formats or with ties broken
// at their centroid ("Why QAT lost a third"). Since bbox_head itself breaks ties at the
// centroid (core/reference/bbox_choice.h, used by decodeHead), `map+head-q` and the centroid
// column measure the same rule; the figures in docs/training.md before "Breaking ties at the
// centroid" were taken when decodeHead took the first tied. The loop's defaults are the old
// trainer's (batch 32, QAT at a tenth of the learning rate, no margin): pass --batch 8
// --qat-lr-scale 1 --margin 2 for today's.
//
//   train_diagnostics PROJECT [--synthetic N] [--epochs E] [--qat-epochs Q] [--batch B]
//                     [--lr X] [--resize R] [--threads T] [--seed S] [--margin STEPS]
//                     [--probe K] [--sweep]
// --probe K: the float and fixed validation IoU every K QAT steps; --sweep: after the float
// and the QAT epochs, the fixed IoU with only one layer group quantized and with all but one.
#include "core/model/project_yaml.h"
#include "core/reference/reference.h"
#include "core/util/splitmix64.h"
#include "train/fake_quant.h"
#include "train/graph_net.h"
#include "train/losses.h"
#include "train/sample_set.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numbers>
#include <string>
#include <torch/optim/adam.h>

using namespace codesign;
using namespace codesign::train;

namespace {

// Loss variants under study: 0 = losses.cpp's (since issue 17's fix, the centre cell and
// its neighbours with a soft choice target; before it, the centre cell alone); 1 = coordinates also
// at the cells near the centre that lie inside the box; 2 = 1 and a soft choice target over those
// cells.
int gLoss = 0;
int gRadius = 1;
double gSigma = 1.0;
bool gQuick = false;
double gMarginLsb = 0;     // > 0: the margin term, in steps of the last map's format
double gMargin = 0;        // the same in values (set from the project)
double gTemperature = 1.0; // the choice softmax reads conf / T
double gQatScale = 0.1;    // QAT learning rate / float learning rate
double gCalibrate =
    0; // > 0: scale each layer so that its p99.9 |output| is this share of its format's range
int gProbe = 0;      // > 0: the float and fixed validation IoU every this many QAT steps
bool gSweep = false; // the cost of each layer's quantization, after the float and QAT epochs

struct Options {
    std::string project;
    int synthetic = 256;
    int epochs = 4;
    int qatEpochs = 1;
    int batch = 32;
    double lr = 1e-3;
    double resize = 1;
    int threads = 0;
    std::uint64_t seed = 1;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] {
            return i + 1 < argc ? std::string(argv[++i]) : std::string();
        };
        if (a == "--synthetic")
            o.synthetic = std::stoi(next());
        else if (a == "--epochs")
            o.epochs = std::stoi(next());
        else if (a == "--qat-epochs")
            o.qatEpochs = std::stoi(next());
        else if (a == "--batch")
            o.batch = std::stoi(next());
        else if (a == "--lr")
            o.lr = std::stod(next());
        else if (a == "--resize")
            o.resize = std::stod(next());
        else if (a == "--threads")
            o.threads = std::stoi(next());
        else if (a == "--loss")
            gLoss = std::stoi(next());
        else if (a == "--radius")
            gRadius = std::stoi(next());
        else if (a == "--qat-lr-scale")
            gQatScale = std::stod(next());
        else if (a == "--calibrate")
            gCalibrate = std::stod(next());
        else if (a == "--quick")
            gQuick = true;
        else if (a == "--margin")
            gMarginLsb = std::stod(next());
        else if (a == "--temperature")
            gTemperature = std::stod(next());
        else if (a == "--sigma")
            gSigma = std::stod(next());
        else if (a == "--probe")
            gProbe = std::stoi(next());
        else if (a == "--sweep")
            gSweep = true;
        else if (a == "--seed")
            o.seed = std::stoull(next());
        else
            o.project = a;
    }
    return o;
}

at::Tensor denseLoss(const at::Tensor& map, const at::Tensor& targets, int anchors) {
    const std::int64_t n = map.size(0), h = map.size(2), w = map.size(3);
    const at::Tensor cells = map.view({n, anchors, 5, h, w}).permute({0, 3, 4, 1, 2}); // N,H,W,A,5
    const auto f = map.options();
    const at::Tensor x1 = targets.select(1, 0).view({n, 1, 1}),
                     y1 = targets.select(1, 1).view({n, 1, 1});
    const at::Tensor x2 = targets.select(1, 2).view({n, 1, 1}),
                     y2 = targets.select(1, 3).view({n, 1, 1});
    const at::Tensor gw = x2 - x1, gh = y2 - y1;
    const at::Tensor cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
    const at::Tensor col = at::arange(w, f).view({1, 1, w});
    const at::Tensor row = at::arange(h, f).view({1, h, 1});
    const at::Tensor ccol = at::clamp(at::floor(cx * w), 0, w - 1);
    const at::Tensor crow = at::clamp(at::floor(cy * h), 0, h - 1);
    const at::Tensor centre = col.eq(ccol) & row.eq(crow); // N,H,W
    const at::Tensor px = (col + 0.5) / double(w), py = (row + 0.5) / double(h);
    const at::Tensor near = (col - ccol).abs().le(gRadius) & (row - crow).abs().le(gRadius) &
                            px.ge(x1) & px.le(x2) & py.ge(y1) & py.le(y2);
    const at::Tensor positive = (centre | near).to(at::kFloat);
    const at::Tensor tx = (cx * w - col).expand({n, h, w}), ty = (cy * h - row).expand({n, h, w});
    at::Tensor responsible;
    {
        at::NoGradGuard g;
        const at::Tensor bx = (col.unsqueeze(3) + cells.select(4, 0)) / double(w);
        const at::Tensor by = (row.unsqueeze(3) + cells.select(4, 1)) / double(h);
        const at::Tensor bw = cells.select(4, 2), bh = cells.select(4, 3);
        const at::Tensor iw = at::clamp_min(at::minimum(bx + bw / 2, x2.unsqueeze(3)) -
                                                at::maximum(bx - bw / 2, x1.unsqueeze(3)),
                                            0);
        const at::Tensor ih = at::clamp_min(at::minimum(by + bh / 2, y2.unsqueeze(3)) -
                                                at::maximum(by - bh / 2, y1.unsqueeze(3)),
                                            0);
        const at::Tensor inter = iw * ih;
        const at::Tensor uni =
            at::clamp_min(bw, 0) * at::clamp_min(bh, 0) + (gw * gh).unsqueeze(3) - inter;
        responsible = (inter / at::clamp_min(uni, 1e-9)).argmax(3); // N,H,W
    }
    const at::Tensor p =
        cells.gather(3, responsible.view({n, h, w, 1, 1}).expand({n, h, w, 1, 5})).squeeze(3);
    const at::Tensor err = (p.select(3, 0) - tx).square() + (p.select(3, 1) - ty).square() +
                           (p.select(3, 2) - gw).square() + (p.select(3, 3) - gh).square();
    const at::Tensor perImage = (err * positive).sum({1, 2}) / positive.sum({1, 2});
    const at::Tensor coord = (5.0 * (2 - gw * gh).view({n}) * perImage).mean();
    const at::Tensor conf = cells.select(4, 4).reshape({n, -1}); // (row, col, anchor)
    at::Tensor q = at::zeros({n, h, w, anchors}, f);
    at::Tensor weight = centre.to(at::kFloat);
    if (gLoss == 2) {
        const at::Tensor d2 = (col + 0.5 - cx * w).square() + (row + 0.5 - cy * h).square();
        weight = positive * at::exp(-d2 / (2 * gSigma * gSigma));
    }
    q.scatter_(3, responsible.unsqueeze(3), weight.unsqueeze(3));
    q = q.reshape({n, -1});
    q = q / q.sum(1, true);
    const at::Tensor choice = -(q * at::log_softmax(conf / gTemperature, 1)).sum(1).mean();
    return coord + choice + 0.01 * conf.square().mean();
}

at::Tensor lossOf(const at::Tensor& map, const at::Tensor& targets, int anchors) {
    return gLoss == 0 ? detectionLoss(map, targets, anchors, gMargin)
                      : denseLoss(map, targets, anchors);
}

struct Data {
    at::Tensor images; // N x C x H x W, float in [0, 1]
    at::Tensor boxes;  // N x 4 corners
};

Data toTensors(const SampleSet& s) {
    const auto n = static_cast<std::int64_t>(s.size());
    Data d;
    d.images = at::from_blob(const_cast<std::uint8_t*>(s.pixels.data()),
                             {n, s.shape.c, s.shape.h, s.shape.w}, at::kByte)
                   .to(at::kFloat)
                   .div_(255.0);
    std::vector<float> corners;
    for (const Box& b : s.boxes)
        for (double v : {b.x1, b.y1, b.x2, b.y2})
            corners.push_back(static_cast<float>(v));
    d.boxes = at::from_blob(corners.data(), {n, 4}, at::kFloat).clone();
    return d;
}

// IoU of boxes [N, 5] (centre form) against corners.
double meanIou(const at::Tensor& centreBoxes, const at::Tensor& targets) {
    return pairIou(centreToCorners(centreBoxes), targets).mean().item<double>();
}

struct Measures {
    double floatIou = 0;   // float network, float decode
    double headOnly = 0;   // float network, box quantized to the head's format
    double mapAndHead = 0; // float network, last map quantized, then the head
    double fixedIou = 0;   // every layer at the design's precision (the trainer's QoR)
    double ties = 0;       // fraction of images whose best confidence is tied (fixed)
    double firstCell = 0;  // fraction whose chosen cell is (0, 0) (fixed)
    double hit = 0;        // float: the chosen cell holds the box centre
    double inside = 0;     // float: the chosen cell's centre lies inside the box
    double oracle = 0;     // float: the better anchor of the centre cell (regression alone)
    double gapLsb = 0;     // float: top confidence minus the second, in steps of the map's format
    double topSat = 0;     // float: the top confidence lies at or above the format's maximum
    double tiedCells = 0;  // last map quantized: how many (cell, anchor)s share the top
    double middle = 0;     // last map quantized, ties broken at their centroid
    double fmt82 = 0, fmt106 = 0, fmt168 = 0; // last map stored as fixed<8,2>, <10,6>, <16,8>
};

// Float: whether the chosen cell holds the centre or lies inside the box, and the IoU the
// centre cell's better anchor would give (the regression alone, with a perfect choice).
void choiceQuality(const at::Tensor& map, const at::Tensor& t, int anchors, Measures& m) {
    const std::int64_t n = map.size(0), h = map.size(2), w = map.size(3);
    const at::Tensor conf =
        map.view({n, anchors, 5, h, w}).select(2, 4).permute({0, 2, 3, 1}).reshape({n, -1});
    const at::Tensor best = conf.argmax(1);
    const at::Tensor row = at::div(best, w * anchors, "floor");
    const at::Tensor col = at::remainder(at::div(best, anchors, "floor"), w);
    const at::Tensor cx = (t.select(1, 0) + t.select(1, 2)) / 2;
    const at::Tensor cy = (t.select(1, 1) + t.select(1, 3)) / 2;
    const at::Tensor crow = at::clamp(at::floor(cy * h), 0, h - 1).to(at::kLong);
    const at::Tensor ccol = at::clamp(at::floor(cx * w), 0, w - 1).to(at::kLong);
    m.hit += (row.eq(crow) & col.eq(ccol)).sum().item<double>();
    const at::Tensor px = (col.to(at::kFloat) + 0.5) / double(w);
    const at::Tensor py = (row.to(at::kFloat) + 0.5) / double(h);
    m.inside += (px.ge(t.select(1, 0)) & px.le(t.select(1, 2)) & py.ge(t.select(1, 1)) &
                 py.le(t.select(1, 3)))
                    .sum()
                    .item<double>();
    const at::Tensor cells = map.view({n, anchors, 5, h, w}).permute({0, 3, 4, 1, 2});
    const at::Tensor batch = at::arange(n, at::kLong);
    const at::Tensor cell = cells.index({batch, crow, ccol}); // N, A, 5
    double best2 = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        double b = 0;
        for (int a = 0; a < anchors; ++a) {
            const at::Tensor v = cell[i][a];
            const double bx = (ccol[i].item<double>() + v[0].item<double>()) / double(w);
            const double by = (crow[i].item<double>() + v[1].item<double>()) / double(h);
            const at::Tensor box =
                at::tensor({bx, by, v[2].item<double>(), v[3].item<double>(), 0.0})
                    .to(at::kFloat)
                    .view({1, 5});
            b = std::max(b, meanIou(box, t.narrow(0, i, 1)));
        }
        best2 += b;
    }
    m.oracle += best2;
}

// The decode of a map with ties broken at the tied cell nearest the ties' centroid, as
// [N, 5] centre boxes, in doubles: the candidate rule as first measured; the deployed rule
// (decodeHead, bbox_choice.h) is its exact integer form.
at::Tensor decodeMiddleOfTies(const at::Tensor& map, int anchors) {
    const std::int64_t n = map.size(0), h = map.size(2), w = map.size(3);
    const at::Tensor conf =
        map.view({n, anchors, 5, h, w}).select(2, 4).permute({0, 2, 3, 1}).reshape({n, -1});
    std::vector<at::Tensor> rows;
    for (std::int64_t i = 0; i < n; ++i) {
        const at::Tensor c = conf[i];
        const at::Tensor tied = c.eq(c.max()).nonzero().flatten();
        const at::Tensor r = at::div(tied, w * anchors, "floor").to(at::kDouble);
        const at::Tensor q = at::remainder(at::div(tied, anchors, "floor"), w).to(at::kDouble);
        const at::Tensor d = (r - r.mean()).square() + (q - q.mean()).square();
        const std::int64_t best = tied[d.argmin()].item<std::int64_t>();
        const std::int64_t row = best / (w * anchors), col = (best / anchors) % w,
                           a = best % anchors;
        const at::Tensor cell =
            map[i].view({anchors, 5, h, w}).select(0, a).select(1, row).select(1, col);
        rows.push_back(at::stack({(double(col) + cell[0]) / double(w),
                                  (double(row) + cell[1]) / double(h), cell[2], cell[3], cell[4]}));
    }
    return at::stack(rows, 0);
}

// IoU of the float network's boxes when the last map is stored in `format` (then the head).
double iouAtFormat(const at::Tensor& mapF, const at::Tensor& t, int anchors, const Node& head,
                   FixedType format, bool middle) {
    const at::Tensor mapQ = quantizeValues(mapF, format, head.quant).to(at::kDouble);
    const at::Tensor box = middle ? decodeMiddleOfTies(mapQ, anchors) : decodeHead(mapQ, anchors);
    return meanIou(quantizeValues(box, head.activations, head.quant).to(at::kFloat), t);
}

Measures measure(GraphNet& net, const Data& d, int anchors) {
    at::NoGradGuard noGrad;
    const Node& head = net.graph().outputNode();
    const Node& last = net.graph().nodes[static_cast<std::size_t>(head.inputs.front())];
    Measures m;
    const std::int64_t n = d.images.size(0);
    const int chunk = 32;
    for (std::int64_t first = 0; first < n; first += chunk) {
        const std::int64_t count = std::min<std::int64_t>(chunk, n - first);
        const at::Tensor x = d.images.narrow(0, first, count);
        const at::Tensor t = d.boxes.narrow(0, first, count);
        const at::Tensor mapF = net.forward(x, Precision::Float);
        const at::Tensor boxF = decodeHead(mapF, anchors);
        m.floatIou += meanIou(boxF, t) * double(count);
        choiceQuality(mapF, t, anchors, m);
        m.headOnly +=
            meanIou(
                quantizeValues(boxF.to(at::kDouble), head.activations, head.quant).to(at::kFloat),
                t) *
            double(count);
        const at::Tensor mapQ = quantizeValues(mapF, last.activations, last.quant);
        m.mapAndHead += meanIou(quantizeValues(decodeHead(mapQ.to(at::kDouble), anchors),
                                               head.activations, head.quant)
                                    .to(at::kFloat),
                                t) *
                        double(count);
        {
            const std::int64_t hh = mapF.size(2), ww = mapF.size(3);
            const at::Tensor cf =
                mapF.view({count, anchors, 5, hh, ww}).select(2, 4).reshape({count, -1});
            const at::Tensor top2 = std::get<0>(cf.topk(2, 1));
            const double lsb = std::ldexp(1.0, last.activations.integer - last.activations.width);
            const double max = std::ldexp(1.0, last.activations.integer - 1) - lsb;
            m.gapLsb += ((top2.select(1, 0) - top2.select(1, 1)) / lsb).sum().item<double>();
            m.topSat += top2.select(1, 0).ge(max).sum().item<double>();
            const at::Tensor cq = quantizeValues(cf, last.activations, last.quant);
            m.tiedCells += cq.eq(std::get<0>(cq.max(1, true))).sum().item<double>();
            m.middle += iouAtFormat(mapF, t, anchors, head, last.activations, true) * double(count);
            m.fmt82 += iouAtFormat(mapF, t, anchors, head, {8, 2}, false) * double(count);
            m.fmt106 += iouAtFormat(mapF, t, anchors, head, {10, 6}, false) * double(count);
            m.fmt168 += iouAtFormat(mapF, t, anchors, head, {16, 8}, false) * double(count);
        }
        const at::Tensor mapX = net.forward(x, Precision::Fixed);
        m.fixedIou += meanIou(quantizeValues(decodeHead(mapX.to(at::kDouble), anchors),
                                             head.activations, head.quant)
                                  .to(at::kFloat),
                              t) *
                      double(count);
        const std::int64_t h = mapX.size(2), w = mapX.size(3);
        const at::Tensor conf = mapX.view({count, anchors, 5, h, w})
                                    .select(2, 4)
                                    .permute({0, 2, 3, 1})
                                    .reshape({count, -1});
        const at::Tensor best = std::get<0>(conf.max(1, true));
        m.ties += (conf.eq(best).sum(1) > 1).sum().item<double>();
        m.firstCell += (conf.argmax(1) < anchors).sum().item<double>();
    }
    for (double* v : {&m.floatIou, &m.headOnly, &m.mapAndHead, &m.fixedIou, &m.ties, &m.firstCell,
                      &m.hit, &m.inside, &m.oracle, &m.gapLsb, &m.topSat, &m.tiedCells, &m.middle,
                      &m.fmt82, &m.fmt106, &m.fmt168})
        *v /= double(n);
    return m;
}

// The best IoU any network can reach when its box is quantized to the head's format: the
// target boxes themselves, in centre form, quantized.
double quantizedTargetIou(const Data& d, const Node& head) {
    const at::Tensor t = d.boxes;
    const at::Tensor centre =
        at::stack({(t.select(1, 0) + t.select(1, 2)) / 2, (t.select(1, 1) + t.select(1, 3)) / 2,
                   t.select(1, 2) - t.select(1, 0), t.select(1, 3) - t.select(1, 1),
                   at::zeros_like(t.select(1, 0))},
                  1);
    return meanIou(
        quantizeValues(centre.to(at::kDouble), head.activations, head.quant).to(at::kFloat), t);
}

// The mean training box, scored on the validation set: what ignoring the pixels gives.
double constantBoxIou(const Data& train, const Data& val) {
    const at::Tensor mean = train.boxes.mean(0, true).expand({val.boxes.size(0), 4});
    return pairIou(mean, val.boxes).mean().item<double>();
}

// Per layer: the largest magnitude, the share of values outside the format's range
// (saturated) and the share of non-zero values that round to zero.
void activationRanges(GraphNet& net, const Data& d) {
    at::NoGradGuard noGrad;
    const at::Tensor x = d.images.narrow(0, 0, std::min<std::int64_t>(16, d.images.size(0)));
    const std::vector<at::Tensor> outs = net.forwardAll(x, Precision::Float);
    std::printf("  %-14s %-12s %9s %9s %10s %10s\n", "layer", "format", "max|x|", "p99.9|x|",
                "saturated", "to zero");
    for (std::size_t i = 0; i < outs.size(); ++i) {
        const Node& node = net.graph().nodes[i];
        const at::Tensor a = outs[i].abs().flatten();
        const double range = std::ldexp(1.0, node.activations.integer - 1);
        const double lsb = std::ldexp(1.0, node.activations.integer - node.activations.width);
        const at::Tensor nonzero = a.gt(0);
        const double nz = std::max(1.0, nonzero.sum().item<double>());
        const std::int64_t k = std::max<std::int64_t>(1, std::int64_t(double(a.numel()) * 0.999));
        const double p999 = std::get<0>(a.kthvalue(k)).item<double>();
        std::printf("  %-14s %-12s %9.3f %9.3f %9.4f%% %9.2f%%\n", node.name.c_str(),
                    formatFixedType(node.activations).c_str(), a.max().item<double>(), p999,
                    100 * a.ge(range).to(at::kDouble).mean().item<double>(),
                    100 * (nonzero & a.lt(lsb / 2)).sum().item<double>() / nz);
    }
}

// The detection loss in its parts: coordinates, cell choice, bound (losses.cpp's terms).
void lossParts(GraphNet& net, const Data& d, int anchors, Precision p) {
    at::NoGradGuard noGrad;
    const at::Tensor x = d.images.narrow(0, 0, std::min<std::int64_t>(32, d.images.size(0)));
    const at::Tensor t = d.boxes.narrow(0, 0, x.size(0));
    const at::Tensor map = net.forward(x, p);
    const at::Tensor conf = map.view({x.size(0), anchors, 5, map.size(2), map.size(3)})
                                .select(2, 4)
                                .reshape({x.size(0), -1});
    std::printf("  loss %.3f  confidence: mean %.3f std %.3f max %.3f (%lld cells, ln = %.2f)\n",
                lossOf(map, t, anchors).item<double>(), conf.mean().item<double>(),
                conf.std().item<double>(), conf.max().item<double>(),
                static_cast<long long>(conf.size(1)), std::log(double(conf.size(1))));
}

// Layer by layer, scales a layer's weights and bias so that the 99.9th percentile of its
// output magnitude on a calibration batch is gCalibrate times its format's largest value,
// within what the weight format holds. The last layer before the head keeps its scale.
void calibrate(GraphNet& net, const Data& d) {
    at::NoGradGuard noGrad;
    const at::Tensor x = d.images.narrow(0, 0, std::min<std::int64_t>(16, d.images.size(0)));
    const Graph& g = net.graph();
    const std::size_t last = static_cast<std::size_t>(g.outputNode().inputs.front());
    auto params = net.named_parameters();
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& node = g.nodes[i];
        const std::string wname = "w" + std::to_string(i);
        if (i >= last || !params.contains(wname) || node.op == Op::Bn)
            continue;
        const std::vector<at::Tensor> outs = net.forwardAll(x, Precision::Float);
        const at::Tensor a = outs[i].abs().flatten();
        const std::int64_t k = std::max<std::int64_t>(1, std::int64_t(double(a.numel()) * 0.999));
        const double p999 = std::get<0>(a.kthvalue(k)).item<double>();
        const double range = std::ldexp(1.0, node.activations.integer - 1);
        at::Tensor w = params[wname];
        const std::string bname = "b" + std::to_string(i);
        const double wmax = w.abs().max().item<double>();
        const double wRange = std::ldexp(1.0, node.weights.integer - 1);
        double scale = gCalibrate * range / std::max(p999, 1e-6);
        scale = std::min(scale, 0.9 * wRange / std::max(wmax, 1e-9));
        w.mul_(scale);
        if (params.contains(bname))
            params[bname].mul_(scale);
        std::printf("  calibrate %-12s p99.9 %.3f -> x%.2f\n", node.name.c_str(), p999, scale);
    }
}

// The validation IoU as the trainer measures it: float, or fixed with the box quantized to
// the head's format. Cheaper than measure(): no other decodes.
double quickIou(GraphNet& net, const Data& d, int anchors, Precision p) {
    at::NoGradGuard noGrad;
    const Node& head = net.graph().outputNode();
    double sum = 0;
    const std::int64_t n = d.images.size(0);
    for (std::int64_t first = 0; first < n; first += 32) {
        const std::int64_t count = std::min<std::int64_t>(32, n - first);
        const at::Tensor map = net.forward(d.images.narrow(0, first, count), p);
        at::Tensor box = decodeHead(p == Precision::Fixed ? map.to(at::kDouble) : map, anchors);
        if (p == Precision::Fixed)
            box = quantizeValues(box, head.activations, head.quant).to(at::kFloat);
        sum += meanIou(box, d.boxes.narrow(0, first, count)) * double(count);
    }
    return sum / double(n);
}

// What each layer's quantization costs: the layers in groups (a layer with weights and the
// parameter-free layers after it, whose outputs are its output re-quantized; the input on
// its own), and the fixed IoU with only one group quantized and with all groups but one.
// bbox_head's box is quantized in every column (as in `fixed`).
void layerSweep(GraphNet& net, const Data& val, int anchors) {
    const Graph& g = net.graph();
    const std::size_t count = g.nodes.size();
    std::vector<int> group(count, 0);
    std::vector<std::string> names{"input"};
    const auto params = net.named_parameters();
    for (std::size_t i = 0; i < count; ++i) {
        if (params.contains("w" + std::to_string(i)))
            names.push_back(g.nodes[i].name);
        group[i] = static_cast<int>(names.size()) - 1;
    }
    auto iouWith = [&](auto quantized) {
        std::vector<bool> mask(count);
        for (std::size_t i = 0; i < count; ++i)
            mask[i] = quantized(group[i]);
        net.setQuantizedLayers(mask, quantized(0));
        const double v = quickIou(net, val, anchors, Precision::Fixed);
        net.setQuantizedLayers({}, true);
        return v;
    };
    std::printf("  quantization sweep (validation IoU %%): none %.1f, all %.1f\n",
                100 * iouWith([](int) { return false; }), 100 * iouWith([](int) { return true; }));
    std::printf("  %-14s %12s %12s\n", "group", "only it", "all but it");
    for (int k = 0; k < static_cast<int>(names.size()); ++k)
        std::printf("  %-14s %12.1f %12.1f\n", names[static_cast<std::size_t>(k)].c_str(),
                    100 * iouWith([k](int j) { return j == k; }),
                    100 * iouWith([k](int j) { return j != k; }));
    std::fflush(stdout);
}

void report(const char* what, int epoch, double loss, GraphNet& net, const Data& train,
            const Data& val, int anchors) {
    // --quick: the training IoU is left out (the fixed-point pass over the training images
    // costs as much as an epoch at full resolution).
    const Measures tr = gQuick ? Measures{} : measure(net, train, anchors);
    const Measures v = measure(net, val, anchors);
    std::printf("%-6s %2d  loss %7.3f  train IoU %5.1f  val IoU float %5.1f | head-q %5.1f  "
                "map+head-q %5.1f  fixed %5.1f | ties %4.0f%%  cell(0,0) %4.0f%% | hit %4.0f%% "
                "inside %4.0f%% oracle %5.1f\n",
                what, epoch, loss, 100 * tr.floatIou, 100 * v.floatIou, 100 * v.headOnly,
                100 * v.mapAndHead, 100 * v.fixedIou, 100 * v.ties, 100 * v.firstCell, 100 * v.hit,
                100 * v.inside, 100 * v.oracle);
    std::printf(
        "          float top-2 gap %.1f LSB, top saturated %.0f%% | quantized map: %.1f tied "
        "at the top; IoU ties->centroid %.1f, map as fixed<8,2> %.1f, <10,6> %.1f, <16,8> %.1f\n",
        v.gapLsb, 100 * v.topSat, v.tiedCells, 100 * v.middle, 100 * v.fmt82, 100 * v.fmt106,
        100 * v.fmt168);
    std::fflush(stdout);
}

void setLr(torch::optim::Optimizer& o, double lr) {
    for (auto& g : o.param_groups())
        g.options().set_lr(lr);
}

void runPhase(const char* name, int epochs, Precision p, double lr, GraphNet& net,
              const Data& train, const Data& val, int anchors, const Options& o) {
    torch::optim::Adam adam(net.parameters(), torch::optim::AdamOptions(lr));
    const std::int64_t n = train.images.size(0);
    const std::int64_t steps = (n + o.batch - 1) / o.batch * epochs;
    std::int64_t step = 0;
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i)
        order[static_cast<std::size_t>(i)] = i;
    for (int e = 1; e <= epochs; ++e) {
        SplitMix64(o.seed * 31 + static_cast<std::uint64_t>(e)).shuffle(order);
        double lossSum = 0;
        for (std::int64_t first = 0; first < n; first += o.batch, ++step) {
            setLr(adam, lr * 0.5 * (1 + std::cos(std::numbers::pi * double(step) / double(steps))));
            const std::int64_t count = std::min<std::int64_t>(o.batch, n - first);
            const at::Tensor index =
                at::from_blob(order.data() + first, {count}, at::kLong).clone();
            adam.zero_grad();
            const at::Tensor loss = lossOf(net.forward(train.images.index_select(0, index), p),
                                           train.boxes.index_select(0, index), anchors);
            loss.backward();
            adam.step();
            lossSum += loss.item<double>() * double(count);
            if (gProbe > 0 && p == Precision::Fixed && (step + 1) % gProbe == 0)
                std::printf("  qat step %lld/%lld (lr %.2g): val IoU float %.1f fixed %.1f\n",
                            static_cast<long long>(step + 1), static_cast<long long>(steps),
                            lr * 0.5 *
                                (1 + std::cos(std::numbers::pi * double(step) / double(steps))),
                            100 * quickIou(net, val, anchors, Precision::Float),
                            100 * quickIou(net, val, anchors, Precision::Fixed));
        }
        report(name, e, lossSum / double(n), net, train, val, anchors);
    }
}

} // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    if (o.threads > 0)
        at::set_num_threads(o.threads);
    Result<Project> project = loadProjectFile(o.project);
    if (!project.ok()) {
        std::fprintf(stderr, "%s\n", project.error().format().c_str());
        return 2;
    }
    project->input.resize = o.resize;
    Result<Graph> graph = buildGraph(*project);
    if (!graph.ok()) {
        std::fprintf(stderr, "%s\n", graph.error().format().c_str());
        return 2;
    }
    SyntheticSpec spec;
    spec.count = o.synthetic;
    RunControl control;
    Result<SampleSet> set = syntheticSamples(spec, graph->input, control);
    if (!set.ok())
        return 1;
    const Data all = toTensors(*set);
    const std::int64_t nVal = std::max<std::int64_t>(1, std::llround(0.2 * double(set->size())));
    const std::int64_t nTrain = static_cast<std::int64_t>(set->size()) - nVal;
    const Data train{all.images.narrow(0, 0, nTrain), all.boxes.narrow(0, 0, nTrain)};
    const Data val{all.images.narrow(0, nTrain, nVal), all.boxes.narrow(0, nTrain, nVal)};
    const int anchors = graph->outputNode().anchors;
    {
        const FixedType f =
            graph->nodes[static_cast<std::size_t>(graph->outputNode().inputs.front())].activations;
        gMargin = gMarginLsb * std::ldexp(1.0, f.integer - f.width);
    }

    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    std::printf("%s at %s: %lld training, %lld validation images, batch %d, Adam %g\n",
                project->name.c_str(), formatShape(graph->input).c_str(),
                static_cast<long long>(nTrain), static_cast<long long>(nVal), o.batch, o.lr);
    std::printf("bounds: constant box %.1f %%, targets quantized to the head's %s %.1f %%\n",
                100 * constantBoxIou(train, val),
                formatFixedType(graph->outputNode().activations).c_str(),
                100 * quantizedTargetIou(val, graph->outputNode()));

    GraphNet net(*graph);
    if (!net.setWeights(reference::seededWeights(*graph, o.seed)).ok())
        return 1;
    if (gCalibrate > 0)
        calibrate(net, train);
    report("init", 0, 0, net, train, val, anchors);
    std::printf("activation ranges at initialisation:\n");
    activationRanges(net, val);
    lossParts(net, val, anchors, Precision::Float);
    runPhase("float", o.epochs, Precision::Float, o.lr, net, train, val, anchors, o);
    lossParts(net, val, anchors, Precision::Float);
    lossParts(net, val, anchors, Precision::Fixed);
    std::printf("activation ranges after the float epochs (validation images):\n");
    activationRanges(net, val);
    if (gSweep)
        layerSweep(net, val, anchors);
    runPhase("qat", o.qatEpochs, Precision::Fixed, o.lr * gQatScale, net, train, val, anchors, o);
    lossParts(net, val, anchors, Precision::Fixed);
    if (gSweep)
        layerSweep(net, val, anchors);
    return 0;
}
