#pragma once

#include <string_view>

namespace YAML {
class Emitter;
}

namespace codesign {

class YamlFields;

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

// The systolic accelerator as written under `accelerator:` with `arch: systolic`
// (docs/project-format.md). Zero clock or DRAM bandwidth means "from the device".
struct SystolicSpec {
    int rows = 32;
    int cols = 32;
    Dataflow dataflow = Dataflow::Ws;
    bool fuseRows = false; // FuSeConv's ST-OS row mapping for 1xK / Kx1 depthwise
    SramKb sramKb;
    double dramBytesPerCycle = 0; // 0: the device's DDR bandwidth at the clock
    CycleConvention convention = CycleConvention::Paper;
    bool autoSize = false; // choose rows, cols, dataflow and SRAM sizes for the device
    double clockMhz = 0;   // 0: the device's default clock
    int batch = 1;

    friend bool operator==(const SystolicSpec&, const SystolicSpec&) = default;
};

// Reads the systolic keys of an `accelerator:` map. The caller has read (or will read)
// `arch` and any keys common to every family, and calls rejectUnknownKeys() afterwards.
// Errors throw YamlError with file:line:column (core/util/yaml_fields.h).
// `auto` defaults to true when neither rows nor cols is written, else to false.
SystolicSpec readSystolicSpec(YamlFields& accelerator);

// Writes the systolic keys (not `arch`, no BeginMap/EndMap: the caller owns the map) so that
// readSystolicSpec reads the same spec back.
void writeSystolicSpec(YAML::Emitter& out, const SystolicSpec& spec);

} // namespace codesign
