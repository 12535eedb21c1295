#pragma once

#include "../../hw/resources.h"
#include "tiled_logic.h"
#include "tiled_model.h"

#include <vector>

namespace codesign {

struct TiledResources {
    Resources total;
    std::int64_t dspPw = 0;
    std::int64_t dspDw = 0;
    std::int64_t bramInput = 0; // the tile memories: every tensor of a group, with halos
    std::int64_t bramPsum = 0;
    std::int64_t bramLine = 0;          // the DW unit's line buffers
    std::int64_t bramAxi = 0;           // the m_axi masters' data FIFOs
    LogicBreakdown logic;               // LUT and FF by kind of structure
    std::int64_t tileDepth = 0;         // words per bank of one tile memory (export: CS_TDEPTH)
    std::int64_t psumDepth = 0;         // partial sums per bank (CS_PSUM_DEPTH)
    std::int64_t lineCols = 0;          // DW line buffer columns (CS_LINE_COLS)
    std::vector<std::int64_t> nodeBram; // a layer's share of the tile memory (detailed only)
};

// What one group needs of the buffers on a tile: tile-memory words per bank, PW partial
// sums per bank, DW line-buffer columns. The design's buffers are the largest over groups.
struct GroupBuffers {
    std::int64_t tileDepth = 0;
    std::int64_t psumDepth = 1;
    std::int64_t lineCols = 1;
};
// With a memo, the need regions come from it (auto sizing asks for many tiles).
class HaloMemo;
GroupBuffers tiledGroupBuffers(const TiledModel& model, const TiledConfig& config,
                               std::size_t group, TileSize tile, std::int64_t* nodeWords = nullptr,
                               HaloMemo* memo = nullptr);

// DSP, BRAM18, LUT and FF of a configuration (docs/estimator.md, "Resources").
TiledResources tiledResources(const TiledModel& model, const TiledConfig& config,
                              bool perNode = false, HaloMemo* memo = nullptr);

} // namespace codesign
