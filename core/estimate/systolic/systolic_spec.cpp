#include "systolic_spec.h"

#include "../../util/yaml_fields.h"

#include <charconv>
#include <string>
#include <yaml-cpp/yaml.h>

namespace codesign {
namespace {

constexpr int kMaxArrayDim = 1024;
constexpr int kMaxSramKb = 1 << 20; // 1 GB: far above any device, only a sanity bound

SramKb readSramKb(const YAML::Node& node) {
    YamlFields f(node, "sram_kb");
    SramKb s;
    s.ifmap = f.integer("ifmap", s.ifmap, 1, kMaxSramKb);
    s.filter = f.integer("filter", s.filter, 1, kMaxSramKb);
    s.ofmap = f.integer("ofmap", s.ofmap, 1, kMaxSramKb);
    f.rejectUnknownKeys();
    return s;
}

// Shortest text that reads back to the same double.
std::string shortest(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

} // namespace

std::string_view dataflowName(Dataflow d) {
    switch (d) {
    case Dataflow::Os:
        return "os";
    case Dataflow::Ws:
        return "ws";
    case Dataflow::Is:
        return "is";
    }
    return "?";
}

std::string_view conventionName(CycleConvention c) {
    return c == CycleConvention::Paper ? "paper" : "scalesim_v2";
}

SystolicSpec readSystolicSpec(YamlFields& f) {
    SystolicSpec s;
    const bool namesArray = f.has("rows") || f.has("cols");
    s.rows = f.integer("rows", s.rows, 1, kMaxArrayDim);
    s.cols = f.integer("cols", s.cols, 1, kMaxArrayDim);
    const std::string df = f.oneOf("dataflow", "ws", {"os", "ws", "is"});
    s.dataflow = df == "os" ? Dataflow::Os : df == "is" ? Dataflow::Is : Dataflow::Ws;
    s.fuseRows = f.boolean("fuse_rows", false);
    if (f.has("sram_kb"))
        s.sramKb = readSramKb(f.node("sram_kb"));
    else
        f.node("sram_kb");
    s.dramBytesPerCycle = f.number("dram_bytes_per_cycle", 0, 0, 1e6);
    s.convention = f.oneOf("convention", "paper", {"paper", "scalesim_v2"}) == "paper"
                       ? CycleConvention::Paper
                       : CycleConvention::ScaleSimV2;
    s.autoSize = f.boolean("auto", !namesArray);
    s.clockMhz = f.number("clock_mhz", 0, 1, 2000);
    s.batch = f.integer("batch", 1, 1, 1024);
    return s;
}

void writeSystolicSpec(YAML::Emitter& out, const SystolicSpec& s) {
    out << YAML::Key << "rows" << YAML::Value << s.rows;
    out << YAML::Key << "cols" << YAML::Value << s.cols;
    out << YAML::Key << "dataflow" << YAML::Value << std::string(dataflowName(s.dataflow));
    out << YAML::Key << "fuse_rows" << YAML::Value << s.fuseRows;
    out << YAML::Key << "sram_kb" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "ifmap" << YAML::Value << s.sramKb.ifmap;
    out << YAML::Key << "filter" << YAML::Value << s.sramKb.filter;
    out << YAML::Key << "ofmap" << YAML::Value << s.sramKb.ofmap;
    out << YAML::EndMap;
    if (s.dramBytesPerCycle > 0)
        out << YAML::Key << "dram_bytes_per_cycle" << YAML::Value << shortest(s.dramBytesPerCycle);
    out << YAML::Key << "convention" << YAML::Value << std::string(conventionName(s.convention));
    out << YAML::Key << "auto" << YAML::Value << s.autoSize;
    if (s.clockMhz > 0)
        out << YAML::Key << "clock_mhz" << YAML::Value << shortest(s.clockMhz);
    if (s.batch != 1)
        out << YAML::Key << "batch" << YAML::Value << s.batch;
}

} // namespace codesign
