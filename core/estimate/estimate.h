#pragma once

#include "../model/graph.h"
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

struct Resources {
    std::int64_t dsp = 0;
    std::int64_t bram18 = 0;
    std::int64_t lut = 0;
    std::int64_t ff = 0;
};

struct PowerBreakdown {
    double boardStaticW = 0;
    double plStaticW = 0;
    double dspW = 0;
    double bramW = 0;
    double logicW = 0; // LUT + FF
    double ddrW = 0;
    double totalW() const { return boardStaticW + plStaticW + dspW + bramW + logicW + ddrW; }
};

struct LayerEstimate {
    int node = 0;
    Unit unit = Unit::Fused;
    std::int64_t cycles = 0;        // this layer's own stage time over all tiles (per batch)
    std::int64_t computeCycles = 0; // multiplier / comparator cycles only
    std::int64_t weightCycles = 0;  // streaming its weights in, over all tiles
    std::int64_t dsp = 0;           // DSP of the unit it runs on (shared, not additive)
    std::int64_t bram18 = 0;        // BRAM18 of its output buffer
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
    std::string limitedBy;     // the stage that sets the tile time
};

struct Estimate {
    TiledConfig config;
    Resources used;
    Resources available;
    double fps = 0;
    double latencyMs = 0;       // one batch, end to end on the accelerator
    double computeBoundFps = 0; // the same design if memory were free
    double energyPerImageMj = 0;
    std::int64_t cycles = 0; // per batch
    std::int64_t ddrBytesPerImage = 0;
    std::int64_t macs = 0; // per image
    std::int64_t params = 0;
    PowerBreakdown power;
    double powerW = 0;
    bool feasible = true;
    std::vector<std::string> violations;
    std::string bottleneck;
    std::vector<LayerEstimate> layers; // filled by detailed estimates only
    std::vector<GroupEstimate> groups;
};

} // namespace codesign
