#include "fuseconv_reference.h"

#include "../../util/int_math.h"

namespace codesign {

std::int64_t fuseconvGemmCycles(int x, int y, const FuseconvConv& v) {
    const std::int64_t e = (v.h - v.r + v.strideH) / v.strideH;
    const std::int64_t f = (v.w - v.s + v.strideW) / v.strideW;
    const std::int64_t ni = v.n * e * f;
    const std::int64_t nt = v.r * v.s * v.c;
    const std::int64_t nf = v.m;
    const std::int64_t fullX = ni / x;
    const std::int64_t fullY = nf / y;
    const std::int64_t restX = ni % x;
    const std::int64_t restY = nf % y;
    std::int64_t cycles = fullX * fullY * (nt + x + y - 1);
    if (restX > 0)
        cycles += fullY * (nt + restX + y - 1);
    if (restY > 0)
        cycles += fullX * (nt + x + restY - 1);
    if (restX > 0 && restY > 0)
        cycles += nt + restX + restY - 1;
    return cycles;
}

std::int64_t fuseconvRowCycles(int x, int y, const FuseconvConv& v) {
    // ceil(a / stride * b) with a and b integers is ceil(a b / stride), exactly.
    const std::int64_t a = ceilDiv(v.n * v.h * v.c, x);
    const std::int64_t b = (y + v.s) * ceilDiv(v.w, y);
    return ceilDiv(a * b, v.strideW);
}

namespace {

FuseconvConv convOf(const Node& n, int batch, int channels, int filters, int kh, int kw, int padH,
                    int padW) {
    FuseconvConv v;
    v.n = batch;
    v.h = n.in.h + 2 * padH;
    v.w = n.in.w + 2 * padW;
    v.r = kh;
    v.s = kw;
    v.c = channels;
    v.m = filters;
    v.strideH = v.strideW = n.stride;
    return v;
}

// One branch of a fuse layer: 1 x K (along the width) or K x 1, on `channels` channels.
std::int64_t fuseBranch(const Node& n, int x, int y, bool fuseHardware, int batch, int channels,
                        bool alongWidth) {
    if (channels == 0)
        return 0;
    const int k = n.kernelH;
    const FuseconvConv v = alongWidth ? convOf(n, batch, channels, 1, 1, k, 0, n.padW)
                                      : convOf(n, batch, channels, 1, k, 1, n.padH, 0);
    if (!fuseHardware) {
        FuseconvConv one = v;
        one.c = 1;
        return fuseconvGemmCycles(x, y, one) * channels;
    }
    if (alongWidth)
        return fuseconvRowCycles(x, y, v);
    FuseconvConv t = v; // K x 1: the same with height and width swapped
    std::swap(t.h, t.w);
    std::swap(t.r, t.s);
    std::swap(t.strideH, t.strideW);
    return fuseconvRowCycles(x, y, t);
}

} // namespace

std::int64_t fuseconvNetworkCycles(const Graph& graph, int x, int y, bool fuseHardware, int batch) {
    std::int64_t total = 0;
    for (const Node& n : graph.nodes) {
        switch (n.op) {
        case Op::Conv:
        case Op::PwConv:
            if (n.groups == 1) {
                total += fuseconvGemmCycles(
                    x, y, convOf(n, batch, n.in.c, n.out.c, n.kernelH, n.kernelW, n.padH, n.padW));
                break;
            }
            [[fallthrough]]; // a grouped conv is "depthwise" in that model
        case Op::DwConv:
            total += fuseconvGemmCycles(
                         x, y, convOf(n, batch, 1, 1, n.kernelH, n.kernelW, n.padH, n.padW)) *
                     n.out.c;
            break;
        case Op::Fuse: {
            const bool full = n.variant == FuseVariant::Full;
            const int first = full ? n.in.c : n.in.c / 2;
            const int second = full ? n.in.c : n.in.c - first;
            total += fuseBranch(n, x, y, fuseHardware, batch, first, true);
            total += fuseBranch(n, x, y, fuseHardware, batch, second, false);
            break;
        }
        case Op::Fc: {
            FuseconvConv v;
            v.n = batch;
            v.h = v.w = 1;
            v.c = n.in.elements();
            v.m = n.out.c;
            total += fuseconvGemmCycles(x, y, v);
            break;
        }
        default:
            break;
        }
    }
    return total;
}

} // namespace codesign
