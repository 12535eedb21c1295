#pragma once

// FuSeConv's own analytical latency model (iitm-sysdl/FuSeConv, analyticalLatencyModel.py),
// reproduced formula by formula as a reference: the tests pin it on hand-computed cases and
// docs/estimator.md compares it with this estimator's closed forms. It counts compute
// cycles only (no fill of the stationary operand, no memory).
#include "../../model/graph.h"

#include <cstdint>

namespace codesign {

// gemmCycles: an X x Y array, a conv of an H x W input (padding already added), R x S
// filters, C channels, M filters, batch N. With ni = N E F outputs, nt = R S C, nf = M:
//   floor(ni/X) floor(nf/Y) (nt + X + Y - 1) + [ni%X] floor(nf/Y) (nt + ni%X + Y - 1)
//   + [nf%Y] floor(ni/X) (nt + X + nf%Y - 1) + [both] (nt + ni%X + nf%Y - 1)
struct FuseconvConv {
    std::int64_t n = 1;
    std::int64_t h = 0;
    std::int64_t w = 0;
    std::int64_t r = 1;
    std::int64_t s = 1;
    std::int64_t c = 1;
    std::int64_t m = 1;
    std::int64_t strideH = 1;
    std::int64_t strideW = 1;
};
std::int64_t fuseconvGemmCycles(int x, int y, const FuseconvConv& conv);

// FuSeCycles: a 1 x S depthwise conv on the FuSe array, N H C independent 1-D convolutions
// of a W-wide (padded) line: ceil(ceil(N H C / X) / strideW * (Y + S) * ceil(W / Y)).
// (A K x 1 conv is the same with H and W swapped.)
std::int64_t fuseconvRowCycles(int x, int y, const FuseconvConv& conv);

// FuSeConv's per-layer rules over a network: conv with groups 1, pwconv and fc as GEMMs;
// depthwise (dwconv, grouped conv) as one 1-channel 1-filter GEMM per output channel; on the
// FuSe array (fuseHardware) the fuse op's 1xK and Kx1 branches by FuSeCycles, on the plain
// array as depthwise GEMMs. Other layers cost nothing in that model.
std::int64_t fuseconvNetworkCycles(const Graph& graph, int x, int y, bool fuseHardware,
                                   int batch = 1);

} // namespace codesign
