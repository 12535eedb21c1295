#pragma once

// The systolic array family's keys of `accelerator:` (`arch: systolic`; docs/project-format.md),
// as plain data. The keys every family shares (auto, clock_mhz, batch, resource_cap) are in
// AcceleratorSpec; what the engine does with these is core/estimate/systolic/.
#include <string_view>

namespace codesign {

// Which operand stays in the processing elements (SCALE-Sim's three dataflows).
enum class Dataflow { Os, Ws, Is };

// How a fold's cycles are counted (docs/estimator.md, "Systolic arrays").
enum class CycleConvention {
    Paper,     // SCALE-Sim paper: folds x (2R + C + T - 2) for every dataflow
    ScaleSimV2 // scale-sim-v2's code: - 1 per GEMM; OS without the R-cycle drain
};

std::string_view dataflowName(Dataflow d);          // "os", "ws", "is"
std::string_view conventionName(CycleConvention c); // "paper", "scalesim_v2"

// On-chip buffers, KB each (the whole buffer; half is the active half of the double buffer).
struct SramKb {
    int ifmap = 64;
    int filter = 64;
    int ofmap = 64;
    friend bool operator==(const SramKb&, const SramKb&) = default;
};

// An R x C array of MACs with its SRAMs and DRAM interface. Auto sizing chooses rows, cols,
// dataflow and sram_kb; fuse_rows, convention and the DRAM bandwidth are the user's.
struct SystolicSpec {
    int rows = 32;
    int cols = 32;
    Dataflow dataflow = Dataflow::Ws;
    bool fuseRows = false; // FuSeConv's ST-OS row mapping for 1xK / Kx1 depthwise
    SramKb sramKb;
    double dramBytesPerCycle = 0; // 0: the device's DDR bandwidth at the clock
    CycleConvention convention = CycleConvention::Paper;

    friend bool operator==(const SystolicSpec&, const SystolicSpec&) = default;
};

} // namespace codesign
