#pragma once

// Cycle-level reference of the systolic array for the tests: operands move through PE
// registers one hop per cycle, partial sums and outputs with them, and the result is read
// from the array. It knows nothing of the closed forms (core/estimate/systolic/); the tests
// check that both give the same cycles and that the array computes the right product.
// Padded rows and columns of a partial fold carry zeros, as the hardware feeds them.
#include "core/model/systolic_spec.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace codesign::testing {

using Matrix = std::vector<std::vector<std::int64_t>>;

struct SimResult {
    Matrix out;
    std::int64_t cycles = 0;     // every phase of every fold (the paper's count)
    std::int64_t fillStream = 0; // fill + stream phases only (scale-sim-v2 counts this - 1)
    std::int64_t folds = 0;
    std::int64_t usefulMacs = 0; // MACs on real (not padded) operands
};

struct Reg {
    std::int64_t v = 0;
    bool valid = false;
    bool useful = false;
};
using RegGrid = std::vector<std::vector<Reg>>;

inline RegGrid regGrid(int rows, int cols) {
    return RegGrid(rows, std::vector<Reg>(cols));
}

// OS fold: A streams into the rows from the left (row i skewed by i), B into the columns from
// the top (column j skewed by j); PE (i, j) accumulates out[p0 + i][m0 + j]. Then the R rows
// of results shift out at the bottom, one row per cycle.
inline void osFold(const Matrix& a, const Matrix& b, int R, int C, int p0, int m0, SimResult& s) {
    const int P = int(a.size()), K = int(b.size()), M = int(b[0].size());
    RegGrid ar = regGrid(R, C), br = regGrid(R, C);
    std::vector<std::vector<std::int64_t>> acc(R, std::vector<std::int64_t>(C, 0));
    std::int64_t lastMac = -1;
    for (std::int64_t c = 0;; ++c) {
        RegGrid na = regGrid(R, C), nb = regGrid(R, C);
        bool any = false;
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < C; ++j) {
                if (j == 0) {
                    const std::int64_t k = c - i;
                    if (k >= 0 && k < K) {
                        const bool real = p0 + i < P;
                        na[i][0] = {real ? a[p0 + i][k] : 0, true, real};
                    }
                } else {
                    na[i][j] = ar[i][j - 1];
                }
                if (i == 0) {
                    const std::int64_t k = c - j;
                    if (k >= 0 && k < K) {
                        const bool real = m0 + j < M;
                        nb[0][j] = {real ? b[k][m0 + j] : 0, true, real};
                    }
                } else {
                    nb[i][j] = br[i - 1][j];
                }
                if (na[i][j].valid && nb[i][j].valid) {
                    acc[i][j] += na[i][j].v * nb[i][j].v;
                    s.usefulMacs += na[i][j].useful && nb[i][j].useful ? 1 : 0;
                    lastMac = c;
                }
                any = any || na[i][j].valid || nb[i][j].valid;
            }
        ar.swap(na);
        br.swap(nb);
        if (!any && c > K + R + C)
            break;
    }
    const std::int64_t stream = lastMac + 1;
    // Drain: each cycle the bottom row leaves and the others move down one row.
    for (int d = 0; d < R; ++d) {
        const int row = R - 1 - d; // the array row whose results reach the bottom now
        for (int j = 0; j < C; ++j)
            if (p0 + row < P && m0 + j < M)
                s.out[p0 + row][m0 + j] = acc[row][j];
    }
    s.fillStream += stream;
    s.cycles += stream + R;
}

// WS / IS fold: `stationary(i, j)` is loaded into PE (i, j) by shifting down the columns for
// R cycles; then `stream(i, t)` enters row i at cycle t + i and moves right, and the partial
// sums move down; the bottom row's sums leave at once into `sink(j, t, sum)`.
struct StationaryFold {
    std::function<Reg(int i, int j)> stationary;
    std::function<Reg(int i, std::int64_t t)> stream;
    std::function<void(int j, std::int64_t t, std::int64_t sum)> sink;
    std::int64_t T = 0;
};

inline void stationaryFold(const StationaryFold& f, int R, int C, SimResult& s) {
    RegGrid w = regGrid(R, C);
    for (int cycle = 0; cycle < R; ++cycle) // fill: the value for row R-1-cycle enters on top
        for (int j = 0; j < C; ++j) {
            for (int i = R - 1; i > 0; --i)
                w[i][j] = w[i - 1][j];
            w[0][j] = f.stationary(R - 1 - cycle, j);
        }
    RegGrid ar = regGrid(R, C), ps = regGrid(R, C);
    std::int64_t lastMac = -1;
    for (std::int64_t c = 0;; ++c) {
        RegGrid na = regGrid(R, C), np = regGrid(R, C);
        bool any = false;
        for (int i = 0; i < R; ++i)
            for (int j = 0; j < C; ++j) {
                na[i][j] = j == 0 ? (c - i >= 0 && c - i < f.T ? f.stream(i, c - i) : Reg{})
                                  : ar[i][j - 1];
                if (!na[i][j].valid)
                    continue;
                const std::int64_t above = i == 0 ? 0 : ps[i - 1][j].v;
                np[i][j] = {above + na[i][j].v * w[i][j].v, true, false};
                s.usefulMacs += na[i][j].useful && w[i][j].useful ? 1 : 0;
                lastMac = c;
                any = true;
                if (i == R - 1)
                    f.sink(j, c - (R - 1) - j, np[i][j].v);
            }
        ar.swap(na);
        ps.swap(np);
        if (!any && c > f.T + R + C)
            break;
    }
    s.fillStream += R + lastMac + 1;
    s.cycles += R + lastMac + 1;
}

