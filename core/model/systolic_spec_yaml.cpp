// The systolic array family's keys of `accelerator:` (docs/project-format.md).
#include "accelerator_formats.h"
#include "systolic_spec.h"

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

// Without `auto:`, naming the array's size makes it a fixed design.
bool namesDesign(const YamlFields& f) {
    return f.has("rows") || f.has("cols");
}

void read(YamlFields& f, AcceleratorSpec& spec) {
    SystolicSpec& s = std::get<SystolicSpec>(spec.family);
    s.rows = f.integer("rows", s.rows, 1, kMaxArrayDim);
    s.cols = f.integer("cols", s.cols, 1, kMaxArrayDim);
    const std::string df = f.oneOf("dataflow", "ws", {"os", "ws", "is"});
    s.dataflow = df == "os" ? Dataflow::Os : df == "is" ? Dataflow::Is : Dataflow::Ws;
    s.fuseRows = f.boolean("fuse_rows", false);
    if (const YAML::Node sram = f.node("sram_kb"); sram.IsDefined())
        s.sramKb = readSramKb(sram);
    s.dramBytesPerCycle = f.number("dram_bytes_per_cycle", 0, 0, 1e6);
    s.convention = f.oneOf("convention", "paper", {"paper", "scalesim_v2"}) == "paper"
                       ? CycleConvention::Paper
                       : CycleConvention::ScaleSimV2;
}

// The defaults (32 x 32 WS, 64 KB buffers) are a complete design.
void checkFixed(const YAML::Node&, const AcceleratorSpec&) {}

// The keys auto sizing chooses that the user may have meant: those not at their defaults.
std::vector<std::string> designFields(const AcceleratorSpec& spec) {
    const SystolicSpec& s = std::get<SystolicSpec>(spec.family);
    const SystolicSpec d;
    std::vector<std::string> fields;
    if (s.rows != d.rows)
        fields.push_back("rows: " + std::to_string(s.rows));
    if (s.cols != d.cols)
        fields.push_back("cols: " + std::to_string(s.cols));
    if (s.dataflow != d.dataflow)
        fields.push_back("dataflow: " + std::string(dataflowName(s.dataflow)));
    if (s.sramKb != d.sramKb)
        fields.push_back("sram_kb");
    return fields;
}

void writeSramKb(YAML::Emitter& out, const SramKb& kb) {
    out << YAML::Key << "sram_kb" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "ifmap" << YAML::Value << kb.ifmap;
    out << YAML::Key << "filter" << YAML::Value << kb.filter;
    out << YAML::Key << "ofmap" << YAML::Value << kb.ofmap;
    out << YAML::EndMap;
}

// A fixed design writes its whole array; an auto-sized one only what differs from the
// defaults. The user's keys (fuse_rows, DRAM bandwidth, convention) when not the default.
void write(YAML::Emitter& out, const AcceleratorSpec& spec) {
    const SystolicSpec& s = std::get<SystolicSpec>(spec.family);
    const SystolicSpec d;
    const bool all = !spec.autoSize;
    if (all || s.rows != d.rows)
        out << YAML::Key << "rows" << YAML::Value << s.rows;
    if (all || s.cols != d.cols)
        out << YAML::Key << "cols" << YAML::Value << s.cols;
    if (all || s.dataflow != d.dataflow)
        out << YAML::Key << "dataflow" << YAML::Value << std::string(dataflowName(s.dataflow));
    if (all || s.sramKb != d.sramKb)
        writeSramKb(out, s.sramKb);
    if (s.fuseRows)
        out << YAML::Key << "fuse_rows" << YAML::Value << true;
    if (s.dramBytesPerCycle > 0)
        out << YAML::Key << "dram_bytes_per_cycle" << YAML::Value
            << yamlNumber(s.dramBytesPerCycle);
    if (s.convention != CycleConvention::Paper)
        out << YAML::Key << "convention" << YAML::Value
            << std::string(conventionName(s.convention));
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

AcceleratorFormat systolicAcceleratorFormat() {
    return {"systolic",  [] { return FamilySpec{SystolicSpec{}}; },
            namesDesign, read,
            checkFixed,  write,
            designFields};
}

} // namespace codesign
