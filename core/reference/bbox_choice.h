#pragma once

// bbox_head's choice of the (row, column, anchor) whose box it decodes (docs/export.md,
// "bbox_head"): the most confident; when several share the top confidence, the tied entry
// nearest the centroid of all tied entries, first in (row, column, anchor) order among
// equally near ones. Why not simply the first tied: at A8 (fixed<8,4>) hundreds of cells
// of a detector's map tie at the top, and the first is the top-left corner of the object's
// plateau (docs/training.md, "Breaking ties at the centroid").
//
// Exact in integers, as the exported testbench (cs_host.h) and the PYNQ driver compute it:
// with n tied entries and sums R, C of their rows and columns, an entry's distance is
// (n*row - R)^2 + (n*col - C)^2 (the squared distance to the centroid times n^2), held in
// 128 bits. One header for the reference and the trainer's metric, so they cannot differ.
#include <cstdint>

namespace codesign::reference {

struct BoxCell {
    int row = 0;
    int col = 0;
    int anchor = 0;
};

// conf(row, col, anchor) returns a confidence; values are compared with > and == only
// (raw integers in the reference, exact doubles in the trainer).
template <class Conf> BoxCell chooseBoxCell(int rows, int cols, int anchors, const Conf& conf) {
    __extension__ using Wide = __int128;
    // Pass 1: the top confidence, how many entries share it and the sums of their positions.
    auto top = conf(0, 0, 0);
    BoxCell first;
    std::int64_t count = 0, sumRow = 0, sumCol = 0;
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            for (int a = 0; a < anchors; ++a) {
                const auto v = conf(y, x, a);
                if (v > top) {
                    top = v;
                    first = {y, x, a};
                    count = sumRow = sumCol = 0;
                }
                if (v == top) {
                    ++count;
                    sumRow += y;
                    sumCol += x;
                }
            }
    if (count <= 1)
        return first;
    // Pass 2 (only on a tie): the tied entry nearest the centroid, first on equal distance.
    BoxCell best = first;
    Wide bestDistance = -1;
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            for (int a = 0; a < anchors; ++a) {
                if (!(conf(y, x, a) == top))
                    continue;
                const Wide dy = Wide(count) * y - sumRow;
                const Wide dx = Wide(count) * x - sumCol;
                const Wide distance = dy * dy + dx * dx;
                if (bestDistance < 0 || distance < bestDistance) {
                    bestDistance = distance;
                    best = {y, x, a};
                }
            }
    return best;
}

} // namespace codesign::reference
