#include "calibration_coefficients.h"

#include <array>
#include <cmath>
#include <type_traits>

namespace codesign {
namespace {

// Get and set one field of one section of a Device (integers round).
template <auto Section, auto Field> double getField(const Device& d) {
    return double((d.*Section).*Field);
}
template <auto Section, auto Field> void setField(Device& d, double v) {
    auto& field = (d.*Section).*Field;
    using T = std::remove_reference_t<decltype(field)>;
    if constexpr (std::is_integral_v<T>)
        field = T(std::llround(v));
    else
        field = T(v);
}

// A field of the DDR controller's efficiencies (memory.ddr_efficiency, by access pattern).
template <auto Field> double getDdr(const Device& d) {
    return d.memory.efficiency.*Field;
}
template <auto Field> void setDdr(Device& d, double v) {
    d.memory.efficiency.*Field = v;
}
#define CS_DDR(field) &getDdr<&DdrEfficiency::field>, &setDdr<&DdrEfficiency::field>

#define CS_FIELD(section, field)                                                                   \
    &getField<&Device::section, &std::remove_reference_t<decltype(Device::section)>::field>,       \
        &setField<&Device::section, &std::remove_reference_t<decltype(Device::section)>::field>

using M = CalibrationModel;

// Terms the table names but the fit keeps: their features are too nearly combinations of
// the others' over any set of designs of the exported family on one device (calibrating
// them from the 30 generated designs at 1 % noise gave standard errors of 10-350 %).
constexpr std::string_view kControl =
    "the features of the control terms (loops, call sites, descriptor bits) move together "
    "with the units present and the number of groups, so they are kept at the library's "
    "values and the intercept takes their error";
constexpr std::string_view kRegisterWord =
    "the elements of the register arrays grow with the multiplexer inputs that pick "
    "from them (both Tn x Tm), so this term is kept and lut_per_mux_input takes its error";
constexpr std::string_view kOperandBit =
    "a multiplier's operand bits (w + a) and its adder-tree bits (acc, w + a and the "
    "tree's growth) rise together, so this term is kept and ff_per_adder_bit takes its "
    "error";
constexpr std::string_view kRandom =
    "the DDR-bound groups' share of bursts that open a new run varies too little between "
    "designs to tell it from mixed_sequential, so it is kept at the library's value";

// Today's models: LUT and FF (tiled_logic.cpp, axi_logic.cpp), power (power_model.cpp),
// timing (tiled_estimator.cpp, memory_model.cpp). The LUT and FF rows are the structural
// coefficients whose features vary from design to design; the base terms are the intercept.
// The AXI shell's terms are features every design on a device shares (three masters of the
// port's width, one control slave, the interconnects, the reset): the per-master rows stand
// for them and are named as not separable from the base; the rest of the shell is not in
// the table and keeps the library's values. Not fitted either: power.activity (it scales
// every logic term, so it cannot be told apart from them), the efficiencies of the
// patterns a double-buffered design does not use (reads or writes alone), and the memory
// system's hardware facts (peak rate, port width and count), which come from the board's
// documents.
const std::array<CalibrationCoefficient, 27> kCoefficients{{
    {"LUT base", "logic.lut_base", "1 per design (the intercept)", "LUT", M::Lut,
     CS_FIELD(logic, lutBase), false, 0, 1e7},
    {"LUT per AXI master", "logic.lut_per_axi_master", "m_axi masters", "LUT per master", M::Lut,
     CS_FIELD(logic, lutPerAxiMaster), false, 0, 1e6},
    {"LUT per adder bit", "logic.lut_per_adder_bit", "adder-tree, output-stage and pool bits",
     "LUT per bit", M::Lut, CS_FIELD(logic, lutPerAdderBit), false, 0, 100},
    {"LUT per mux input", "logic.lut_per_mux_input",
     "multiplexer data inputs x bits (operands, window taps, bank rotation)", "LUT per input bit",
     M::Lut, CS_FIELD(logic, lutPerMuxInput), false, 0, 100},
    {"LUT per register word", "logic.lut_per_register_word",
     "elements of arrays partitioned into registers", "LUT per element", M::Lut,
     CS_FIELD(logic, lutPerRegisterWord), false, 0, 100, 0, kRegisterWord},
    {"LUT per packed pair", "logic.lut_per_packed_pair", "DSP slices holding two products",
     "LUT per pair", M::Lut, CS_FIELD(logic, lutPerPackedPair), false, 0, 1e4},
    {"LUT per loop", "logic.lut_per_loop", "loops of the units, moves and groups", "LUT per loop",
     M::Lut, CS_FIELD(logic, lutPerLoop), false, 0, 1e4, 0, kControl},
    {"LUT per call", "logic.lut_per_call", "call sites (unit calls, loads, stores, tile loops)",
     "LUT per call", M::Lut, CS_FIELD(logic, lutPerCall), false, 0, 1e4, 0, kControl},
    {"LUT per descriptor bit", "logic.lut_per_descriptor_bit",
     "bits of the units' layer descriptors", "LUT per bit", M::Lut,
     CS_FIELD(logic, lutPerDescriptorBit), false, 0, 100, 0, kControl},
    {"FF base", "logic.ff_base", "1 per design (the intercept)", "FF", M::Ff,
     CS_FIELD(logic, ffBase), false, 0, 1e7},
    {"FF per AXI master", "logic.ff_per_axi_master", "m_axi masters", "FF per master", M::Ff,
     CS_FIELD(logic, ffPerAxiMaster), false, 0, 1e6},
    {"FF per adder bit", "logic.ff_per_adder_bit", "registered adder-tree and output-stage bits",
     "FF per bit", M::Ff, CS_FIELD(logic, ffPerAdderBit), false, 0, 100},
    {"FF per operand bit", "logic.ff_per_operand_bit", "multiplier operand register bits",
     "FF per bit", M::Ff, CS_FIELD(logic, ffPerOperandBit), false, 0, 100, 0, kOperandBit},
    {"FF per loop", "logic.ff_per_loop", "loops of the units, moves and groups", "FF per loop",
     M::Ff, CS_FIELD(logic, ffPerLoop), false, 0, 1e4, 0, kControl},
    {"FF per call", "logic.ff_per_call", "call sites (unit calls, loads, stores, tile loops)",
     "FF per call", M::Ff, CS_FIELD(logic, ffPerCall), false, 0, 1e4, 0, kControl},
    {"FF per descriptor bit", "logic.ff_per_descriptor_bit", "bits of the units' layer descriptors",
     "FF per bit", M::Ff, CS_FIELD(logic, ffPerDescriptorBit), false, 0, 100, 0, kControl},
    {"board static", "power.board_static_w", "1 per design (board with the processor idle)", "W",
     M::Power, CS_FIELD(power, boardStaticW), false, 0, 1000},
    {"PL static", "power.pl_static_w", "1 per design (device static)", "W", M::Power,
     CS_FIELD(power, plStaticW), false, 0, 1000},
    {"DSP dynamic", "power.dsp_mw_per_mhz", "DSP slices x MHz x activity", "mW per DSP per MHz",
     M::Power, CS_FIELD(power, dspMwPerMhz), false, 0, 10},
    {"BRAM18 dynamic", "power.bram18_mw_per_mhz", "BRAM18 x MHz x activity",
     "mW per BRAM18 per MHz", M::Power, CS_FIELD(power, bram18MwPerMhz), false, 0, 10},
    {"LUT dynamic", "power.lut_uw_per_mhz", "LUTs x MHz x activity", "uW per LUT per MHz", M::Power,
     CS_FIELD(power, lutUwPerMhz), false, 0, 10},
    {"FF dynamic", "power.ff_uw_per_mhz", "FFs x MHz x activity", "uW per FF per MHz", M::Power,
     CS_FIELD(power, ffUwPerMhz), false, 0, 10},
    {"DDR energy", "power.ddr_nj_per_byte", "DDR bytes per second", "nJ per byte", M::Power,
     CS_FIELD(power, ddrNjPerByte), false, 0, 1000},
    {"DDR efficiency, mixed sequential", "memory.ddr_efficiency.mixed_sequential",
     "DDR bytes at the peak rate of the bursts that continue a run, reads and writes "
     "interleaved, in groups the DDR bounds",
     "fraction of the peak", M::Timing, CS_DDR(mixedSequential), true, 0.01, 1.0},
    {"DDR efficiency, mixed random", "memory.ddr_efficiency.mixed_random",
     "DDR bytes at the peak rate of the bursts that open a run (a tile row's first), "
     "reads and writes interleaved, in groups the DDR bounds",
     "fraction of the peak", M::Timing, CS_DDR(mixedRandom), true, 0.01, 1.0, 0, kRandom},
    {"read latency", "memory.read_latency_ns", "read bursts whose first-beat latency is exposed",
     "ns", M::Timing, CS_FIELD(memory, readLatencyNs), false, 0, 1e6, 10},
    {"write latency", "memory.write_latency_ns", "write bursts whose response latency is exposed",
     "ns", M::Timing, CS_FIELD(memory, writeLatencyNs), false, 0, 1e6, 10},
}};

#undef CS_FIELD
#undef CS_DDR

} // namespace

std::span<const CalibrationCoefficient> calibrationCoefficients() {
    return kCoefficients;
}

const CalibrationCoefficient* findCalibrationCoefficient(std::string_view key) {
    for (const CalibrationCoefficient& c : kCoefficients)
        if (c.key == key)
            return &c;
    return nullptr;
}

std::string_view modelName(CalibrationModel model) {
    switch (model) {
    case CalibrationModel::Lut:
        return "LUT";
    case CalibrationModel::Ff:
        return "FF";
    case CalibrationModel::Power:
        return "power";
    case CalibrationModel::Timing:
        return "timing";
    }
    return "?";
}

} // namespace codesign
