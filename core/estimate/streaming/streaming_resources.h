#pragma once

// Resources of one streaming hardware layer. DSP and BRAM18 are fpgaConvNet's own rules
// (fpgaconvnet-model: tools/resource_analytical_model.py and the layers' resource());
// LUT and FF come from our structural model (streaming_logic.cpp). docs/estimator.md,
// "Streaming: resources".
#include "streaming_layer_model.h"

#include <cstdint>

namespace codesign {

struct LayerResources {
    double dsp = 0; // fpgaConvNet's count: an fc layer with packed DSPs may hold a half
    std::int64_t bram18 = 0;
    std::int64_t lut = 0;
    std::int64_t ff = 0;
};

// fpgaConvNet's bram_array_resource_model: BRAM18 of one array of `depth` words of `width`
// bits. Widths 1, 2, 4, 9, 18, 36 with depths 16384 ... 512; the narrowest configuration at
// least min(width, 36) wide; ceil(width / w) * ceil(depth / d). None for an empty array, for
// a memory of fewer than 1024 bits, or a FIFO of at most 1024 bits or at most 32 words.
std::int64_t fpgaconvnetBram18(std::int64_t depth, std::int64_t width, bool fifo);

// fpgaConvNet's dsp_multiplier_resource_model: ceil(a / 18) * ceil(b / 27) slices.
int fpgaconvnetDspPerMultiplier(int dataBits, int otherBits);

// Multipliers share slices when both operands are narrow: 0.25 at <= 4 bits, 0.5 at <= 8.
double fpgaconvnetDspPacking(int dataBits, int weightBits);

// The depth of a FIFO in front of each input port of an add or concat layer (2 words unless
// the partition's paths say more; streaming_partition.cpp works them out).
LayerResources layerResources(const HwLayer& layer, const LayerShape& shape,
                              const LayerFolding& folding, const std::int64_t* portBufferDepth);

LayerResources squeezeResources(int dataBits, int streamsIn, int streamsOut);

} // namespace codesign