// out = a (P x K) times b (K x M), folded onto an R x C array: column folds outer, row
// folds inner (SCALE-Sim's order). OS maps (P, M, K), WS (K, M, P), IS (K, P, M).
inline SimResult simulateGemm(const Matrix& a, const Matrix& b, int R, int C, Dataflow df) {
    const int P = int(a.size()), K = int(b.size()), M = int(b[0].size());
    SimResult s;
    s.out.assign(P, std::vector<std::int64_t>(M, 0));
    const int sr = df == Dataflow::Os ? P : K;
    const int sc = df == Dataflow::Is ? P : M;
    for (int c0 = 0; c0 < sc; c0 += C)
        for (int r0 = 0; r0 < sr; r0 += R) {
            ++s.folds;
            if (df == Dataflow::Os) {
                osFold(a, b, R, C, r0, c0, s);
                continue;
            }
            StationaryFold f;
            if (df == Dataflow::Ws) { // weights B[k][m] still, ifmap rows A[t][k] stream
                f.T = P;
                f.stationary = [&](int i, int j) {
                    const bool real = r0 + i < K && c0 + j < M;
                    return Reg{real ? b[r0 + i][c0 + j] : 0, true, real};
                };
                f.stream = [&](int i, std::int64_t t) {
                    const bool real = r0 + i < K;
                    return Reg{real ? a[t][r0 + i] : 0, true, real};
                };
                f.sink = [&](int j, std::int64_t t, std::int64_t sum) {
                    if (c0 + j < M)
                        s.out[t][c0 + j] += sum;
                };
            } else { // IS: inputs A[p][k] still, filters B[k][t] stream
                f.T = M;
                f.stationary = [&](int i, int j) {
                    const bool real = r0 + i < K && c0 + j < P;
                    return Reg{real ? a[c0 + j][r0 + i] : 0, true, real};
                };
                f.stream = [&](int i, std::int64_t t) {
                    const bool real = r0 + i < K;
                    return Reg{real ? b[r0 + i][t] : 0, true, real};
                };
                f.sink = [&](int j, std::int64_t t, std::int64_t sum) {
                    if (c0 + j < P)
                        s.out[c0 + j][t] += sum;
                };
            }
            stationaryFold(f, R, C, s);
        }
    return s;
}

// FuSe rows (ST-OS): `lines` 1-D convolutions, each over its own padded input and K weights,
// output o = sum_t w[t] x[o * stride + t] for o < outputs. A fold takes X lines and Y
// stride-1 positions [j0, j0 + Y): row r's inputs enter at PE Y-1 and shift left one PE per
// cycle, the row's tap t is broadcast at cycle Y - 1 + t, and one more cycle writes the
// kept outputs back.
struct RowSim {
    Matrix out;
    std::int64_t cycles = 0;
    std::int64_t folds = 0;
    std::int64_t usefulMacs = 0;
};

inline RowSim simulateRows(const Matrix& inputs, const Matrix& weights, int stride,
                           std::int64_t outputs, int X, int Y) {
    const std::int64_t L = std::int64_t(inputs.size());
    const int K = int(weights[0].size());
    const std::int64_t positions = (outputs - 1) * stride + 1;
    RowSim s;
    s.out.assign(L, std::vector<std::int64_t>(outputs, 0));
    for (std::int64_t l0 = 0; l0 < L; l0 += X)
        for (std::int64_t j0 = 0; j0 < positions; j0 += Y) {
            ++s.folds;
            RegGrid reg = regGrid(X, Y);
            std::vector<std::vector<std::int64_t>> acc(X, std::vector<std::int64_t>(Y, 0));
            std::int64_t lastTap = -1;
            for (std::int64_t c = 0; c - (Y - 1) < K; ++c) {
                for (int r = 0; r < X; ++r) {
                    const std::int64_t line = l0 + r;
                    for (int p = 0; p + 1 < Y; ++p)
                        reg[r][p] = reg[r][p + 1];
                    const std::int64_t at = j0 + c;
                    const bool real = line < L && at < std::int64_t(inputs[0].size());
                    reg[r][Y - 1] = {real ? inputs[line][at] : 0, true, real};
                    const std::int64_t tap = c - (Y - 1);
                    if (tap < 0)
                        continue;
                    const std::int64_t wt = line < L ? weights[line][tap] : 0;
                    for (int p = 0; p < Y; ++p) {
                        acc[r][p] += wt * reg[r][p].v;
                        const std::int64_t pos = j0 + p;
                        const bool kept = line < L && pos < positions && pos % stride == 0;
                        s.usefulMacs += kept && reg[r][p].useful ? 1 : 0;
                    }
                    lastTap = c;
                }
            }
            for (int r = 0; r < X; ++r) // write-back
                for (int p = 0; p < Y; ++p) {
                    const std::int64_t pos = j0 + p;
                    if (l0 + r < L && pos < positions && pos % stride == 0)
                        s.out[l0 + r][pos / stride] = acc[r][p];
                }
            s.cycles += lastTap + 1 + 1;
        }
    return s;
}

} // namespace codesign::testing
