// The fixed-point reference (core/reference, docs/export.md "Fixed-point arithmetic"):
// rounding and overflow edge cases, saturation of an all-max tensor, every layer type
// against an independent double-precision implementation, and the weight file.
#include "core/model/transforms/fuse_transform.h"
#include "core/reference/bbox_choice.h"
#include "core/reference/fixed_point.h"
#include "core/reference/reference.h"
#include "test_support.h"
#include "tied_box_map.h"

#include <array>
#include <chrono>
#include <cmath>
#include <limits>

using namespace codesign;
using namespace codesign::reference;
using namespace codesign::testing;

namespace {

constexpr QuantMode kRound{Rounding::Round, Overflow::Saturate};
constexpr QuantMode kTruncate{Rounding::Truncate, Overflow::Saturate};
constexpr QuantMode kConvergent{Rounding::Convergent, Overflow::Saturate};
constexpr QuantMode kWrap{Rounding::Round, Overflow::Wrap};

Graph graphOf(const std::string& text) {
    Result<Project> p = parseProject(text, "t.yaml");
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    Result<Graph> g = buildGraph(*p);
    if (!g.ok())
        qFatal("%s", g.error().format().c_str());
    return std::move(g).value();
}

std::string project(const std::string& network, const std::string& precision,
                    const std::string& input = "{channels: 4, height: 9, width: 10}") {
    return "name: t\ndevice: pynq-z1\ninput: " + input + "\nprecision: " + precision +
           "\nnetwork:\n" + network;
}

// ---- An independent double-precision model: each output element from its definition.

struct Real {
    Shape s;
    std::vector<double> v;
    double at(int c, int y, int x) const { return v[(std::size_t(c) * s.h + y) * s.w + x]; }
    // Zero outside the tensor (the padding).
    double padded(int c, int y, int x) const {
        return y < 0 || y >= s.h || x < 0 || x >= s.w ? 0.0 : at(c, y, x);
    }
};

Real realOf(const FixedTensor& t) {
    Real r{t.shape, {}};
    for (std::size_t i = 0; i < t.raw.size(); ++i)
        r.v.push_back(t.real(i));
    return r;
}

// bbox_head's choice from its definition, in doubles: the top confidence; on a tie, the
// tied entry nearest the tied entries' centroid, the first in scan order if several are.
std::array<int, 3> nearestTiedToCentroid(const Real& in, int anchors) {
    double top = in.at(4, 0, 0);
    std::vector<std::array<int, 3>> tied;
    for (int y = 0; y < in.s.h; ++y)
        for (int x = 0; x < in.s.w; ++x)
            for (int a = 0; a < anchors; ++a)
                top = std::max(top, in.at(a * 5 + 4, y, x));
    double my = 0, mx = 0;
    for (int y = 0; y < in.s.h; ++y)
        for (int x = 0; x < in.s.w; ++x)
            for (int a = 0; a < anchors; ++a)
                if (in.at(a * 5 + 4, y, x) == top) {
                    tied.push_back({y, x, a});
                    my += y;
                    mx += x;
                }
    my /= double(tied.size());
    mx /= double(tied.size());
    std::array<int, 3> best{};
    double bestD = std::numeric_limits<double>::infinity();
    for (const auto& e : tied) {
        const double d = (e[0] - my) * (e[0] - my) + (e[1] - mx) * (e[1] - mx);
        if (d < bestD - 1e-9) {
            bestD = d;
            best = e;
        }
    }
    return best;
}

std::vector<double> realWeights(const std::vector<std::int64_t>& raw, const FixedType& t) {
    std::vector<double> v;
    for (std::int64_t r : raw)
        v.push_back(toReal(r, t));
    return v;
}

// The exact (unquantized) output of node n in double arithmetic; false for an element that
// is not defined by a formula here (none today).
std::vector<double> floatLayer(const Node& n, const std::vector<Real>& ins,
                               const std::vector<double>& w, const std::vector<double>& b) {
    const Real& in = ins.front();
    std::vector<double> out;
    const auto bias = [&](int oc) {
        return b.empty() ? 0.0 : b[oc];
    };
    for (int oc = 0; oc < n.out.c; ++oc)
        for (int y = 0; y < n.out.h; ++y)
            for (int x = 0; x < n.out.w; ++x) {
                double v = 0;
                switch (n.op) {
                case Op::Conv:
                case Op::PwConv: {
                    const int ipg = n.in.c / n.groups, opg = n.out.c / n.groups;
                    v = bias(oc);
                    for (int i = 0; i < ipg; ++i)
                        for (int ky = 0; ky < n.kernelH; ++ky)
                            for (int kx = 0; kx < n.kernelW; ++kx)
                                v += w[((std::size_t(oc) * ipg + i) * n.kernelH + ky) * n.kernelW +
                                       kx] *
                                     in.padded(oc / opg * ipg + i, y * n.stride - n.padH + ky,
                                               x * n.stride - n.padW + kx);
                    break;
                }
                case Op::DwConv:
                    v = bias(oc);
                    for (int ky = 0; ky < n.kernelH; ++ky)
                        for (int kx = 0; kx < n.kernelW; ++kx)
                            v += w[(std::size_t(oc) * n.kernelH + ky) * n.kernelW + kx] *
                                 in.padded(oc, y * n.stride - n.padH + ky,
                                           x * n.stride - n.padW + kx);
                    break;
                case Op::Fuse: {
                    const bool full = n.variant == FuseVariant::Full;
                    const bool horizontal = full ? oc < n.in.c : oc < n.in.c / 2;
                    const int ic = full && !horizontal ? oc - n.in.c : oc;
                    v = bias(oc);
                    for (int t = 0; t < n.kernelH; ++t)
                        v += w[std::size_t(oc) * n.kernelH + t] *
                             (horizontal ? in.padded(ic, y * n.stride, x * n.stride - n.padW + t)
                                         : in.padded(ic, y * n.stride - n.padH + t, x * n.stride));
                    break;
                }
                case Op::Fc:
                    v = bias(oc);
                    for (std::size_t f = 0; f < in.v.size(); ++f)
                        v += w[std::size_t(oc) * in.v.size() + f] * in.v[f];
                    break;
                case Op::MaxPool: // padding is ignored
                    v = -std::numeric_limits<double>::infinity();
                    for (int ky = 0; ky < n.kernelH; ++ky)
                        for (int kx = 0; kx < n.kernelW; ++kx) {
                            const int iy = y * n.stride - n.padH + ky;
                            const int ix = x * n.stride - n.padW + kx;
                            if (iy >= 0 && iy < in.s.h && ix >= 0 && ix < in.s.w)
                                v = std::max(v, in.at(oc, iy, ix));
                        }
                    break;
                case Op::AvgPool: // padding counts as zero
                    for (int ky = 0; ky < n.kernelH; ++ky)
                        for (int kx = 0; kx < n.kernelW; ++kx)
                            v += in.padded(oc, y * n.stride - n.padH + ky,
                                           x * n.stride - n.padW + kx);
                    v /= n.kernelH * n.kernelW;
                    break;
                case Op::GlobalAvgPool:
                    for (int iy = 0; iy < in.s.h; ++iy)
                        for (int ix = 0; ix < in.s.w; ++ix)
                            v += in.at(oc, iy, ix);
                    v /= in.s.h * in.s.w;
                    break;
                case Op::Relu:
                    v = std::max(0.0, in.at(oc, y, x));
                    break;
                case Op::Relu6:
                    v = std::clamp(in.at(oc, y, x), 0.0, 6.0);
                    break;
                case Op::LeakyRelu: { // the slope as the reference holds it (16 bits)
                    const double s = std::ldexp(double(leakySlopeRaw(n.slope)), -kSlopeBits);
                    v = in.at(oc, y, x) >= 0 ? in.at(oc, y, x) : in.at(oc, y, x) * s;
                    break;
                }
                case Op::Sigmoid:
                    v = 1 / (1 + std::exp(-in.at(oc, y, x)));
                    break;
                case Op::HardSigmoid:
                    v = std::clamp(in.at(oc, y, x) + 3, 0.0, 6.0) / 6;
                    break;
                case Op::HardSwish:
                    v = in.at(oc, y, x) * std::clamp(in.at(oc, y, x) + 3, 0.0, 6.0) / 6;
                    break;
                case Op::Mul: { // an operand of C x 1 x 1 scales its channel
                    v = 1;
                    for (const Real& r : ins)
                        v *= r.s.h == 1 && r.s.w == 1 ? r.at(oc, 0, 0) : r.at(oc, y, x);
                    break;
                }
                case Op::Shuffle: {
                    const int perGroup = n.in.c / n.groups;
                    v = in.at(oc % n.groups * perGroup + oc / n.groups, y, x);
                    break;
                }
                case Op::Slice:
                    v = in.at(n.begin + oc, y, x);
                    break;
                case Op::Bn:
                    v = in.at(oc, y, x) * w[oc] + b[oc];
                    break;
                case Op::Add:
                    for (const Real& r : ins)
                        v += r.at(oc, y, x);
                    break;
                case Op::Concat: {
                    int c = oc;
                    for (const Real& r : ins) {
                        if (c < r.s.c) {
                            v = r.at(c, y, x);
                            break;
                        }
                        c -= r.s.c;
                    }
                    break;
                }
                case Op::Reorg: {
                    const int f = n.factor;
                    v = in.at(oc / (f * f), y * f + (oc / f) % f, x * f + oc % f);
                    break;
                }
                case Op::Upsample:
                    v = in.at(oc, y / n.factor, x / n.factor);
                    break;
                case Op::BboxHead: {
                    const auto [by, bx, ba] = nearestTiedToCentroid(in, n.anchors);
                    const double t = in.at(ba * 5 + oc, by, bx);
                    v = oc == 0 ? (bx + t) / in.s.w : oc == 1 ? (by + t) / in.s.h : t;
                    break;
                }
                }
                out.push_back(v);
            }
    return out;
}

// Every layer of `text` against the double model applied to the reference's own inputs:
// the reference must equal the exact value rounded once (1/2 LSB, 1 LSB when truncating),
// clipped to the format; averages add the reciprocal's relative error.
void checkEveryLayer(const std::string& text, Rounding rounding) {
    const Graph g = graphOf(text);
    const WeightSet ws = seededWeights(g, 7);
    const FixedTensor input = quantizeInput(g, seededInput(g.input, 7));
    Result<std::vector<FixedTensor>> outs = runReference(g, ws, input);
    QVERIFY2(outs.ok(), outs.ok() ? "" : outs.error().format().c_str());
    const std::vector<QuantizedLayer> q = quantizeWeights(g, ws);
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        std::vector<Real> ins;
        for (int src : n.inputs)
            ins.push_back(realOf(src < 0 ? input : (*outs)[src]));
        const std::vector<double> exact = floatLayer(n, ins, realWeights(q[i].weights, n.weights),
                                                     realWeights(q[i].bias, biasFormat(n)));
        const FixedTensor& got = (*outs)[i];
        QCOMPARE(got.raw.size(), exact.size());
        const double lsb = std::ldexp(1.0, -fracBits(n.activations));
        const double hi = toReal(maxRaw(n.activations), n.activations);
        const double lo = toReal(minRaw(n.activations), n.activations);
        const double tolerance = rounding == Rounding::Truncate ? lsb : lsb / 2;
        int saturated = 0;
        for (std::size_t k = 0; k < exact.size(); ++k) {
            const double want = std::clamp(exact[k], lo, hi);
            saturated += want != exact[k];
            double slack = tolerance * (1 + 1e-12);
            if (n.op == Op::AvgPool || n.op == Op::GlobalAvgPool)
                slack += std::fabs(exact[k]) * 1e-5; // the 20-bit reciprocal
            const double diff = got.real(k) - want;
            if (std::fabs(diff) > slack || (rounding == Rounding::Truncate && diff > 0))
                QFAIL(qPrintable(
                    QStringLiteral("%1 (%2) element %3: reference %4, exact %5")
                        .arg(QString::fromStdString(n.name),
                             QString::fromUtf8(opName(n.op).data(), int(opName(n.op).size())))
                        .arg(k)
                        .arg(got.real(k))
                        .arg(exact[k])));
        }
        Q_UNUSED(saturated);
    }
}

