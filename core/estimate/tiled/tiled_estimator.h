#pragma once

#include "../estimate.h"
#include "tiled_model.h"

namespace codesign {

// Cycle, resource and power estimate of one configuration of the tiled bundle
// accelerator (docs/estimator.md). With detailed = false only the totals are filled,
// which is what the auto sizing and the search use.
Estimate estimateTiled(const TiledModel& model, const TiledConfig& config, bool detailed = true);

// The same, writing into an existing Estimate so that repeated calls do not allocate.
// With a memo, the need regions come from it (auto sizing times many tiles).
class HaloMemo;
void estimateTiledInto(const TiledModel& model, const TiledConfig& config, bool detailed,
                       Estimate& out, HaloMemo* memo = nullptr);

struct TiledResources;
// The same with the configuration's resources already computed (the auto sizing has them).
void estimateTiledInto(const TiledModel& model, const TiledConfig& config,
                       const TiledResources& resources, bool detailed, Estimate& out,
                       HaloMemo* memo = nullptr);

// One group's cycles per image on the tile `tile` (the rest of the configuration as
// given): what auto sizing compares when it gives a group a tile of its own.
std::int64_t tiledGroupCycles(const TiledModel& model, const TiledConfig& config, std::size_t group,
                              TileSize tile, HaloMemo* memo = nullptr);

} // namespace codesign
