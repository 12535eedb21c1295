#pragma once

// Hand-made bbox_head inputs whose top confidence is tied (docs/export.md, "bbox_head"):
// one project whose only layer is bbox_head (2 anchors on a 5 x 6 grid, fixed<8,4>), and
// maps in which each (cell, anchor) says where it is: w = (row * 6 + col) / 16 and
// h = anchor / 16, so the decoded box names the entry bbox_head chose. Shared by the
// reference's, the trainer's and the export's tests, which must all choose alike.
#include <array>
#include <string>
#include <vector>

namespace codesign::testing {

inline constexpr int kTiedRows = 5, kTiedCols = 6, kTiedAnchors = 2;

inline std::string tiedBoxProject() {
    return "name: tied\ndevice: pynq-z1\ninput: {channels: 10, height: 5, width: 6}\n"
           "precision: {weights: \"fixed<8,4>\", activations: \"fixed<8,4>\"}\n"
           "network:\n  - {op: bbox_head, anchors: 2}\n";
}

// Confidence 1 at the listed (row, col, anchor)s, 0 elsewhere; tx = ty = 0.5.
inline std::vector<double> tiedBoxMap(const std::vector<std::array<int, 3>>& tied) {
    const int plane = kTiedRows * kTiedCols;
    std::vector<double> v(std::size_t(kTiedAnchors) * 5 * plane, 0.0);
    const auto at = [&](int a, int k, int y, int x) -> double& {
        return v[std::size_t((a * 5 + k) * plane + y * kTiedCols + x)];
    };
    for (int a = 0; a < kTiedAnchors; ++a)
        for (int y = 0; y < kTiedRows; ++y)
            for (int x = 0; x < kTiedCols; ++x) {
                at(a, 0, y, x) = 0.5;
                at(a, 1, y, x) = 0.5;
                at(a, 2, y, x) = (y * kTiedCols + x) / 16.0;
                at(a, 3, y, x) = a / 16.0;
            }
    for (const auto& [y, x, a] : tied)
        at(a, 4, y, x) = 1.0;
    return v;
}

// A 3 x 3 plateau of tied cells (anchor 0): the first tied is its top-left corner (1, 2),
// the rule picks its centre (2, 3).
inline std::vector<std::array<int, 3>> tiedPlateau() {
    std::vector<std::array<int, 3>> t;
    for (int y = 1; y <= 3; ++y)
        for (int x = 2; x <= 4; ++x)
            t.push_back({y, x, 0});
    return t;
}

// Four tied entries, cell (2, 4) with both anchors: n = 4, row sum 6, column sum 12, so
// (n*row - 6)^2 + (n*col - 12)^2 is 52 at (0, 4), 148 at (2, 0) and 20 at (2, 4): the rule
// picks (2, 4) with anchor 0 (the first of its two equally near entries); the first tied
// is (0, 4, 1).
inline std::vector<std::array<int, 3>> tiedScattered() {
    return {{0, 4, 1}, {2, 0, 0}, {2, 4, 0}, {2, 4, 1}};
}

// The (row, col, anchor) a decoded box [x, y, w, h, conf] names.
inline std::array<int, 3> chosenEntry(const std::vector<double>& box) {
    const int cell = int(box[2] * 16 + 0.5);
    return {cell / kTiedCols, cell % kTiedCols, int(box[3] * 16 + 0.5)};
}

} // namespace codesign::testing