const char* kEveryOp = "  - {op: conv, kernel: 3, channels: 6, id: a}\n"
                       "  - {op: relu}\n"
                       "  - {op: dwconv, kernel: 3, stride: 2}\n"
                       "  - {op: conv, kernel: 3, groups: 2, channels: 4, padding: 0}\n"
                       "  - {op: bn}\n"
                       "  - {op: relu6}\n"
                       "  - {op: pwconv, channels: 6, id: b}\n"
                       "  - {op: fuse, kernel: 3, variant: half, id: h}\n"
                       "  - {op: fuse, kernel: 3, variant: full}\n"
                       "  - {op: pwconv, channels: 6}\n"
                       "  - {op: add, inputs: [h]}\n"
                       "  - {op: concat, inputs: [b]}\n"
                       "  - {op: upsample, factor: 2}\n"
                       "  - {op: reorg, factor: 2}\n"
                       "  - {op: avgpool, kernel: 3, stride: 1, padding: 0}\n"
                       "  - {op: maxpool, kernel: 2}\n"
                       "  - {op: pwconv, channels: 10, id: grid}\n"
                       "  - {op: bbox_head, anchors: 2}\n"
                       "  - {op: global_avgpool, from: grid}\n"
                       "  - {op: fc, channels: 5}\n";

