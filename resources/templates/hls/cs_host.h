// Codesign Studio: the layers that run on the processor after the accelerator, in C++ for
// the testbench (the PYNQ driver has the same in Python). bbox_head picks the most
// confident anchor (on ties: the tied entry nearest the tied entries' centroid, first in
// row, column, anchor order among equally near ones; see choose_cell) and decodes
// x = (col + tx) / W, y = (row + ty) / H, w, h, confidence, each rounded and clipped to the
// layer's format like every other layer (docs/export.md).
#ifndef CODESIGN_CS_HOST_H
#define CODESIGN_CS_HOST_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cs_host {

__extension__ typedef __int128 wide_t;

enum { kRound = 0, kTruncate = 1, kConvergent = 2 };
enum { kSaturate = 0, kWrap = 1 };

// num / den (den > 0) as a raw value with `frac` fractional bits in `width` bits.
inline long long quantize_ratio(wide_t num, wide_t den, int width, int frac, int rounding,
                                int overflow) {
    num *= wide_t(1) << frac;
    wide_t q = num / den;
    wide_t r = num % den;
    if (r < 0) {
        q -= 1;
        r += den;
    }
    if ((rounding == kRound && 2 * r >= den) ||
        (rounding == kConvergent && (2 * r > den || (2 * r == den && (q & 1) != 0))))
        q += 1;
    if (overflow == kSaturate) {
        const wide_t hi = (wide_t(1) << (width - 1)) - 1;
        const wide_t lo = -(wide_t(1) << (width - 1));
        return static_cast<long long>(q > hi ? hi : q < lo ? lo : q);
    }
    const unsigned long long u = static_cast<unsigned long long>(q);
    if (width >= 64)
        return static_cast<long long>(u);
    const unsigned long long mask = (1ULL << width) - 1;
    const unsigned long long sign = 1ULL << (width - 1);
    return static_cast<long long>(((u & mask) ^ sign) - sign);
}

// bbox_head's choice, as the reference's (core/reference/bbox_choice.h), in integers: the
// top confidence; with n tied entries whose rows and columns sum to R and C, the tied entry
// with the least (n*row - R)^2 + (n*col - C)^2, first in row, column, anchor order.
inline void choose_cell(const std::vector<long long>& raw, int H, int W, int anchors, int* row,
                        int* col, int* anchor) {
    const auto conf = [&](int y, int x, int a) {
        return raw[(static_cast<std::size_t>(a * 5 + 4) * H + y) * W + x];
    };
    long long top = conf(0, 0, 0), count = 0, sum_row = 0, sum_col = 0;
    *row = *col = *anchor = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int a = 0; a < anchors; a++) {
                const long long v = conf(y, x, a);
                if (v > top) {
                    top = v;
                    *row = y;
                    *col = x;
                    *anchor = a;
                    count = sum_row = sum_col = 0;
                }
                if (v == top) {
                    count++;
                    sum_row += y;
                    sum_col += x;
                }
            }
    if (count <= 1)
        return;
    wide_t best = -1;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int a = 0; a < anchors; a++) {
                if (conf(y, x, a) != top)
                    continue;
                const wide_t dy = wide_t(count) * y - sum_row;
                const wide_t dx = wide_t(count) * x - sum_col;
                const wide_t d = dy * dy + dx * dx;
                if (best < 0 || d < best) {
                    best = d;
                    *row = y;
                    *col = x;
                    *anchor = a;
                }
            }
}

// raw: the input tensor (anchors * 5 channels of H x W) as raw values with frac_in
// fractional bits. out: x, y, w, h, confidence as raw values of (width, frac).
inline void bbox_decode(const std::vector<long long>& raw, int H, int W, int anchors, int frac_in,
                        int width, int frac, int rounding, int overflow, long long out[5]) {
    int by = 0, bx = 0, ba = 0;
    choose_cell(raw, H, W, anchors, &by, &bx, &ba);
    const auto at = [&](int c, int y, int x) {
        return raw[(static_cast<std::size_t>(c) * H + y) * W + x];
    };
    const wide_t one = wide_t(1) << frac_in;
    out[0] =
        quantize_ratio(bx * one + at(ba * 5, by, bx), W * one, width, frac, rounding, overflow);
    out[1] =
        quantize_ratio(by * one + at(ba * 5 + 1, by, bx), H * one, width, frac, rounding, overflow);
    for (int k = 2; k < 5; k++)
        out[k] = quantize_ratio(at(ba * 5 + k, by, bx), one, width, frac, rounding, overflow);
}

} // namespace cs_host

#endif
