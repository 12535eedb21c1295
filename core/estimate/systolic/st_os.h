#pragma once

// FuSeConv's ST-OS (spatial-tiled output-stationary) mapping of 1-D depthwise convolutions
// onto the rows of an X x Y array (seed 003; docs/estimator.md, "FuSe rows"). Each array row
// computes one 1-D convolution (one channel, one image line); its Y PEs hold Y neighbouring
// outputs. The line's inputs enter at the row's right end and move one PE left per cycle,
// and the row's K weights are broadcast to its PEs, tap t at cycle Y - 1 + t. A fold is
// (Y + K - 1) cycles of streaming plus one cycle writing the Y outputs back: Y + K cycles,
// FuSeConv's one-fold time. A stride s along the line computes the stride-1 outputs that
// cover the kept ones, (F - 1) s + 1 positions for F outputs, and keeps every s-th.
#include "systolic_gemm.h"

#include <cstdint>

namespace codesign {

// A batch of independent 1-D convolutions of one kernel length.
struct RowJob {
    std::int64_t lines = 0;   // convolutions: channels x kept output lines (x batch)
    std::int64_t outputs = 0; // outputs kept per line
    int stride = 1;
    int kernel = 1;
    friend bool operator==(const RowJob&, const RowJob&) = default;

    // Stride-1 output positions a line computes to cover the kept ones.
    std::int64_t positions() const { return outputs > 0 ? (outputs - 1) * stride + 1 : 0; }
};

struct RowFolds {
    std::int64_t lines = 0;     // ceil(lines / X)
    std::int64_t positions = 0; // ceil(positions / Y)
    std::int64_t total() const { return lines * positions; }
};

inline RowFolds rowFoldsOf(const RowJob& j, int rows, int cols) {
    return {foldCount(j.lines, rows), foldCount(j.positions(), cols)};
}

inline std::int64_t stOsCycles(const RowFolds& f, int cols, int kernel) {
    return f.total() * (std::int64_t(cols) + kernel);
}

inline std::int64_t stOsCycles(const RowJob& j, int rows, int cols) {
    return stOsCycles(rowFoldsOf(j, rows, cols), cols, j.kernel);
}

// Used PEs over the folds' PEs (the row counterpart of the GEMM mapping efficiency).
inline double stOsMappingEfficiency(const RowJob& j, int rows, int cols) {
    const RowFolds f = rowFoldsOf(j, rows, cols);
    return double(j.lines) * double(j.positions()) / (double(f.total()) * rows * cols);
}

// MACs the rows perform (stride-1 positions x taps), of which lines x outputs x K are kept.
inline std::int64_t stOsMacsPerformed(const RowJob& j) {
    return j.lines * j.positions() * j.kernel;
}

} // namespace codesign
