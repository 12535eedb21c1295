#include "tiled_logic.h"

#include "../../hw/axi_logic.h"
#include "../../hw/dsp_packing.h"
#include "../../util/int_math.h"
#include "channel_blocking.h"

#include <algorithm>

namespace codesign {
namespace {

// Loops and counters of each unit's functions in resources/templates/hls/cs_units.h
// (pipelined loops, the loops around them, and the position counters of the flat loops),
// counted once from the template: PW 10 loops + 2 counters, DW 7 + 6, pool 4 + 5, remap
// 5 + 6, loads and stores 6.
constexpr int kPwLoops = 12;
constexpr int kDwLoops = 13;
constexpr int kPoolLoops = 9;
constexpr int kRemapLoops = 11;
constexpr int kMoveLoops = 6;
// cs_layer: 20 ints, an operand's channels per operand view, 5 per folded stage.
constexpr int kDescriptorInts = 20;
constexpr int kPositionBits = 3 * 32; // cs_pos: channel, row, column

struct Units {
    int tn = 0, tm = 0, pd = 0; // 0: the unit is not instantiated
    int poolLanes = 0, remapLanes = 0;
};

// The arithmetic: adder trees and accumulators, operand registers, packed-pair
// correction, and per output lane the output stage (bias, the quantization to each of the
// layers' formats with its selection, the folded stages).
LogicPart datapath(const TiledModel& m, const Units& u, const LogicCoefficients& k,
                   const DspRule& dsp) {
    LogicPart p;
    const double a = m.maxActivationBits;
    const double post = 1 + m.maxPost; // quantizations per output: the layer's, each stage's
    const auto outputStage = [&](double lanes, double width) {
        p.lut += lanes * (width * (1 + m.formats * post) * k.lutPerAdderBit +
                          a * m.formats * post * k.lutPerMuxInput);
        p.ff += lanes * width * post * k.ffPerAdderBit;
    };
    if (u.tm > 0 && m.hasPw) {
        const double mults = double(u.tn) * u.tm;
        const double tree = double(u.tm) * (u.tn - 1) * m.pwAccBits + double(u.tm) * m.pwAccBits;
        p.lut += tree * k.lutPerAdderBit;
        p.ff += tree * k.ffPerAdderBit +
                mults * (m.pwWeightBits + m.pwActivationBits) * k.ffPerOperandBit;
        if (packsTwoPerSlice(dsp, m.pwWeightBits, m.pwActivationBits))
            p.lut += mults / 2 * k.lutPerPackedPair;
        outputStage(u.tm, m.pwAccBits);
    }
    if (u.pd > 0) {
        const double mults = double(u.pd) * m.dwLanes;
        const double tree = double(u.pd) * (m.dwLanes - 1) * m.dwAccBits;
        p.lut += tree * k.lutPerAdderBit;
        p.ff += tree * k.ffPerAdderBit +
                mults * (m.dwWeightBits + m.dwActivationBits) * k.ffPerOperandBit;
        if (packsTwoPerSlice(dsp, m.dwWeightBits, m.dwActivationBits))
            p.lut += mults / 2 * k.lutPerPackedPair;
        outputStage(u.pd, m.dwAccBits);
    }
    // Pool lanes: the comparator, the window sum and the adds' total; remap lanes move.
    const double poolSum = a + ceilLog2(std::max(2, m.maxPoolWindow));
    p.lut += u.poolLanes * (a + poolSum + m.pwAccBits * m.maxAddInputs) * k.lutPerAdderBit;
    outputStage(u.poolLanes, poolSum);
    outputStage(u.remapLanes, a);
    return p;
}

// Arrays partitioned into registers (ARRAY_PARTITION complete): a flip-flop per bit and a
// write select per element; the weight blocks ping-pong, so each multiplier operand picks
// one of two; the DW window's taps each pick one of the window registers.
LogicPart registers(const TiledModel& m, const Units& u, const LogicCoefficients& k) {
    LogicPart p;
    const double w = m.pwWeightBits;
    const double a = m.maxActivationBits;
    const auto array = [&](double elements, double bits) {
        p.ff += elements * bits;
        p.lut += elements * k.lutPerRegisterWord;
    };
    const auto params = [&](double lanes) {
        array(2 * lanes * m.maxPost, w);
    }; // scale, shift
    if (u.tm > 0 && m.hasPw) {
        const double block = double(u.tm) * u.tn;
        array(2 * block, w);                       // ping, pong
        p.lut += block * w * 2 * k.lutPerMuxInput; // the pass's operand: one of two
        array(u.tm, m.pwAccBits);                  // biases, shifted into acc_t at load
        params(u.tm);
        p.ff += (2.0 * u.tn + 1) * kPositionBits; // fc lanes' positions
    }
    if (u.pd > 0) {
        const double block = double(u.pd) * m.dwLanes;
        array(2 * block, m.dwWeightBits); // weights, ping and pong
        array(2.0 * u.pd, m.dwAccBits);   // biases (in acc_t), ping and pong
        p.lut += (block * m.dwWeightBits + u.pd * m.dwAccBits) * 2 * k.lutPerMuxInput;
        params(u.pd);
        const double window = double(m.dwWindowH) * m.dwWindowW;
        p.ff += u.pd * window * a + 4.0 * m.dwLanes * 32; // registers; tap positions
        // per tap, the K x K (or 1 x K) register or the K x 1 one (FuSe)
        p.lut += block * a * (2 * window + 2) * k.lutPerMuxInput;
    }
    if (u.poolLanes > 0) {
        params(u.poolLanes);
        const double poolSum = a + ceilLog2(std::max(2, m.maxPoolWindow));
        p.ff += u.poolLanes * (a + poolSum + m.pwAccBits + 1); // best, sum, total, any
    }
    if (u.remapLanes > 0) {
        params(u.remapLanes);
        p.ff += (u.remapLanes + 1.0) * kPositionBits; // reorg sources
    }
    return p;
}

// The tile memory: max(Tn, Tm, Pd) banks, bank = channel % banks at run time. Every lane
// that reads or writes it rotates its data and address through log2(banks) stages of 2:1
// multiplexers (consecutive channels, consecutive banks), adds its channel block to the
// pixel offset its unit shares, and a read picks one of the two ping-pong memories.
LogicPart memoryPorts(const TiledModel& m, const Units& u, const LogicCoefficients& k, int banks,
                      std::int64_t tileDepth, int perWord) {
    LogicPart p;
    const double a = m.maxActivationBits;
    const double readers = (m.hasPw ? u.tn : 0) + u.pd + u.poolLanes * m.maxAddInputs +
                           u.remapLanes + perWord; // cs_store reads a word of channels
    const double writers = (m.hasPw ? u.tm : 0) + u.pd + u.poolLanes + u.remapLanes + perWord;
    const double addr = ceilLog2(std::max<std::int64_t>(2, tileDepth));
    const double stages = ceilLog2(std::max(2, banks));
    const double ports = readers + writers;
    p.lut += ports * (a + addr) * stages * 2 * k.lutPerMuxInput;
    p.lut += readers * a * 2 * k.lutPerMuxInput;
    p.lut += ports * addr * k.lutPerAdderBit;
    p.ff += ports * (a + addr);
    return p;
}

// Control: every loop's counter and state, the call sites (unit calls, loads, stores, and
// each group's tile loop calling its load and compute functions for either memory), each
// unit's layer descriptor, and per group the tile tables (a ROM, 64 bits a LUT6) and the
// tile's view origins.
LogicPart control(const TiledModel& m, const TiledConfig& c, const Units& u,
                  const LogicCoefficients& k) {
    LogicPart p;
    const int units = (u.tm > 0 && m.hasPw) + (u.pd > 0) + (u.poolLanes > 0) + (u.remapLanes > 0);
    const double loops = (m.hasPw ? kPwLoops : 0) + (u.pd > 0 ? kDwLoops : 0) +
                         (u.poolLanes > 0 ? kPoolLoops : 0) + (u.remapLanes > 0 ? kRemapLoops : 0) +
                         kMoveLoops + m.fabricGroups +
                         2 * blockedGroups(m, c); // output block, input block
    p.lut += loops * k.lutPerLoop;
    p.ff += loops * k.ffPerLoop;
    const double calls = m.unitCalls[0] + m.unitCalls[1] + m.unitCalls[2] + m.unitCalls[3] +
                         m.loadCalls + m.storeCalls + 4.0 * m.fabricGroups;
    p.lut += calls * k.lutPerCall;
    p.ff += calls * k.ffPerCall;
    const double descriptor = 32.0 * (kDescriptorInts + m.maxInputs + 5 * m.maxPost);
    p.lut += units * descriptor * k.lutPerDescriptorBit;
    p.ff += units * descriptor * k.ffPerDescriptorBit;
    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        const TiledGroup& g = m.groups[gi];
        if (g.hostOnly)
            continue;
        const TileSize t = runTile(g, c.tileFor(gi));
        const double lines = ceilDiv(g.refH, t.rows) + ceilDiv(g.refW, t.cols);
        p.lut += lines * g.tensors * 4 * 32 / 64.0;
        p.ff += g.tensors * 2 * 32.0;
    }
    return p;
}

// The three m_axi masters of the HLS IP and the AXI shell around them
// (resources/templates/vivado/block_design.tcl; core/hw/axi_logic.h).
LogicPart axi(const Device& d) {
    const AxiLogic shell = axiShellLogic(d.logic, 3, d.memory.axiPortBits);
    LogicPart p;
    p.lut = shell.lut;
    p.ff = shell.ff;
    return p;
}

} // namespace

