#pragma once

// DRAM traffic and stalls of a layer on the systolic array (docs/estimator.md, "Systolic
// arrays: memory"). The three SRAMs are double buffered (SCALE-Sim's scratchpad: half of each
// buffer is active while the other half fills); an operand that fits the active half is
// fetched from DRAM once, one that does not is fetched again on every pass of the loop nest
// that revisits it. Folds run column fold outer, row fold inner, as SCALE-Sim's do.
#include "systolic_gemm.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace codesign {

// One GEMM's operands in bytes (ifmap and ofmap for the whole batch).
struct OperandBytes {
    std::int64_t ifmap = 0; // the unique input (the SRAM holds the map, not its im2col copy)
    std::int64_t filter = 0;
    std::int64_t ofmap = 0;
    std::int64_t psum = 4; // one partial-sum word
};

// Whole buffers in bytes; the active half of each is what one pass can keep.
struct BufferBytes {
    std::int64_t ifmap = 0;
    std::int64_t filter = 0;
    std::int64_t ofmap = 0;
};

// Partial sums across row folds (WS, IS): kept in the ofmap buffer when one column fold's
// block fits its active half, else every row fold after the first writes its sums out and
// reads them back.
inline std::int64_t ofmapTraffic(const GemmMap& m, const Folds& f, const OperandBytes& b,
                                 std::int64_t ofmapHalf, int cols) {
    if (f.rows <= 1)
        return b.ofmap;
    const std::int64_t block = m.t * std::min<std::int64_t>(cols, m.sc) * b.psum;
    if (block <= ofmapHalf)
        return b.ofmap;
    return b.ofmap + 2 * (f.rows - 1) * m.t * m.sc * b.psum;
}

// DRAM bytes of one GEMM.
//   OS: the ifmap is swept once per column fold, the filter's column block once per row fold;
//   WS: the ifmap once per column fold, each weight once;
//   IS: each input block once, the filter once per column fold.
inline std::int64_t gemmDramBytes(const GemmMap& m, const Folds& f, Dataflow df,
                                  const OperandBytes& b, const BufferBytes& sram, int cols) {
    const std::int64_t ifmapHalf = sram.ifmap / 2;
    const std::int64_t filterHalf = sram.filter / 2;
    const std::int64_t ofmapHalf = sram.ofmap / 2;
    const std::int64_t ifmapPasses = b.ifmap <= ifmapHalf ? 1 : f.cols;
    switch (df) {
    case Dataflow::Os: {
        // The filter slice of one column fold: its share of the filter bytes.
        const std::int64_t colBlock = ceilDiv(b.filter * std::min<std::int64_t>(cols, m.sc), m.sc);
        const std::int64_t filterPasses = colBlock <= filterHalf ? 1 : f.rows;
        return b.ifmap * ifmapPasses + b.filter * filterPasses + b.ofmap;
    }
    case Dataflow::Ws:
        return b.ifmap * ifmapPasses + b.filter + ofmapTraffic(m, f, b, ofmapHalf, cols);
    case Dataflow::Is:
        break;
    }
    const std::int64_t filterPasses = b.filter <= filterHalf ? 1 : f.cols;
    return b.ifmap + b.filter * filterPasses + ofmapTraffic(m, f, b, ofmapHalf, cols);
}

// Double buffering: fold f + 1's transfers run during fold f, and the first fold's operands
// are prefetched before the layer starts (SCALE-Sim fills the active buffer ahead of cycle 0).
// With the traffic spread evenly over F folds of equal length, each later fold waits
// max(0, D / (F B) - CC / F): in all (F - 1) / F of max(0, D / B - CC).
inline std::int64_t foldStallCycles(double dramBytes, std::int64_t computeCycles,
                                    std::int64_t folds, double bytesPerCycle) {
    if (folds <= 1 || bytesPerCycle <= 0)
        return 0;
    const double excess = dramBytes / bytesPerCycle - double(computeCycles);
    if (excess <= 0)
        return 0;
    return static_cast<std::int64_t>(std::ceil(excess * double(folds - 1) / double(folds)));
}

// A streaming layer (the vector unit): its time is the longer of compute and transfer.
inline std::int64_t streamStallCycles(double dramBytes, std::int64_t computeCycles,
                                      double bytesPerCycle) {
    if (bytesPerCycle <= 0)
        return 0;
    const double excess = dramBytes / bytesPerCycle - double(computeCycles);
    return excess > 0 ? static_cast<std::int64_t>(std::ceil(excess)) : 0;
}

} // namespace codesign
