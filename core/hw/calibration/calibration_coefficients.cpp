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

#define CS_FIELD(section, field)                                                                   \
    &getField<&Device::section, &std::remove_reference_t<decltype(Device::section)>::field>,       \
        &setField<&Device::section, &std::remove_reference_t<decltype(Device::section)>::field>

using M = CalibrationModel;

// Today's models: LUT and FF (tiled_resources.cpp), power (power_model.cpp), timing
// (tiled_estimator.cpp). Not fitted: power.activity (it scales every logic term, so it
// cannot be told apart from them) and the memory system's hardware facts (peak rate, port
// width and count), which come from the board's documents.
const std::array<CalibrationCoefficient, 18> kCoefficients{{
    {"LUT base", "logic.lut_base", "1 per design (control, AXI-Lite)", "LUT", M::Lut,
     CS_FIELD(logic, lutBase), false, 0, 1e7},
    {"LUT per AXI master", "logic.lut_per_axi_port", "AXI master ports", "LUT per port", M::Lut,
     CS_FIELD(logic, lutPerAxiPort), false, 0, 1e6},
    {"LUT per adder bit", "logic.lut_per_adder_bit", "adder-tree, output-stage and pool bits",
     "LUT per bit", M::Lut, CS_FIELD(logic, lutPerAdderBit), false, 0, 100},
    {"LUT per mux bit", "logic.lut_per_mux_bit", "bank-select and window multiplexer bits",
     "LUT per bit", M::Lut, CS_FIELD(logic, lutPerMuxBit), false, 0, 100},
    {"LUT per packed pair", "logic.lut_per_packed_pair", "DSP slices holding two products",
     "LUT per pair", M::Lut, CS_FIELD(logic, lutPerPackedPair), false, 0, 1e4},
    {"FF base", "logic.ff_base", "1 per design (control, AXI-Lite)", "FF", M::Ff,
     CS_FIELD(logic, ffBase), false, 0, 1e7},
    {"FF per AXI master", "logic.ff_per_axi_port", "AXI master ports", "FF per port", M::Ff,
     CS_FIELD(logic, ffPerAxiPort), false, 0, 1e6},
    {"FF per adder bit", "logic.ff_per_adder_bit", "registered adder-tree and pool bits",
     "FF per bit", M::Ff, CS_FIELD(logic, ffPerAdderBit), false, 0, 100},
    {"FF per operand bit", "logic.ff_per_operand_bit",
     "multiplier operand and window register bits", "FF per bit", M::Ff,
     CS_FIELD(logic, ffPerOperandBit), false, 0, 100},
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
    {"DDR efficiency", "memory.ddr_efficiency",
     "DDR bytes at the peak rate, in groups the DDR bounds", "fraction of the peak", M::Timing,
     CS_FIELD(memory, ddrEfficiency), true, 0.01, 1.0},
    {"AXI latency", "memory.axi_latency_cycles",
     "bursts and fetches whose first-beat latency is exposed", "cycles", M::Timing,
     CS_FIELD(memory, axiLatencyCycles), false, 0, 100'000},
}};

#undef CS_FIELD

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
