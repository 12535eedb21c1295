#pragma once

// Cycle count of the exported HLS design, by walking the loops it executes: per group, per
// tile, each unit call over its real need region, each channel block, each weight block and
// each pipelined loop at its initiation interval (docs/estimator.md, "Cycles"). It is a
// structural count from the plan and the templates' loop nests, not vendor-tool output: the
// pipeline depths and IIs are the rules documented there, not a synthesis report.
#include "export_plan.h"

#include <cstdint>
#include <vector>

namespace codesign::hls {

struct ExportGroupCycles {
    int group = 0;
    int tiles = 0;
    std::int64_t cycles = 0;  // as executed, loads overlapped when double-buffered
    std::int64_t load = 0;    // sums over the tiles
    std::int64_t compute = 0; // unit pipelines, without their weight/bias reads
    std::int64_t weights = 0; // weight blocks, biases, folded bn parameters
    std::int64_t store = 0;
};

struct ExportCycles {
    std::int64_t total = 0; // one image
    std::vector<ExportGroupCycles> groups;
};

ExportCycles exportCycles(const HlsPlan& plan, const Graph& graph);

} // namespace codesign::hls
