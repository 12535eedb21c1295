#pragma once

// What the tiled bundle accelerator's estimate says beyond the architecture-neutral totals
// (core/estimate/estimate.h): the design, and per layer and group where the time goes.
#include "logic_breakdown.h"
#include "storage_formats.h"
#include "tiled_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign {

// Which hardware unit of the tiled accelerator runs a layer.
enum class Unit {
    Pw,    // conv, pwconv, fc: Tn x Tm multiplier array
    Dw,    // dwconv, fuse: dw_parallel lanes of a K x K window
    Pool,  // maxpool, avgpool, global_avgpool, add: Tm lanes, no multipliers
    Fused, // relu, relu6, bn: folded into the producer's output stage
    Store, // concat, reorg, upsample: address remapping on the way to memory
    Host,  // bbox_head: decoded on the processor
};
const char* unitName(Unit unit);

struct TiledLayer {
    Unit unit = Unit::Fused;
    std::int64_t computeCycles = 0; // multiplier / comparator cycles only (per batch)
    std::int64_t weightCycles = 0;  // streaming its weights in, over all tiles
};

// One bundle instance (or single layer) executed tile by tile.
struct GroupEstimate {
    int group = 0;
    int tiles = 0;
    int tileRows = 0; // the tile it runs on, on its reference grid
    int tileCols = 0;
    std::int64_t cycles = 0;        // with memory, as executed (per batch)
    std::int64_t computeCycles = 0; // compute units only, no memory
    std::int64_t loadCycles = 0;    // feature-map input per tile x tiles
    std::int64_t storeCycles = 0;
    std::int64_t ddrBytes = 0; // per batch
    int channelBlock = 0;      // channel blocking: channels per input block; 0: whole tensors
    int channelBlocks = 0;     // input blocks (nb) when blocked
    std::string limitedBy;     // the stage that sets the tile time
};

struct TiledDetail {
    TiledConfig config;
    int designsTried = 0;           // auto sizing: configurations timed (0: fixed design)
    std::vector<TiledLayer> layers; // per node; detailed estimates only
    std::vector<GroupEstimate> groups;
    // The storage formats every layer shares and the layers that widened them (detailed
    // estimates only).
    EffectiveFormats formats;
    // Where the LUT, FF and BRAM18 go (detailed estimates only).
    LogicBreakdown logic;
    std::int64_t bramTileMemory = 0, bramPsum = 0, bramLineBuffers = 0, bramAxiFifos = 0;
};

} // namespace codesign
