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

// How much of the DDR's peak the PS's controller sustains, by access pattern: UG585
// ch. 22.3.2, Table 22-5 (Zynq-7000 DDRC, 4 HP masters, AXI bursts of 16 beats). Table 22-6:
// bursts of 4, 8 and 16 beats are equally efficient, so the pattern (sequential or random
// addresses, reads, writes or both) is what counts, not the burst length.
struct DdrEfficiency {
    double readSequential = 0.97;
    double readRandom = 0.92;
    double writeSequential = 0.90;
    double writeRandom = 0.87;
    double mixedSequential = 0.87; // reads and writes interleaved: bus turnarounds
    double mixedRandom = 0.79;
};

// The memory system the exported design sees (docs/estimator.md, "Memory system"): the
// PS-PL ports its three m_axi masters use, the path into the DDR controller, the DDR, and
// the processor's own traffic. Every figure is in the device file with its source.
struct MemorySystem {
    std::string ddrType = "DDR3";
    int ddrBusBits = 16;         // the PS DDR interface's width on the board
    double ddrMtps = 1050;       // transfers per second, millions
    double ddrPeakGBps = 2.1;    // bus width x transfer rate
    DdrEfficiency efficiency;    // by access pattern
    std::string portKind = "HP"; // S_AXI_HP0..3 (Zynq-7000), S_AXI_HPn_FPD (Zynq MP)
    int axiPortBits = 64;        // data width of one PL-to-DDR port
    int axiPorts = 4;            // such ports available to the PL
    int portMaxBurstBeats = 16;  // longest burst the port passes on (AXI3 / the AFI)
    int portReadAcceptance = 8;  // outstanding 16-beat reads the port's data FIFO holds
    int portWriteAcceptance = 8;
    double portGBps = 2.84;      // one port's path into the DDR controller
    double readLatencyNs = 400;  // a read burst's request to its first beat, under load
    double writeLatencyNs = 400; // a write burst's last beat to its response
    double processorGBps = 0;    // the processor's DDR traffic while the accelerator runs
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

// The LUT/FF model's coefficients (docs/estimator.md, "LUT and FF"): the cost of each kind
// of structure the exported design and its block design contain. Defaults are structural
// counts (the docs derive each); `codesign calibrate` fits them to synthesis reports.
struct LogicCoefficients {
    double lutPerAdderBit = 1.0;   // ripple-carry adder: one LUT per bit with the carry chain
    double ffPerAdderBit = 1.0;    // each adder-tree stage registered
    double ffPerOperandBit = 1.0;  // operand registers in front of each multiplier
    double lutPerPackedPair = 30;  // sign correction of a packed DSP pair
    double lutPerMuxInput = 0.25;  // per data input and bit of a multiplexer: 16:1 in 4 LUT6
    double lutPerRegisterWord = 1; // write select of one element of a register array
    double lutPerLoop = 64;        // a loop's 32-bit counter, bound compare, FSM state
    double ffPerLoop = 40;
    double lutPerCall = 24; // a call site: FSM states, start / done handshake
    double ffPerCall = 8;
    double lutPerDescriptorBit = 0.5; // a unit's layer descriptor, chosen by call site
    double ffPerDescriptorBit = 1;    // and registered at the call
    double lutPerAxiMaster = 350;     // an m_axi master (UG1399): register slices, bursts,
    double ffPerAxiMaster = 450;      // outstanding-request queue; per data bit below
    double lutPerAxiMasterBit = 1.5;
    double ffPerAxiMasterBit = 2;
    double lutAxiLite = 250; // the s_axilite control slave: ~10 registers and their read mux
    double ffAxiLite = 300;
    double lutPerPortInterconnect = 200; // the 1:1 AXI Interconnect to each HP port
    double ffPerPortInterconnect = 250;  // (PG059: an AXI4-to-AXI3 protocol converter)
    double lutControlInterconnect = 150; // the interconnect from the processor's master port
    double ffControlInterconnect = 200;  // to AXI4-Lite (PG059 protocol converter)
    double lutReset = 20;                // proc_sys_reset (PG164)
    double ffReset = 40;
    double lutBase = 0; // anything else on the fabric (the user's own logic); calibration's
    double ffBase = 0;  // intercept
};

// The processing system's work per frame around the accelerator (docs/estimator.md,
// "Host"): the cores' clock and what each step costs in processor cycles. The steps are
// those of the exported driver (resources/templates/driver/codesign_driver.py) and the
// image's decode and resize before it.
struct ProcessorModel {
    std::string core = "Cortex-A9";
    double clockMhz = 650;
    double decodeCyclesPerPixel = 50; // JPEG baseline decode, per pixel of the source image
    double resizeCyclesPerPixel = 12; // bilinear resize, per pixel of the network's input
    double packCyclesPerValue = 30;   // quantize and lay out the input (pack_input)
    double cacheCyclesPerByte = 1;    // flush / invalidate by cache line
    double postCyclesPerValue = 20;   // the host's layers (bbox_head), per value they read
    double cyclesPerAccess = 10000;   // one register access of the driver (PYNQ MMIO)
};

// Defaults of the streaming (fpgaConvNet-style) family, per board. Zero means "not given";
// core/estimate/streaming/streaming_settings.cpp says what is used then (docs/estimator.md,
// "Streaming"). Values come from fpgaConvNet's platform files
// (fpgaconvnet-optimiser examples/platforms/*.toml) where it has one for the board.
struct StreamingDefaults {
    int portWidthBits = 0;        // one off-chip port of a partition (fpgaConvNet port_width)
    double bandwidthGbps = 0;     // off-chip bandwidth, Gbit/s (fpgaConvNet memory_bandwidth)
    double reconfigurationMs = 0; // one full reconfiguration (fpgaConvNet reconfiguration_time)
    friend bool operator==(const StreamingDefaults&, const StreamingDefaults&) = default;
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
    ProcessorModel processor;
    StreamingDefaults streaming;

    bool isZynqMp() const { return family == "zynqmp"; }
};

} // namespace codesign