namespace {

Units unitsOf(const TiledModel& m, const TiledConfig& c) {
    Units u;
    u.tn = std::max(1, c.pwIn);
    u.tm = std::max(1, c.pwOut);
    u.pd = m.hasDw ? std::max(1, c.dwParallel) : 0;
    u.poolLanes = m.hasPool ? u.tm : 0;
    u.remapLanes = m.hasRemap ? u.tm : 0;
    return u;
}

} // namespace

ArrayLogic tiledArrayLogic(const TiledModel& m, const TiledConfig& c) {
    const LogicCoefficients& k = m.device.logic;
    const Units u = unitsOf(m, c);
    return {datapath(m, u, k, m.device.dspRule), registers(m, u, k), axi(m.device)};
}

LogicBreakdown tiledLogic(const TiledModel& m, const TiledConfig& c, std::int64_t tileDepth,
                          std::int64_t lutramBits, const ArrayLogic* array) {
    const LogicCoefficients& k = m.device.logic;
    const Units u = unitsOf(m, c);
    const int banks = std::max({c.pwIn, c.pwOut, c.dwParallel, 1});
    const int perWord = std::max(1, m.device.memory.axiPortBits / m.actContainer);
    const ArrayLogic own = array ? ArrayLogic{} : tiledArrayLogic(m, c);
    const ArrayLogic& a = array ? *array : own;
    LogicBreakdown b;
    b.datapath = a.datapath;
    b.registers = a.registers;
    b.memoryPorts = memoryPorts(m, u, k, banks, tileDepth, perWord);
    b.control = control(m, c, u, k);
    b.control.lut += k.lutBase;
    b.control.ff += k.ffBase;
    b.axi = a.axi;
    b.lutram.lut = double(lutramBits) / 64.0;
    return b;
}

} // namespace codesign
