#pragma once

// An energy reference table in Accelergy's style (Wu, Emer, Sze, ICCAD 2019): the energy of
// one action of each component, times how often the dataflow performs it. The entries come
// from the device file, read per action (docs/estimator.md, "Systolic arrays: power"):
//   MAC:  dsp_mw_per_mhz is nJ per slice-cycle, i.e. pJ x 1000; a packed pair shares a slice;
//   SRAM: bram18_mw_per_mhz likewise, per BRAM18 port access (a word of <= 36 bits);
//   DRAM: ddr_nj_per_byte.
#include "../../hw/device.h"
#include "../../hw/resources.h"
#include "systolic_resources.h"

#include <cstdint>

namespace codesign {

struct EnergyTable {
    double macPj = 0;        // one multiply-accumulate
    double sramAccessPj = 0; // one BRAM18 port access
    double dramBytePj = 0;   // one byte to or from DRAM
};

EnergyTable energyTableFor(const Device& device, const ArrayFormats& formats);

// What the dataflow did, per batch.
struct ActionCounts {
    std::int64_t macs = 0;
    std::int64_t ifmapAccesses = 0; // words
    std::int64_t filterAccesses = 0;
    std::int64_t ofmapAccesses = 0; // writes and partial-sum reads
    double dramBytes = 0;
};

struct EnergyBreakdown {
    double macMj = 0;
    double sramMj = 0;
    double dramMj = 0;
    double totalMj() const { return macMj + sramMj + dramMj; }
};

// `ofmapWidth`: bits of an ofmap word (the accumulator for WS and IS, the activation for OS).
EnergyBreakdown actionEnergy(const EnergyTable& table, const ActionCounts& counts,
                             const ArrayFormats& formats, int ofmapWidth);

// Board power: the project's model (core/hw/power_model.h) for the static and the logic
// (LUT, FF) terms, and the table's energies over `seconds` for the DSP, BRAM and DDR terms.
PowerBreakdown systolicPower(const Device& device, const Resources& used, double clockMhz,
                             const EnergyBreakdown& energy, double seconds);

} // namespace codesign
