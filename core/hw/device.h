#pragma once

#include <string>
#include <vector>

namespace codesign {

// How a multiplier of given operand widths maps onto the device's DSP slices.
// See docs/estimator.md, "DSP packing", for the rule and its sources.
struct DspRule {
    std::string type = "DSP48E1";
    int portA = 25; // width of the wide multiplier port (A, or A:D with the pre-adder)
    int portB = 18; // width of the narrow port
    // Two products that share one weight pack into one slice when
    // 2 * activation_bits + weight_bits <= packTwoMax (0 disables packing).
    int packTwoMax = 0;
};

// Block RAM organisation; widths and depths of the BRAM18 aspect ratios are fixed by the
// architecture (UG473 / UG573), what differs per family is the depth padding.
struct BramRule {
    bool pow2Depth = true;    // 7-series tools pad an array's depth to a power of two
    int lutramMaxBits = 1024; // memories up to this size go to LUTRAM, not BRAM
};

// Off-chip memory path seen from the accelerator.
struct MemorySystem {
    double ddrPeakGBps = 2.1;    // bus width x transfer rate of the board's DDR
    double ddrEfficiency = 0.75; // sustained fraction of the peak (UG585 ch. 22: ~75 % max)
    int axiPortBits = 64;        // data width of one PL-to-DDR port (HP port)
    int axiPorts = 4;            // HP ports available to the PL
    int axiLatencyCycles = 40;   // first-beat latency of a burst, in accelerator cycles
};

// Power model coefficients (docs/estimator.md, "Power").
struct PowerCoefficients {
    double boardStaticW = 1.5;   // board idle with the processor running, PL unconfigured
    double plStaticW = 0.1;      // device static power with a configured PL
    double dspMwPerMhz = 0.0045; // dynamic power per DSP slice per MHz at the reference activity
    double bram18MwPerMhz = 0.0075;
    double lutUwPerMhz = 0.025; // per LUT in use, microwatt per MHz
    double ffUwPerMhz = 0.008;
    double ddrNjPerByte = 0.35; // energy per byte moved to or from DDR
    double activity = 1.0;      // scales the logic terms (1 = the reference toggle rate)
};

// Linear models of LUT and FF use (docs/estimator.md, "LUT and FF").
struct LogicCoefficients {
    double lutBase = 4000; // control, AXI-Lite, address generation
    double ffBase = 5000;
    double lutPerAxiPort = 1200; // one m_axi master with its burst logic and FIFOs
    double ffPerAxiPort = 1800;
    double lutPerAdderBit = 1.0;  // ripple-carry adder: one LUT6 per bit (UG474 CARRY4)
    double ffPerAdderBit = 1.0;   // each adder-tree stage is registered
    double lutPerMuxBit = 0.5;    // bank select / window muxing per bit
    double ffPerOperandBit = 1.0; // operand registers in front of each multiplier
    double lutPerPackedPair = 30; // sign-correction logic of a packed DSP pair
};

struct Device {
    std::string name;   // library key, e.g. "pynq-z1"
    std::string board;  // human name
    std::string part;   // e.g. "xc7z020clg400-1"
    std::string family; // "zynq7000" or "zynqmp"
    // The board in Vivado's board catalog, as a get_board_parts pattern such as
    // "*:pynq-z1:part0:*" (the export's block design takes its presets); empty: none.
    std::string boardPart;
    std::vector<std::string> aliases;
    int dsp = 0;
    int bram18 = 0;
    int uram = 0;
    int lut = 0;
    int ff = 0;
    double defaultClockMhz = 100;
    DspRule dspRule;
    BramRule bramRule;
    MemorySystem memory;
    PowerCoefficients power;
    LogicCoefficients logic;
    // The overlay files applied over the device's own file, in order (device_overlay.h).
    std::vector<std::string> overlayFiles;

    bool isZynqMp() const { return family == "zynqmp"; }
};

} // namespace codesign
