#pragma once

// LUT and FF of a tiled design by kind of structure (tiled_logic.h computes them; the
// report shows them, `codesign calibrate` fits the coefficients behind them).
#include <initializer_list>

namespace codesign {

struct LogicPart {
    double lut = 0;
    double ff = 0;
    LogicPart& operator+=(const LogicPart& o) {
        lut += o.lut;
        ff += o.ff;
        return *this;
    }
};

struct LogicBreakdown {
    LogicPart datapath;    // adder trees, accumulators, output stages, operand registers
    LogicPart registers;   // partitioned register arrays: weight blocks, parameters, window
    LogicPart memoryPorts; // the tile memory's bank rotators and ping-pong selection
    LogicPart control;     // loops, call sites, layer descriptors, tile tables
    LogicPart axi;         // m_axi masters, the AXI-Lite slave, the block design's IPs
    LogicPart lutram;      // memories small enough for LUTs (64 bits a LUT6)
    LogicPart total() const {
        LogicPart t;
        for (const LogicPart* p : {&datapath, &registers, &memoryPorts, &control, &axi, &lutram})
            t += *p;
        return t;
    }
};

} // namespace codesign
