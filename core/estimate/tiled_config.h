#pragma once

namespace codesign {

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

    friend bool operator==(const TiledConfig&, const TiledConfig&) = default;
};

} // namespace codesign
