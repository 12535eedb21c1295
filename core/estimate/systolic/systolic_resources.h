#pragma once

// DSP, BRAM18, LUT and FF of a systolic array on an FPGA (docs/estimator.md, "Systolic
// arrays: resources"): R x C multipliers by the device's packing rule, the three SRAMs in
// BRAM18 by the packing rule with one bank per array port, and a structural LUT/FF model.
#include "../../hw/device.h"
#include "../../hw/resources.h"
#include "../../model/systolic_spec.h"

#include <cstdint>

namespace codesign {

// The array's m_axi masters: ifmap, filter and ofmap DMA.
constexpr int kSystolicAxiMasters = 3;

// The formats the array computes in (the widest of the network's layers).
struct ArrayFormats {
    int weightBits = 8;
    int activationBits = 8;
    int accumulatorBits = 32;
};

// One SRAM as built: `banks` memories of `width`-bit words.
struct SramLayout {
    std::int64_t banks = 1;
    std::int64_t width = 8;
    std::int64_t depth = 0;
    std::int64_t bram18 = 0;
    std::int64_t lutramBits = 0;
};

struct SystolicResources {
    Resources total;
    std::int64_t multipliers = 0;
    bool packed = false; // two products per DSP slice
    SramLayout ifmap;
    SramLayout filter;
    SramLayout ofmap;
    std::int64_t bramAxiFifos = 0; // the m_axi masters' data FIFOs
    std::int64_t lutArray = 0;     // PEs: muxes, packed-pair correction
    std::int64_t lutSkew = 0;      // the skew and de-skew delay lines (SRL32)
    std::int64_t lutVector = 0;
    std::int64_t lutControl = 0; // control loops, AXI shell, LUTRAM
    std::int64_t ffArray = 0;
    std::int64_t ffVector = 0;
    std::int64_t ffControl = 0;
};

SystolicResources systolicResources(const SystolicSpec& spec, const Device& device,
                                    const ArrayFormats& formats);

} // namespace codesign
