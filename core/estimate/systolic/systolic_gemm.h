#pragma once

// One GEMM on an R x C systolic array, in closed form (SCALE-Sim; docs/estimator.md,
// "Systolic arrays"). Inline: the estimator calls these once per layer per estimate.
#include "../../model/systolic_spec.h"
#include "../../util/int_math.h"

#include <cstdint>

namespace codesign {

// A convolution as SCALE-Sim sees it: (ofmap pixels x window) times (window x filters).
// ofmapPx = Eh * Ew (times the batch), window = Kh * Kw * Cin (per group), filters = M.
struct GemmDims {
    std::int64_t ofmapPx = 0;
    std::int64_t window = 0;
    std::int64_t filters = 0;
    friend bool operator==(const GemmDims&, const GemmDims&) = default;
};

// SCALE-Sim's output size of a conv (its topology_utils): ceil((H - R + s) / s). It counts a
// last window that runs past the edge (224 with 11 x 11 / 4 gives 55, a conv gives 54), so a
// network's padded sizes, not SCALE-Sim's input sizes, are what this estimator maps.
inline std::int64_t scaleSimOfmapDim(std::int64_t input, std::int64_t kernel, std::int64_t stride) {
    return ceilDiv(input - kernel + stride, stride);
}

// The GEMM laid on the array: Sr rows and Sc columns of work in space, T steps in time.
struct GemmMap {
    std::int64_t sr = 0;
    std::int64_t sc = 0;
    std::int64_t t = 0;
    friend bool operator==(const GemmMap&, const GemmMap&) = default;
};

// OS (Sr, Sc, T) = (ofmap_px, M, window); WS = (window, M, ofmap_px); IS = (window, ofmap_px, M).
inline GemmMap mapGemm(const GemmDims& d, Dataflow df) {
    switch (df) {
    case Dataflow::Os:
        return {d.ofmapPx, d.filters, d.window};
    case Dataflow::Ws:
        return {d.window, d.filters, d.ofmapPx};
    case Dataflow::Is:
        break;
    }
    return {d.window, d.ofmapPx, d.filters};
}

// ceil(a / b) for a >= 0 and 0 < b <= 2^31: a 32-bit division when a fits, which is several
// times faster than a 64-bit one on x86 (the estimator divides twice per layer per estimate).
inline std::int64_t foldCount(std::int64_t a, int b) {
    if (a <= 0xffffffffLL - b)
        return (std::uint32_t(a) + std::uint32_t(b) - 1) / std::uint32_t(b);
    return ceilDiv(a, b);
}

struct Folds {
    std::int64_t rows = 0; // ceil(Sr / R)
    std::int64_t cols = 0; // ceil(Sc / C)
    std::int64_t total() const { return rows * cols; }
};

inline Folds foldsOf(const GemmMap& m, int rows, int cols) {
    return {foldCount(m.sr, rows), foldCount(m.sc, cols)};
}

// Cycles of one fold: R to fill the stationary operand (or drain the outputs, for OS),
// R + C - 2 of skew, T of streaming; the paper counts 2R + C + T - 2 for every dataflow.
inline std::int64_t foldCycles(std::int64_t t, int rows, int cols) {
    return 2 * std::int64_t(rows) + cols + t - 2;
}

// Cycles of one GEMM without stalls. scalesim_v2 reports the index of the last cycle
// (one less) and leaves out the OS drain of R cycles per fold (scale-sim-v3 issue #4).
inline std::int64_t gemmCycles(const GemmMap& m, const Folds& f, int rows, int cols, Dataflow df,
                               CycleConvention convention) {
    const std::int64_t folds = f.total();
    std::int64_t perFold = foldCycles(m.t, rows, cols);
    if (convention == CycleConvention::Paper)
        return folds * perFold;
    if (df == Dataflow::Os)
        perFold -= rows;
    return folds * perFold - 1;
}

inline std::int64_t gemmCycles(const GemmMap& m, int rows, int cols, Dataflow df,
                               CycleConvention convention) {
    return gemmCycles(m, foldsOf(m, rows, cols), rows, cols, df, convention);
}

// SCALE-Sim's mapping efficiency, averaged over the folds: used PEs / (R C) per fold.
// The used rows over all row folds sum to Sr (columns likewise), hence the closed form.
inline double mappingEfficiency(const GemmMap& m, const Folds& f, int rows, int cols) {
    return double(m.sr) * double(m.sc) / (double(f.total()) * rows * cols);
}

inline double mappingEfficiency(const GemmMap& m, int rows, int cols) {
    return mappingEfficiency(m, foldsOf(m, rows, cols), rows, cols);
}

// Words read from and written to the three SRAMs by one GEMM (SCALE-Sim's demand counts;
// its OS count of R + C extra ofmap writes per fold is left out: nothing is written then).
// Partial sums: with several row folds, WS and IS write each fold's outputs and read the
// earlier folds' sums back to accumulate them (SCALE-Sim counts the writes only).
struct SramAccesses {
    std::int64_t ifmapReads = 0;
    std::int64_t filterReads = 0;
    std::int64_t ofmapWrites = 0;
    std::int64_t psumReads = 0;
    std::int64_t reads() const { return ifmapReads + filterReads + psumReads; }
};

inline SramAccesses gemmSramAccesses(const GemmMap& m, const Folds& f, Dataflow df) {
    SramAccesses a;
    const std::int64_t stationary = m.sr * m.sc;        // each stationary word once
    const std::int64_t rowStream = f.cols * m.sr * m.t; // T words per used row, per column fold
    switch (df) {
    case Dataflow::Os:
        a.ifmapReads = rowStream;
        a.filterReads = f.rows * m.sc * m.t;
        a.ofmapWrites = stationary;
        return a;
    case Dataflow::Ws:
        a.filterReads = stationary;
        a.ifmapReads = rowStream;
        break;
    case Dataflow::Is:
        a.ifmapReads = stationary;
        a.filterReads = rowStream;
        break;
    }
    a.ofmapWrites = f.rows * m.sc * m.t;
    a.psumReads = (f.rows - 1) * m.sc * m.t;
    return a;
}

inline SramAccesses gemmSramAccesses(const GemmMap& m, int rows, int cols, Dataflow df) {
    return gemmSramAccesses(m, foldsOf(m, rows, cols), df);
}

} // namespace codesign