// The ops of ONNX import (docs/import.md), with uneven padding and squeeze-excite.
const char* kImportOps = "  - {op: conv, kernel: 3, channels: 8, padding: [0, 1, 2, 1], id: a}\n"
                         "  - {op: leaky_relu, slope: 0.1}\n"
                         "  - {op: hard_swish, id: hs}\n"
                         "  - {op: global_avgpool}\n"
                         "  - {op: pwconv, channels: 8}\n"
                         "  - {op: hard_sigmoid}\n"
                         "  - {op: mul, inputs: [hs]}\n"
                         "  - {op: sigmoid}\n"
                         "  - {op: mul, inputs: [a]}\n"
                         "  - {op: shuffle, groups: 2}\n"
                         "  - {op: slice, begin: 2, channels: 4}\n"
                         "  - {op: maxpool, kernel: 3, stride: 2, padding: [0, 0, 1, 1]}\n"
                         "  - {op: avgpool, kernel: 2, stride: 1, padding: [1, 0, 0, 1]}\n";

// Largest difference between the reference's conv output and the same conv in double with
// the float weights and bias (on the reference's quantized input).
double convErrorAgainstFloat(const Graph& g, const WeightSet& ws) {
    const FixedTensor input = quantizeInput(g, seededInput(g.input, 3));
    Result<std::vector<FixedTensor>> outs = runReference(g, ws, input);
    if (!outs.ok())
        qFatal("%s", outs.error().format().c_str());
    const LayerWeights& l = ws.layers.front();
    const std::vector<double> exact = floatLayer(
        g.nodes[0], {realOf(input)}, std::vector<double>(l.weights.begin(), l.weights.end()),
        std::vector<double>(l.bias.begin(), l.bias.end()));
    double worst = 0;
    for (std::size_t k = 0; k < exact.size(); ++k)
        worst = std::max(worst, std::fabs(outs->front().real(k) - exact[k]));
    return worst;
}

} // namespace

