#pragma once

// LUT and FF of the exported design and its block design, from their structure
// (docs/estimator.md, "LUT and FF"): the arithmetic, the partitioned register arrays, the
// banked tile memory's ports, the control, and the AXI infrastructure, each with the
// device's coefficients (LogicCoefficients).
#include "logic_breakdown.h"
#include "tiled_model.h"

#include <cstdint>

namespace codesign {

// The parts that depend on the multiplier arrays only, not on the tile: auto sizing
// tries many tiles per array and keeps them (HaloMemo::arrayLogic).
struct ArrayLogic {
    LogicPart datapath;
    LogicPart registers;
    LogicPart axi;
};
ArrayLogic tiledArrayLogic(const TiledModel& model, const TiledConfig& config);

// `tileDepth`: words per bank of the tile memory; `lutramBits`: bits of the memories the
// BRAM rule puts in LUTs; `array`: tiledArrayLogic(model, config) when already known.
LogicBreakdown tiledLogic(const TiledModel& model, const TiledConfig& config,
                          std::int64_t tileDepth, std::int64_t lutramBits,
                          const ArrayLogic* array = nullptr);

} // namespace codesign
