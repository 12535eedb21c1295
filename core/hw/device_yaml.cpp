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

void readMemory(YamlFields& f, Device& d) {
    YamlFields r(f.node("memory"), "the device's memory");
    MemorySystem& m = d.memory;
    m.ddrPeakGBps = r.requiredNumber("ddr_peak_gbps", 0.01, 10'000);
    m.ddrEfficiency = r.number("ddr_efficiency", m.ddrEfficiency, 0.01, 1.0);
    m.axiPortBits = r.integer("axi_port_bits", m.axiPortBits, 8, 1024);
    m.axiPorts = r.integer("axi_ports", m.axiPorts, 1, 64);
    m.axiLatencyCycles = r.integer("axi_latency_cycles", m.axiLatencyCycles, 0, 100'000);
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
    l.lutBase = r.number("lut_base", l.lutBase, 0, 1e7);
    l.ffBase = r.number("ff_base", l.ffBase, 0, 1e7);
    l.lutPerAxiPort = r.number("lut_per_axi_port", l.lutPerAxiPort, 0, 1e6);
    l.ffPerAxiPort = r.number("ff_per_axi_port", l.ffPerAxiPort, 0, 1e6);
    l.lutPerAdderBit = r.number("lut_per_adder_bit", l.lutPerAdderBit, 0, 100);
    l.ffPerAdderBit = r.number("ff_per_adder_bit", l.ffPerAdderBit, 0, 100);
    l.lutPerMuxBit = r.number("lut_per_mux_bit", l.lutPerMuxBit, 0, 100);
    l.ffPerOperandBit = r.number("ff_per_operand_bit", l.ffPerOperandBit, 0, 100);
    l.lutPerPackedPair = r.number("lut_per_packed_pair", l.lutPerPackedPair, 0, 1e4);
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
        d.bramRule.pow2Depth = false;
        d.memory.axiPortBits = 128;
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
    out << YAML::Key << "memory" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "ddr_peak_gbps" << YAML::Value << m.ddrPeakGBps;
    out << YAML::Key << "ddr_efficiency" << YAML::Value << m.ddrEfficiency;
    out << YAML::Key << "axi_port_bits" << YAML::Value << m.axiPortBits;
    out << YAML::Key << "axi_ports" << YAML::Value << m.axiPorts;
    out << YAML::Key << "axi_latency_cycles" << YAML::Value << m.axiLatencyCycles;
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
    out << YAML::Key << "lut_base" << YAML::Value << l.lutBase;
    out << YAML::Key << "ff_base" << YAML::Value << l.ffBase;
    out << YAML::Key << "lut_per_axi_port" << YAML::Value << l.lutPerAxiPort;
    out << YAML::Key << "ff_per_axi_port" << YAML::Value << l.ffPerAxiPort;
    out << YAML::Key << "lut_per_adder_bit" << YAML::Value << l.lutPerAdderBit;
    out << YAML::Key << "ff_per_adder_bit" << YAML::Value << l.ffPerAdderBit;
    out << YAML::Key << "lut_per_mux_bit" << YAML::Value << l.lutPerMuxBit;
    out << YAML::Key << "ff_per_operand_bit" << YAML::Value << l.ffPerOperandBit;
    out << YAML::Key << "lut_per_packed_pair" << YAML::Value << l.lutPerPackedPair;
    out << YAML::EndMap;
    writeStreaming(out, d.streaming);
    out << YAML::EndMap;
}

} // namespace codesign
