#include "device_yaml.h"

#include "../util/yaml_fields.h"
#include "../util/yaml_syntax.h"

#include <fstream>
#include <sstream>

namespace codesign {
namespace {

constexpr int kBig = 100'000'000;

void readResources(YamlFields& f, Device& d) {
    YamlFields r(f.node("resources"), "the device's resources");
    d.dsp = r.requiredInteger("dsp", 0, kBig);
    d.bram18 = r.requiredInteger("bram18", 0, kBig);
    d.uram = r.requiredInteger("uram", 0, kBig);
    d.lut = r.requiredInteger("lut", 1, kBig);
    d.ff = r.requiredInteger("ff", 1, kBig);
    r.rejectUnknownKeys();
}

void readDsp(YamlFields& f, Device& d) {
    if (!f.has("dsp")) {
        f.node("dsp");
        return;
    }
    YamlFields r(f.node("dsp"), "the device's dsp rule");
    d.dspRule.type = r.string("type", d.dspRule.type);
    d.dspRule.portA = r.integer("a_bits", d.dspRule.portA, 2, 64);
    d.dspRule.portB = r.integer("b_bits", d.dspRule.portB, 2, 64);
    d.dspRule.packTwoMax = r.integer("pack_two_max", d.dspRule.packTwoMax, 0, 128);
    r.rejectUnknownKeys();
}

void readBram(YamlFields& f, Device& d) {
    if (!f.has("bram")) {
        f.node("bram");
        return;
    }
    YamlFields r(f.node("bram"), "the device's bram rule");
    d.bramRule.pow2Depth = r.boolean("pow2_depth", d.bramRule.pow2Depth);
    d.bramRule.lutramMaxBits = r.integer("lutram_max_bits", d.bramRule.lutramMaxBits, 0, 1 << 20);
    r.rejectUnknownKeys();
}

void readEfficiency(YamlFields& r, DdrEfficiency& e) {
    if (!r.has("ddr_efficiency"))
        return;
    const YAML::Node n = r.node("ddr_efficiency");
    if (n.IsScalar()) { // one figure for every pattern (the format before patterns)
        const double all = r.number("ddr_efficiency", 0.75, 0.01, 1.0);
        e = {all, all, all, all, all, all};
        return;
    }
    YamlFields x(n, "the DDR controller's efficiency");
    e.readSequential = x.number("read_sequential", e.readSequential, 0.01, 1.0);
    e.readRandom = x.number("read_random", e.readRandom, 0.01, 1.0);
    e.writeSequential = x.number("write_sequential", e.writeSequential, 0.01, 1.0);
    e.writeRandom = x.number("write_random", e.writeRandom, 0.01, 1.0);
    e.mixedSequential = x.number("mixed_sequential", e.mixedSequential, 0.01, 1.0);
    e.mixedRandom = x.number("mixed_random", e.mixedRandom, 0.01, 1.0);
    x.rejectUnknownKeys();
}

void readMemory(YamlFields& f, Device& d) {
    YamlFields r(f.node("memory"), "the device's memory");
    MemorySystem& m = d.memory;
    m.ddrType = r.string("ddr_type", m.ddrType);
    m.ddrBusBits = r.integer("ddr_bus_bits", m.ddrBusBits, 8, 1024);
    m.ddrMtps = r.number("ddr_mtps", m.ddrMtps, 1, 100'000);
    m.ddrPeakGBps = r.requiredNumber("ddr_peak_gbps", 0.01, 10'000);
    readEfficiency(r, m.efficiency);
    m.portKind = r.string("port", m.portKind);
    m.axiPortBits = r.integer("axi_port_bits", m.axiPortBits, 8, 1024);
    m.axiPorts = r.integer("axi_ports", m.axiPorts, 1, 64);
    m.portMaxBurstBeats = r.integer("port_max_burst", m.portMaxBurstBeats, 1, 256);
    m.portReadAcceptance = r.integer("port_read_acceptance", m.portReadAcceptance, 1, 1024);
    m.portWriteAcceptance = r.integer("port_write_acceptance", m.portWriteAcceptance, 1, 1024);
    m.portGBps = r.number("port_gbps", m.portGBps, 0.01, 10'000);
    if (r.has("axi_latency_cycles")) { // the format before latencies in ns: at the default clock
        const int cycles = r.integer("axi_latency_cycles", 40, 0, 100'000);
        m.readLatencyNs = m.writeLatencyNs = cycles * 1e3 / d.defaultClockMhz;
    }
    m.readLatencyNs = r.number("read_latency_ns", m.readLatencyNs, 0, 1e6);
    m.writeLatencyNs = r.number("write_latency_ns", m.writeLatencyNs, 0, 1e6);
    m.processorGBps = r.number("processor_gbps", m.processorGBps, 0, 10'000);
    r.rejectUnknownKeys();
}

void readPower(YamlFields& f, Device& d) {
    YamlFields r(f.node("power"), "the device's power coefficients");
    PowerCoefficients& p = d.power;
    p.boardStaticW = r.requiredNumber("board_static_w", 0, 1000);
    p.plStaticW = r.number("pl_static_w", p.plStaticW, 0, 1000);
    p.dspMwPerMhz = r.number("dsp_mw_per_mhz", p.dspMwPerMhz, 0, 10);
    p.bram18MwPerMhz = r.number("bram18_mw_per_mhz", p.bram18MwPerMhz, 0, 10);
    p.lutUwPerMhz = r.number("lut_uw_per_mhz", p.lutUwPerMhz, 0, 10);
    p.ffUwPerMhz = r.number("ff_uw_per_mhz", p.ffUwPerMhz, 0, 10);
    p.ddrNjPerByte = r.number("ddr_nj_per_byte", p.ddrNjPerByte, 0, 1000);
    p.activity = r.number("activity", p.activity, 0, 10);
    r.rejectUnknownKeys();
}

void readLogic(YamlFields& f, Device& d) {
    if (!f.has("logic")) {
        f.node("logic");
        return;
    }
    YamlFields r(f.node("logic"), "the device's logic model");
    LogicCoefficients& l = d.logic;
    const auto num = [&](const char* key, double& v, double max) {
        v = r.number(key, v, 0, max);
    };
    num("lut_per_adder_bit", l.lutPerAdderBit, 100);
    num("ff_per_adder_bit", l.ffPerAdderBit, 100);
    num("ff_per_operand_bit", l.ffPerOperandBit, 100);
    num("lut_per_packed_pair", l.lutPerPackedPair, 1e4);
    if (r.has("lut_per_mux_bit")) // the format before: per bit of a 2:1 stage
        l.lutPerMuxInput = r.number("lut_per_mux_bit", 0.5, 0, 100) / 2;
    num("lut_per_mux_input", l.lutPerMuxInput, 100);
    num("lut_per_register_word", l.lutPerRegisterWord, 100);
    num("lut_per_loop", l.lutPerLoop, 1e4);
    num("ff_per_loop", l.ffPerLoop, 1e4);
    num("lut_per_call", l.lutPerCall, 1e4);
    num("ff_per_call", l.ffPerCall, 1e4);
    num("lut_per_descriptor_bit", l.lutPerDescriptorBit, 100);
    num("ff_per_descriptor_bit", l.ffPerDescriptorBit, 100);
    if (r.has("lut_per_axi_port")) // the format before: one figure per master
        l.lutPerAxiMaster = r.number("lut_per_axi_port", 0, 0, 1e6), l.lutPerAxiMasterBit = 0;
    if (r.has("ff_per_axi_port"))
        l.ffPerAxiMaster = r.number("ff_per_axi_port", 0, 0, 1e6), l.ffPerAxiMasterBit = 0;
    num("lut_per_axi_master", l.lutPerAxiMaster, 1e6);
    num("ff_per_axi_master", l.ffPerAxiMaster, 1e6);
    num("lut_per_axi_master_bit", l.lutPerAxiMasterBit, 1e3);
    num("ff_per_axi_master_bit", l.ffPerAxiMasterBit, 1e3);
    num("lut_axi_lite", l.lutAxiLite, 1e6);
    num("ff_axi_lite", l.ffAxiLite, 1e6);
    num("lut_per_port_interconnect", l.lutPerPortInterconnect, 1e6);
    num("ff_per_port_interconnect", l.ffPerPortInterconnect, 1e6);
    num("lut_control_interconnect", l.lutControlInterconnect, 1e6);
    num("ff_control_interconnect", l.ffControlInterconnect, 1e6);
    num("lut_reset", l.lutReset, 1e6);
    num("ff_reset", l.ffReset, 1e6);
    num("lut_base", l.lutBase, 1e7);
    num("ff_base", l.ffBase, 1e7);
    r.rejectUnknownKeys();
}

void readProcessor(YamlFields& f, Device& d) {
    if (!f.has("processor")) {
        f.node("processor");
        return;
    }
    YamlFields r(f.node("processor"), "the device's processor");
    ProcessorModel& p = d.processor;
    p.core = r.string("core", p.core);
    p.clockMhz = r.number("clock_mhz", p.clockMhz, 1, 10000);
    p.decodeCyclesPerPixel = r.number("decode_cycles_per_pixel", p.decodeCyclesPerPixel, 0, 1e6);
    p.resizeCyclesPerPixel = r.number("resize_cycles_per_pixel", p.resizeCyclesPerPixel, 0, 1e6);
    p.packCyclesPerValue = r.number("pack_cycles_per_value", p.packCyclesPerValue, 0, 1e6);
    p.cacheCyclesPerByte = r.number("cache_cycles_per_byte", p.cacheCyclesPerByte, 0, 1e6);
    p.postCyclesPerValue = r.number("post_cycles_per_value", p.postCyclesPerValue, 0, 1e6);
    p.cyclesPerAccess = r.number("cycles_per_access", p.cyclesPerAccess, 0, 1e9);
    r.rejectUnknownKeys();
}

void readStreaming(YamlFields& f, Device& d) {
    if (!f.has("streaming")) {
        f.node("streaming");
        return;
    }
    YamlFields r(f.node("streaming"), "the device's streaming defaults");
    StreamingDefaults& s = d.streaming;
    s.portWidthBits = r.integer("port_width", 0, 8, 4096);
    s.bandwidthGbps = r.number("bandwidth_gbps", 0, 0.001, 100'000);
    s.reconfigurationMs = r.number("reconfiguration_ms", 0, 0, 1e6);
    r.rejectUnknownKeys();
}

void writeStreaming(YAML::Emitter& out, const StreamingDefaults& s) {
    if (s == StreamingDefaults{})
        return;
    out << YAML::Key << "streaming" << YAML::Value << YAML::Flow << YAML::BeginMap;
    if (s.portWidthBits > 0)
        out << YAML::Key << "port_width" << YAML::Value << s.portWidthBits;
    if (s.bandwidthGbps > 0)
        out << YAML::Key << "bandwidth_gbps" << YAML::Value << s.bandwidthGbps;
    if (s.reconfigurationMs > 0)
        out << YAML::Key << "reconfiguration_ms" << YAML::Value << s.reconfigurationMs;
    out << YAML::EndMap;
}

} // namespace

Device readDevice(const YAML::Node& node) {
    YamlFields f(node, "the device description");
    Device d;
    d.name = f.requiredString("name");
    d.board = f.string("board", d.name);
    d.part = f.requiredString("part");
    d.family = f.oneOf("family", "zynq7000", {"zynq7000", "zynqmp"});
    d.boardPart = f.string("board_part");
    if (f.has("aliases")) {
        YAML::Node a = f.node("aliases");
        if (!a.IsSequence())
            failAt(a, "aliases must be a list of names");
        for (const auto& item : a)
            d.aliases.push_back(scalarString(item, "an alias"));
    } else {
        f.node("aliases");
    }
    // Family defaults first, so that a file only states what differs.
    if (d.isZynqMp()) {
        d.dspRule = DspRule{"DSP48E2", 27, 18, 28};
        d.processor.core = "Cortex-A53";
        d.processor.clockMhz = 1200;
        d.bramRule.pow2Depth = false;
        d.memory.ddrType = "DDR4";
        d.memory.ddrBusBits = 64;
        d.memory.ddrMtps = 2400;
        d.memory.portKind = "HP_FPD";
        d.memory.axiPortBits = 128;
        d.memory.portGBps = 8.5;
        d.memory.readLatencyNs = d.memory.writeLatencyNs = 300;
        // The HP ports are AXI4 of the masters' width: the 1:1 interconnects pass through;
        // the control path downsizes the 128-bit HPM0 port to AXI4-Lite (PG059).
        d.logic.lutPerPortInterconnect = d.logic.ffPerPortInterconnect = 0;
        d.logic.lutControlInterconnect = 500;
        d.logic.ffControlInterconnect = 600;
    } else {
        d.dspRule = DspRule{"DSP48E1", 25, 18, 26};
    }
    d.defaultClockMhz = f.number("clock_mhz", d.isZynqMp() ? 200 : 100, 1, 2000);
    readResources(f, d);
    readDsp(f, d);
    readBram(f, d);
    readMemory(f, d);
    readPower(f, d);
    readLogic(f, d);
    readProcessor(f, d);
    readStreaming(f, d);
    f.rejectUnknownKeys();
    return d;
}

Result<Device> parseDeviceText(std::string_view text, const std::string& fileName) {
    try {
        YAML::Node root = YAML::Load(std::string(text));
        return readDevice(root);
    } catch (const YamlError& e) {
        Diagnostic d = e.diagnostic;
        d.file = fileName;
        return d;
    } catch (const YAML::Exception& e) {
        Diagnostic d = explainYamlSyntaxError(text, e.msg, {e.mark.line + 1, e.mark.column + 1});
        d.file = fileName;
        return d;
    }
}

Result<Device> loadDeviceFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        Diagnostic d = makeError("cannot open device file");
        d.file = path;
        return d;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseDeviceText(text.str(), path);
}

void writeDevice(YAML::Emitter& out, const Device& d) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << d.name;
    out << YAML::Key << "board" << YAML::Value << d.board;
    out << YAML::Key << "part" << YAML::Value << d.part;
    out << YAML::Key << "family" << YAML::Value << d.family;
    if (!d.boardPart.empty())
        out << YAML::Key << "board_part" << YAML::Value << d.boardPart;
    out << YAML::Key << "clock_mhz" << YAML::Value << d.defaultClockMhz;
    out << YAML::Key << "resources" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "dsp" << YAML::Value << d.dsp;
    out << YAML::Key << "bram18" << YAML::Value << d.bram18;
    out << YAML::Key << "uram" << YAML::Value << d.uram;
    out << YAML::Key << "lut" << YAML::Value << d.lut;
    out << YAML::Key << "ff" << YAML::Value << d.ff;
    out << YAML::EndMap;
    out << YAML::Key << "dsp" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "type" << YAML::Value << d.dspRule.type;
    out << YAML::Key << "a_bits" << YAML::Value << d.dspRule.portA;
    out << YAML::Key << "b_bits" << YAML::Value << d.dspRule.portB;
    out << YAML::Key << "pack_two_max" << YAML::Value << d.dspRule.packTwoMax;
    out << YAML::EndMap;
    out << YAML::Key << "bram" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "pow2_depth" << YAML::Value << d.bramRule.pow2Depth;
    out << YAML::Key << "lutram_max_bits" << YAML::Value << d.bramRule.lutramMaxBits;
    out << YAML::EndMap;
    const MemorySystem& m = d.memory;
    const DdrEfficiency& e = m.efficiency;
    out << YAML::Key << "memory" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "ddr_type" << YAML::Value << m.ddrType;
    out << YAML::Key << "ddr_bus_bits" << YAML::Value << m.ddrBusBits;
    out << YAML::Key << "ddr_mtps" << YAML::Value << m.ddrMtps;
    out << YAML::Key << "ddr_peak_gbps" << YAML::Value << m.ddrPeakGBps;
    out << YAML::Key << "ddr_efficiency" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "read_sequential" << YAML::Value << e.readSequential;
    out << YAML::Key << "read_random" << YAML::Value << e.readRandom;
    out << YAML::Key << "write_sequential" << YAML::Value << e.writeSequential;
    out << YAML::Key << "write_random" << YAML::Value << e.writeRandom;
    out << YAML::Key << "mixed_sequential" << YAML::Value << e.mixedSequential;
    out << YAML::Key << "mixed_random" << YAML::Value << e.mixedRandom;
    out << YAML::EndMap;
    out << YAML::Key << "port" << YAML::Value << m.portKind;
    out << YAML::Key << "axi_port_bits" << YAML::Value << m.axiPortBits;
    out << YAML::Key << "axi_ports" << YAML::Value << m.axiPorts;
    out << YAML::Key << "port_max_burst" << YAML::Value << m.portMaxBurstBeats;
    out << YAML::Key << "port_read_acceptance" << YAML::Value << m.portReadAcceptance;
    out << YAML::Key << "port_write_acceptance" << YAML::Value << m.portWriteAcceptance;
    out << YAML::Key << "port_gbps" << YAML::Value << m.portGBps;
    out << YAML::Key << "read_latency_ns" << YAML::Value << m.readLatencyNs;
    out << YAML::Key << "write_latency_ns" << YAML::Value << m.writeLatencyNs;
    out << YAML::Key << "processor_gbps" << YAML::Value << m.processorGBps;
    out << YAML::EndMap;
    const PowerCoefficients& p = d.power;
    out << YAML::Key << "power" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "board_static_w" << YAML::Value << p.boardStaticW;
    out << YAML::Key << "pl_static_w" << YAML::Value << p.plStaticW;
    out << YAML::Key << "dsp_mw_per_mhz" << YAML::Value << p.dspMwPerMhz;
    out << YAML::Key << "bram18_mw_per_mhz" << YAML::Value << p.bram18MwPerMhz;
    out << YAML::Key << "lut_uw_per_mhz" << YAML::Value << p.lutUwPerMhz;
    out << YAML::Key << "ff_uw_per_mhz" << YAML::Value << p.ffUwPerMhz;
    out << YAML::Key << "ddr_nj_per_byte" << YAML::Value << p.ddrNjPerByte;
    out << YAML::Key << "activity" << YAML::Value << p.activity;
    out << YAML::EndMap;
    const LogicCoefficients& l = d.logic;
    out << YAML::Key << "logic" << YAML::Value << YAML::BeginMap;
    const auto put = [&](const char* key, double v) {
        out << YAML::Key << key << YAML::Value << v;
    };
    put("lut_per_adder_bit", l.lutPerAdderBit);
    put("ff_per_adder_bit", l.ffPerAdderBit);
    put("ff_per_operand_bit", l.ffPerOperandBit);
    put("lut_per_packed_pair", l.lutPerPackedPair);
    put("lut_per_mux_input", l.lutPerMuxInput);
    put("lut_per_register_word", l.lutPerRegisterWord);
    put("lut_per_loop", l.lutPerLoop);
    put("ff_per_loop", l.ffPerLoop);
    put("lut_per_call", l.lutPerCall);
    put("ff_per_call", l.ffPerCall);
    put("lut_per_descriptor_bit", l.lutPerDescriptorBit);
    put("ff_per_descriptor_bit", l.ffPerDescriptorBit);
    put("lut_per_axi_master", l.lutPerAxiMaster);
    put("ff_per_axi_master", l.ffPerAxiMaster);
    put("lut_per_axi_master_bit", l.lutPerAxiMasterBit);
    put("ff_per_axi_master_bit", l.ffPerAxiMasterBit);
    put("lut_axi_lite", l.lutAxiLite);
    put("ff_axi_lite", l.ffAxiLite);
    put("lut_per_port_interconnect", l.lutPerPortInterconnect);
    put("ff_per_port_interconnect", l.ffPerPortInterconnect);
    put("lut_control_interconnect", l.lutControlInterconnect);
    put("ff_control_interconnect", l.ffControlInterconnect);
    put("lut_reset", l.lutReset);
    put("ff_reset", l.ffReset);
    put("lut_base", l.lutBase);
    put("ff_base", l.ffBase);
    out << YAML::EndMap;
    const ProcessorModel& cpu = d.processor;
    out << YAML::Key << "processor" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "core" << YAML::Value << cpu.core;
    put("clock_mhz", cpu.clockMhz);
    put("decode_cycles_per_pixel", cpu.decodeCyclesPerPixel);
    put("resize_cycles_per_pixel", cpu.resizeCyclesPerPixel);
    put("pack_cycles_per_value", cpu.packCyclesPerValue);
    put("cache_cycles_per_byte", cpu.cacheCyclesPerByte);
    put("post_cycles_per_value", cpu.postCyclesPerValue);
    put("cycles_per_access", cpu.cyclesPerAccess);
    out << YAML::EndMap;
    writeStreaming(out, d.streaming);
    out << YAML::EndMap;
}

} // namespace codesign
