#pragma once

// Our structural LUT / FF model of the streaming hardware (not fpgaConvNet's: its LUT and FF
// come from regressions fitted to its authors' synthesis runs, shipped as binary coefficient
// files). Each module is counted from the logic it needs, with the primitive costs of the
// 7-series / UltraScale CLB (UG474, UG574): a LUT6 per adder bit on the carry chain, a LUT6 as
// a 4:1 multiplexer, distributed RAM as RAM32M (32 x 6 bits, 4 LUTs) or RAM64M (64 x 3 bits,
// 4 LUTs), one flip-flop per registered bit. docs/estimator.md, "Streaming: LUT and FF".
#include "streaming_layer_model.h"

#include <cstdint>

namespace codesign {

// One on-chip array of a layer, and the BRAM18 fpgaConvNet gives it (none: it is in LUTRAM or
// registers, which the LUT model then counts).
struct LayerMemory {
    std::int64_t depth = 0;
    std::int64_t width = 0;
    std::int64_t bram18 = 0;
};

// A layer's arrays (streaming_resources.cpp works them out once for BRAM and LUT).
struct LayerMemories {
    LayerMemory line;    // sliding window: line buffer
    LayerMemory window;  // sliding window: one of its kernel_rows window buffers
    LayerMemory weights; // conv, fc
    LayerMemory bias;
    LayerMemory buffer; // reorg, upsample: the rows they hold
};

struct LogicCost {
    std::int64_t lut = 0;
    std::int64_t ff = 0;
    LogicCost& operator+=(const LogicCost& o) {
        lut += o.lut;
        ff += o.ff;
        return *this;
    }
};

// Building blocks (exposed for the tests).
LogicCost adderCost(std::int64_t bits, std::int64_t count);      // registered adders
LogicCost counterCost(std::int64_t limit);                       // counts 0 .. limit-1
std::int64_t muxLuts(std::int64_t inputs, std::int64_t bits);    // one N:1 multiplexer
std::int64_t lutramLuts(std::int64_t depth, std::int64_t width); // simple dual-port memory

// LUT and FF of a layer; `portBufferDepth` as for layerResources.
LogicCost layerLogic(const HwLayer& layer, const LayerShape& shape, const LayerFolding& folding,
                     const LayerMemories& memories, const std::int64_t* portBufferDepth);

LogicCost squeezeLogic(int dataBits, int streamsIn, int streamsOut);

} // namespace codesign
