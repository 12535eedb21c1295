#pragma once

#include <cstddef>
#include <vector>

namespace codesign {

// A tile on a group's reference grid (its first layer's output), in pixels.
struct TileSize {
    int rows = 16;
    int cols = 16;

    friend bool operator==(const TileSize&, const TileSize&) = default;
};

// One concrete tiled bundle accelerator (seed 000/001; docs/estimator.md).
struct TiledConfig {
    double clockMhz = 100;
    int batch = 1;
    int pwIn = 8;       // Tn: input channels per cycle of the PW (and conv/fc) unit
    int pwOut = 8;      // Tm: output channels per cycle of the PW unit; also the pool unit's lanes
    int dwParallel = 8; // channels per cycle of the DW unit (0 when the network has no DW op)
    int tileRows = 16;  // output tile of the compute units, pixels
    int tileCols = 16;
    bool doubleBuffer = true;
    int channelBlock = 0; // input channels per block through the PW unit; 0: whole tensor
    // Per execution group, the tile it runs on; empty: every group uses tileRows x tileCols.
    // Auto sizing fills it when a group fits a larger tile into the buffers the design's
    // tile sizes (docs/estimator.md, "Auto sizing").
    std::vector<TileSize> groupTiles;

    TileSize tile() const { return {tileRows, tileCols}; }
    TileSize tileFor(std::size_t group) const {
        return group < groupTiles.size() ? groupTiles[group] : tile();
    }
    bool hasOwnTile(std::size_t group) const { return tileFor(group) != tile(); }

    friend bool operator==(const TiledConfig&, const TiledConfig&) = default;
};

} // namespace codesign
