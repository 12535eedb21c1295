#pragma once

// The memory system at one accelerator clock (docs/estimator.md, "Memory system"): what a
// burst costs the loop that issues it, how fast one port streams, and how fast the DDR
// controller drains a stream by its access pattern. Built once per estimate from the
// device's MemorySystem; the estimator and the loop walk (hls_export/export_cycles.cpp)
// share it.
#include "device.h"

#include <cstdint>

namespace codesign {

// The exported design's m_axi masters (hls_export/hls_source_writer.cpp): bursts of at most
// 16 beats, the longest the PS's HP ports pass on (AXI3 on Zynq-7000; UG1085 ch. 35: "AXI4
// access in the PL is limited to a burst length of 16"), and Vitis HLS's default of 16
// outstanding requests per direction (UG1399, "Controlling AXI4 Burst Behavior").
constexpr int kHlsMaxBurstBeats = 16;
constexpr int kHlsOutstanding = 16;

enum class DdrAccess { Read, Write };

struct MemoryTiming {
    MemoryTiming() = default;
    MemoryTiming(const MemorySystem& m, double clockMhz);

    std::int64_t readLatency = 40;  // cycles from a read burst's request to its first beat
    std::int64_t writeLatency = 40; // cycles from a write burst's last beat to its response
    double readBeat = 1;            // cycles per port word of a read stream on its own port
    double writeBeat = 1;
    int burstBeats = 16;               // the bursts the controller sees
    double peakBytesPerCycle = 21;     // the DDR's peak, per accelerator cycle
    double processorBytesPerCycle = 0; // taken by the processor meanwhile
    DdrEfficiency efficiency;

    // The controller's efficiency on a stream of which a share `randomShare` of the bursts
    // open a new address run (a tile row's first burst), the rest continuing one; `mixed`:
    // the other direction's bursts interleave with it.
    double efficiencyOf(DdrAccess access, bool mixed, double randomShare) const;
    // Accelerator cycles the DDR needs to move `bytes` at `efficiency`, what the processor
    // takes meanwhile set aside.
    double ddrCycles(double bytes, double efficiency) const;
    // Cycles of a burst loop over `beats` port words that pays `latency` once.
    std::int64_t burst(std::int64_t beats, int ii, DdrAccess access) const;
};

} // namespace codesign