class TestReference : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundingTies() {
        // 1.5, 2.5, -1.5, -2.5 and -0.5 (raw values with one fractional bit).
        const std::int64_t values[] = {3, 5, -3, -5, -1};
        const std::int64_t round[] = {2, 3, -1, -2, 0};  // ties towards +infinity (AP_RND)
        const std::int64_t trunc[] = {1, 2, -2, -3, -1}; // towards -infinity (AP_TRN)
        const std::int64_t conv[] = {2, 2, -2, -2, 0};   // ties to even (AP_RND_CONV)
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(roundShiftRight(values[i], 1, Rounding::Round), round[i]);
            QCOMPARE(roundShiftRight(values[i], 1, Rounding::Truncate), trunc[i]);
            QCOMPARE(roundShiftRight(values[i], 1, Rounding::Convergent), conv[i]);
        }
        // Not a tie: 1.25 and -1.75 round to the nearest in both rounding modes.
        QCOMPARE(roundShiftRight(5, 2, Rounding::Round), std::int64_t(1));
        QCOMPARE(roundShiftRight(-7, 2, Rounding::Convergent), std::int64_t(-2));
        QCOMPARE(roundShiftRight(-7, 2, Rounding::Truncate), std::int64_t(-2));
        // Shifts past the word: the value is in (-1, 1) of the new LSB.
        QCOMPARE(roundShiftRight(-5, 70, Rounding::Truncate), std::int64_t(-1));
        QCOMPARE(roundShiftRight(-5, 70, Rounding::Round), std::int64_t(0));
    }

    // bbox_head on a tied top confidence (core/reference/bbox_choice.h, docs/export.md): the
    // tied entry nearest the ties' centroid, where the first-tied rule took the corner.
    void bboxHeadBreaksTiesAtTheCentroid() {
        const Graph g = graphOf(tiedBoxProject());
        const auto expect = [&](const std::vector<std::array<int, 3>>& tied,
                                std::array<int, 3> entry) {
            const FixedTensor input = quantizeInput(g, tiedBoxMap(tied));
            Result<std::vector<FixedTensor>> outs = runReference(g, seededWeights(g, 1), input);
            QVERIFY(outs.ok());
            const std::vector<double> box = realOf(outs->back()).v;
            QCOMPARE(chosenEntry(box), entry);
            // x = (col + 0.5) / W, y = (row + 0.5) / H of that entry
            const FixedType f = g.nodes.back().activations;
            QCOMPARE(box[0], toReal(quantizeReal((entry[1] + 0.5) / kTiedCols, f, kRound), f));
            QCOMPARE(box[1], toReal(quantizeReal((entry[0] + 0.5) / kTiedRows, f, kRound), f));
        };
        expect(tiedPlateau(), {2, 3, 0});   // the first tied is its corner (1, 2)
        expect(tiedScattered(), {2, 4, 0}); // the first tied is (0, 4, 1)
        expect({{3, 1, 1}}, {3, 1, 1});     // no tie
    }

    // The rule on integers: equally near entries go to the first in scan order, a cell
    // tied in several anchors counts once per anchor, and a lone top wins outright.
    void boxCellChoiceIsExact() {
        const auto choose = [](int rows, int cols, int anchors, const std::vector<int>& conf) {
            const BoxCell c = chooseBoxCell(rows, cols, anchors, [&](int y, int x, int a) {
                return conf[std::size_t((y * cols + x) * anchors + a)];
            });
            return std::array<int, 3>{c.row, c.col, c.anchor};
        };
        // All of a 4 x 4 grid tied: centroid (1.5, 1.5), four cells equally near.
        QCOMPARE(choose(4, 4, 1, std::vector<int>(16, 3)), (std::array<int, 3>{1, 1, 0}));
        // Row 0 tied at columns 0 and 3, and (1, 3) in both anchors: n = 4, centroid
        // (0.5, 2.25); (0, 3) is 0.8125 away squared, (1, 3) 0.8125: the first, (0, 3).
        std::vector<int> m(2 * 4 * 2, 0);
        m[(0 * 4 + 0) * 2] = m[(0 * 4 + 3) * 2 + 1] = m[(1 * 4 + 3) * 2] = m[(1 * 4 + 3) * 2 + 1] =
            9;
        QCOMPARE(choose(2, 4, 2, m), (std::array<int, 3>{0, 3, 1}));
        m[(1 * 4 + 0) * 2 + 1] = 10;
        QCOMPARE(choose(2, 4, 2, m), (std::array<int, 3>{1, 0, 1}));
        // Negative confidences compare as values.
        QCOMPARE(choose(1, 3, 1, {-5, -2, -2}), (std::array<int, 3>{0, 1, 0}));
    }

    void realValuesRoundLikeRawOnes() {
        const FixedType t{8, 4}; // LSB 1/16
        QCOMPARE(quantizeReal(1.0 / 32, t, kRound), std::int64_t(1));
        QCOMPARE(quantizeReal(1.0 / 32, t, kConvergent), std::int64_t(0));
        QCOMPARE(quantizeReal(3.0 / 32, t, kConvergent), std::int64_t(2));
        QCOMPARE(quantizeReal(-1.0 / 32, t, kRound), std::int64_t(0));
        QCOMPARE(quantizeReal(-1.0 / 32, t, kTruncate), std::int64_t(-1));
        QCOMPARE(quantizeReal(2.71, t, kTruncate), std::int64_t(43));
        QCOMPARE(quantizeReal(std::nan(""), t, kRound), std::int64_t(0));
        QCOMPARE(quantizeReal(1e300, t, kRound), std::int64_t(127));
        QCOMPARE(quantizeReal(-1e300, t, kRound), std::int64_t(-128));
    }

    void overflowSaturatesOrWraps() {
        const FixedType t{8, 4}; // [-8, 7.9375]
        QCOMPARE(quantizeRaw(128, 4, t, kRound), std::int64_t(127));
        QCOMPARE(quantizeRaw(128, 4, t, kWrap), std::int64_t(-128));
        QCOMPARE(quantizeRaw(-129, 4, t, kRound), std::int64_t(-128));
        QCOMPARE(quantizeRaw(-129, 4, t, kWrap), std::int64_t(127));
        // Rounding first, overflow second: 7.96875 rounds up to 8.0, which then overflows.
        QCOMPARE(quantizeRaw(255, 5, t, kRound), std::int64_t(127));
        QCOMPARE(quantizeRaw(255, 5, t, kWrap), std::int64_t(-128));
        QCOMPARE(quantizeRaw(255, 5, t, kTruncate), std::int64_t(127));
        // More fractional bits in the target: exact, and clipped when too large.
        QCOMPARE(quantizeRaw(3, 0, FixedType{16, 4}, kRound), std::int64_t(3 << 12));
        QCOMPARE(quantizeRaw(std::int64_t(1) << 60, 0, FixedType{16, 4}, kRound),
                 std::int64_t(32767));
        QCOMPARE(quantizeRaw(std::int64_t(1) << 60, 0, FixedType{16, 4}, kWrap), std::int64_t(0));
        // The extremes of the widths.
        const FixedType w64{64, 64};
        QCOMPARE(quantizeRaw(std::numeric_limits<std::int64_t>::min(), 0, w64, kWrap),
                 std::numeric_limits<std::int64_t>::min());
        QCOMPARE(quantizeRaw(1, 0, FixedType{1, 1}, kRound), std::int64_t(0));
        QCOMPARE(quantizeRaw(1, 0, FixedType{1, 1}, kWrap), std::int64_t(-1));
        QCOMPARE(quantizeRaw(-1, 0, FixedType{1, 1}, kRound), std::int64_t(-1));
    }

    void ratiosRoundExactly() {
        const FixedType t{8, 1}; // 7 fractional bits
        QCOMPARE(quantizeRatio(1, 3, t, kRound), std::int64_t(43));
        QCOMPARE(quantizeRatio(1, 3, t, kTruncate), std::int64_t(42));
        QCOMPARE(quantizeRatio(-1, 3, t, kTruncate), std::int64_t(-43));
        QCOMPARE(quantizeRatio(1, 256, t, kRound), std::int64_t(1));      // a tie: up
        QCOMPARE(quantizeRatio(1, 256, t, kConvergent), std::int64_t(0)); // a tie: even
        QCOMPARE(quantizeRatio(5, 1, t, kRound), std::int64_t(127));
    }

    void allMaxTensorSaturatesAsConfigured() {
        // Three inputs at the largest value times three largest weights: 47.25, far above
        // the activation range of fixed<8,4>.
        const std::string net = "  - {op: pwconv, channels: 2, bias: false}\n  - {op: relu6}\n";
        for (const char* overflow : {"saturate", "wrap"}) {
            const Graph g = graphOf(project(net,
                                            std::string("{weights: \"fixed<8,2>\", activations: "
                                                        "\"fixed<8,4>\", overflow: ") +
                                                overflow + "}",
                                            "{channels: 3, height: 2, width: 3}"));
            WeightSet ws = seededWeights(g, 1);
            for (LayerWeights& l : ws.layers)
                std::fill(l.weights.begin(), l.weights.end(), 100.0f); // clipped to the max
            FixedTensor in = quantizeInput(g, std::vector<double>(18, 100.0));
            Result<std::vector<FixedTensor>> out = runReference(g, ws, in);
            QVERIFY(out.ok());
            const bool wrap = std::string(overflow) == "wrap";
            // Saturate: input and weights clip to 127 (7.9375, 1.984375), the sum to 127.
            // Wrap: 100.0 wraps to raw 1600 mod 256 = 64 (4.0) and 6400 mod 256 = 0 for the
            // weights, so the product sum is 0; the test then checks the wrap arithmetic.
            if (!wrap) {
                for (std::int64_t r : in.raw)
                    QCOMPARE(r, std::int64_t(127));
                for (std::int64_t r : (*out)[0].raw)
                    QCOMPARE(r, std::int64_t(127));
                for (std::int64_t r : (*out)[1].raw)
                    QCOMPARE(r, std::int64_t(6 * 16)); // relu6 clips to 6.0
            } else {
                for (std::int64_t r : in.raw)
                    QCOMPARE(r, std::int64_t(64));
                for (std::int64_t r : (*out)[0].raw)
                    QCOMPARE(r, std::int64_t(0));
            }
        }
        // Wrap of the accumulator itself: 3 x 127 x 127 at 10 fractional bits is 756.05 at
        // 4 bits, which rounds to 756 and wraps to 756 - 768 = -12.
        const Graph g = graphOf(project(net,
                                        "{weights: \"fixed<8,2>\", activations: "
                                        "\"fixed<8,4>\", overflow: wrap}",
                                        "{channels: 3, height: 1, width: 1}"));
        std::vector<QuantizedLayer> q{QuantizedLayer{std::vector<std::int64_t>(6, 127), {}},
                                      QuantizedLayer{}};
        FixedTensor in{g.input, inputFormat(g), {127, 127, 127}};
        const std::vector<FixedTensor> out = runReference(g, q, in);
        QCOMPARE(out[0].raw[0], std::int64_t(-12));
    }

    void everyLayerAgainstDoubles_data() {
        QTest::addColumn<QString>("precision");
        QTest::addColumn<int>("rounding");
        QTest::newRow("w8 a8 round")
            << QStringLiteral("{weights: 8, activations: 8}") << int(Rounding::Round);
        QTest::newRow("w16 a16 round")
            << QStringLiteral("{weights: 16, activations: 16}") << int(Rounding::Round);
        QTest::newRow("w6 a6 truncate")
            << QStringLiteral("{weights: 6, activations: \"fixed<6,3>\", rounding: truncate}")
            << int(Rounding::Truncate);
        QTest::newRow("w11 a9 convergent")
            << QStringLiteral("{weights: 11, activations: 9, rounding: convergent}")
            << int(Rounding::Convergent);
    }
    void everyLayerAgainstDoubles() {
        QFETCH(QString, precision);
        QFETCH(int, rounding);
        checkEveryLayer(
            project(kEveryOp, precision.toStdString(), "{channels: 4, height: 12, width: 16}"),
            static_cast<Rounding>(rounding));
        checkEveryLayer(
            project(kImportOps, precision.toStdString(), "{channels: 4, height: 9, width: 11}"),
            static_cast<Rounding>(rounding));
    }

    void perLayerFormatsMix() {
        // Overrides give layers their own formats; conversions between them are exact or
        // rounded once.
        const std::string text =
            project("  - {op: conv, kernel: 3, channels: 5, activations: \"fixed<10,3>\"}\n"
                    "  - {op: relu, activations: \"fixed<6,2>\"}\n"
                    "  - {op: pwconv, channels: 4, weights: \"fixed<12,1>\"}\n"
                    "  - {op: maxpool, kernel: 2}\n",
                    "{weights: 8, activations: 8}");
        checkEveryLayer(text, Rounding::Round);
    }

    // Issue 15: a bias folded from a batch norm is many times the weights. It has a format of
    // its own (the weights' width, the output's integer bits), so the weights' format holds
    // the weights alone. Before, the bias took the weights' format: fixed<16,0> clipped it at
    // 0.5, and a format wide enough for it (fixed<16,2>) gives the small weights fewer bits.
    void biasHasItsOwnFormat() {
        const std::string layer = "  - {op: conv, kernel: 3, channels: 6}\n";
        const std::string input = "{channels: 16, height: 8, width: 8}";
        const auto graphWith = [&](const char* weights) {
            return graphOf(project(
                layer, std::string("{weights: \"") + weights + "\", activations: \"fixed<16,3>\"}",
                input));
        };
        const Graph g = graphWith("fixed<16,0>");
        const Node& n = g.nodes[0];
        QCOMPARE(biasFormat(n), (FixedType{16, 3}));
        QCOMPARE(biasShift(n), 3);
        WeightSet ws = seededWeights(g, 5);
        LayerWeights& l = ws.layers.front();
        double largestWeight = 0;
        for (float& w : l.weights) {
            w *= 0.25f; // seeded: within +-sqrt(6 / 144) = 0.2
            largestWeight = std::max(largestWeight, double(std::fabs(w)));
        }
        for (std::size_t k = 0; k < l.bias.size(); ++k)
            l.bias[k] = (k % 2 ? -1.0f : 1.0f) * (0.7f + 0.0731f * float(k)); // 20x the weights
        QVERIFY(largestWeight < 0.052);
        // The quantization error: the output's rounding, the bias's, and each of the 144
        // weights' times an input below 1.
        const double bound = std::ldexp(0.5, -fracBits(n.activations)) +
                             std::ldexp(0.5, -fracBits(biasFormat(n))) +
                             144 * std::ldexp(0.5, -fracBits(n.weights));
        const double own = convErrorAgainstFloat(g, ws);
        qInfo("weights fixed<16,0>, bias %s: largest error %.3g (bound %.3g)",
              formatFixedType(biasFormat(n)).c_str(), own, bound);
        QVERIFY2(own <= bound, qPrintable(QString::number(own)));
        const double shared = convErrorAgainstFloat(graphWith("fixed<16,2>"), ws);
        qInfo("weights fixed<16,2>: largest error %.3g", shared);
        QVERIFY2(shared > 1.5 * own, qPrintable(QString::number(shared)));
    }

    void limitsNameTheLayer() {
        const Graph g = graphOf(project("  - {op: pwconv, channels: 4, name: wide}\n",
                                        "{weights: 32, activations: 32}"));
        const Status s = checkReferenceLimits(g);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().layer, std::string("wide"));
        QVERIFY(s.error().message.find("64 bits") != std::string::npos);
    }

    void seededWeightsAreDeterministic() {
        const Graph g = graphOf(project(kEveryOp, "{weights: 8, activations: 8}",
                                        "{channels: 4, height: 12, width: 16}"));
        const WeightSet a = seededWeights(g, 3);
        const WeightSet b = seededWeights(g, 3);
        const WeightSet c = seededWeights(g, 4);
        QVERIFY(checkWeightsFit(a, g).ok());
        QCOMPARE(serializeWeightSet(a), serializeWeightSet(b));
        QVERIFY(serializeWeightSet(a) != serializeWeightSet(c));
        // Fixed values: the generator must not change between platforms or releases, or
        // exported golden vectors and trained checkpoints stop matching.
        QCOMPARE(a.layers.front().name, std::string("L1.conv"));
        QCOMPARE(a.layers.front().weights.size(), std::size_t(6 * 4 * 9));
        const std::vector<double> pixels = seededInput({1, 1, 2}, 9);
        QCOMPARE(pixels.size(), std::size_t(2));
        QVERIFY(pixels[0] >= 0 && pixels[0] < 1 && pixels[0] != pixels[1]);
    }

    void weightFileRoundTrips() {
        const Graph g = graphOf(project(kEveryOp, "{weights: 8, activations: 8}",
                                        "{channels: 4, height: 12, width: 16}"));
        WeightSet ws = seededWeights(g, 5);
        ws.origin = "trained";
        const std::string bytes = serializeWeightSet(ws);
        Result<WeightSet> back = parseWeightSet(bytes);
        QVERIFY(back.ok());
        QCOMPARE(back->origin, std::string("trained"));
        QCOMPARE(back->seed, std::uint64_t(5));
        QCOMPARE(serializeWeightSet(*back), bytes);
        QVERIFY(!parseWeightSet(bytes.substr(0, bytes.size() - 3)).ok());
        QVERIFY(!parseWeightSet("not weights").ok());
        QVERIFY(!parseWeightSet(bytes + "x").ok());
        // A set for another network is refused with the layer's name.
        ws.layers.front().weights.pop_back();
        const Status s = checkWeightsFit(ws, g);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().layer, std::string("L1.conv"));
    }

    // NOS: a FuSe network starts from its depthwise original's weights in the layers the
    // transform kept (same name and shape); the rewritten layer keeps its own.
    void matchingLayersCopyFromTheOriginal() {
        const char* network = "  - {op: conv, kernel: 3, stride: 2, channels: 8}\n"
                              "  - {op: dwconv, kernel: 3}\n"
                              "  - {op: bn}\n"
                              "  - {op: pwconv, channels: 16}\n"
                              "  - {op: fc, channels: 10}\n";
        const std::string text = project(network, "{weights: 8, activations: 8}");
        bool ok = false;
        const Project original = parseOrFail(text, ok);
        QVERIFY(ok);
        for (FuseVariant v : {FuseVariant::Half, FuseVariant::Full}) {
            FuseTransformOptions o;
            o.variant = v;
            const Graph fuse = graphOf(projectToYaml(fuseTransform(original, o)->project));
            const WeightSet teacher = seededWeights(graphOf(text), 1);
            WeightSet student = seededWeights(fuse, 2);
            const WeightSet seeded = student;
            // half: conv, bn, pwconv, fc; full: bn has 2C and the pwconv twice the inputs
            const int expected = v == FuseVariant::Half ? 4 : 2;
            QCOMPARE(copyMatchingLayers(teacher, student), expected);
            for (const LayerWeights& l : student.layers) {
                const LayerWeights* t = teacher.find(l.name);
                const LayerWeights* own = seeded.find(l.name);
                const bool fits = t && t->weights.size() == own->weights.size() &&
                                  t->bias.size() == own->bias.size();
                QVERIFY2(l.weights == (fits ? t->weights : own->weights), l.name.c_str());
            }
            QVERIFY(student.find("L2.fuse")->weights == seeded.find("L2.fuse")->weights);
            QVERIFY(checkWeightsFit(student, fuse).ok());
        }
    }

    void inputOfTheWrongShapeIsRefused() {
        const Graph g = graphOf(project("  - {op: relu}\n", "{weights: 8, activations: 8}"));
        FixedTensor in{{4, 9, 9}, inputFormat(g), std::vector<std::int64_t>(4 * 9 * 9)};
        QVERIFY(!runReference(g, seededWeights(g, 1), in).ok());
    }

    void dnnAIsFast() {
        bool ok = false;
        const Project p = parseOrFail(readText(sourcePath("examples/dac19-dnn-a.yaml")), ok);
        QVERIFY(ok);
        const Graph g = graphOrFail(p, ok);
        QVERIFY(ok);
        const WeightSet ws = seededWeights(g, 1);
        const FixedTensor in = quantizeInput(g, seededInput(g.input, 1));
        const auto start = std::chrono::steady_clock::now();
        Result<std::vector<FixedTensor>> out = runReference(g, ws, in);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY(out.ok());
        qInfo("DNN-A at 160x360 (223 M MACs): %.2f s", seconds);
        QVERIFY(seconds < 30); // about 0.4 s optimised; generous for sanitizer builds
        // The seeded weights give a network whose values use the formats: not all zero.
        const FixedTensor& last = (*out)[g.nodes.size() - 2];
        QVERIFY(std::count(last.raw.begin(), last.raw.end(), 0) <
                std::ptrdiff_t(last.raw.size() / 2));
    }
};

QTEST_GUILESS_MAIN(TestReference)
#include "test_reference.moc"
