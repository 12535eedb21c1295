// The streaming family's keys of `accelerator:` (docs/project-format.md): port_width,
// reconfiguration_ms, reconfiguration_charge, partitions, folding, precision_model.
#include "accelerator_formats.h"

namespace codesign {
namespace {

constexpr int kMaxFactor = 1'000'000;

StreamingPartitionSpec readPartition(const YAML::Node& node, std::size_t index) {
    const std::string what = "partition " + std::to_string(index + 1);
    YamlFields f(node, what);
    StreamingPartitionSpec p;
    p.pos = f.pos();
    YAML::Node layers = f.node("layers");
    if (!layers.IsDefined() || layers.IsNull())
        failAt(node, "missing the field 'layers' in " + what);
    if (!layers.IsSequence() || layers.size() == 0)
        failAt(layers, what + ": layers must be a non-empty list of layer names");
    for (const auto& item : layers) {
        p.layers.push_back(scalarString(item, "a layer name"));
        p.layerPos.push_back(positionOf(item));
    }
    p.weightsReloading = f.integer("weights_reloading", 1, 1, kMaxFactor);
    f.rejectUnknownKeys();
    return p;
}

StreamingFolding readFolding(const std::string& layer, const YAML::Node& keyNode,
                             const YAML::Node& node) {
    YamlFields f(node, "the folding of '" + layer + "'");
    StreamingFolding d;
    d.layer = layer;
    d.pos = positionOf(keyNode);
    d.coarseIn = f.integer("coarse_in", 0, 1, kMaxFactor);
    d.coarseOut = f.integer("coarse_out", 0, 1, kMaxFactor);
    d.fine = f.integer("fine", 0, 1, kMaxFactor);
    d.coarseGroup = f.integer("coarse_group", 0, 1, kMaxFactor);
    d.coarse = f.integer("coarse", 0, 1, kMaxFactor);
    f.rejectUnknownKeys();
    const bool convStyle = d.coarseIn || d.coarseOut || d.fine || d.coarseGroup;
    if (convStyle && d.coarse)
        failAt(node, "the folding of '" + layer +
                         "' gives both coarse and coarse_in/coarse_out/fine/coarse_group; "
                         "conv and fc layers take the latter, other layers only coarse");
    return d;
}

StreamingPrecision readPrecision(const YAML::Node& node) {
    YamlFields f(node, "precision_model");
    StreamingPrecision p;
    p.data = f.integer("data", 0, 1, 64);
    p.weights = f.integer("weights", 0, 1, 64);
    p.accumulator = f.integer("accumulator", 0, 1, 128);
    f.rejectUnknownKeys();
    return p;
}

bool namesDesign(const YamlFields& f) {
    return f.has("partitions") || f.has("folding");
}

void read(YamlFields& f, AcceleratorSpec& spec) {
    StreamingSpec& s = std::get<StreamingSpec>(spec.family);
    s.pos = f.pos();
    if (spec.autoSize && namesDesign(f))
        failAt(f.node(f.has("partitions") ? "partitions" : "folding"),
               "auto: true chooses partitions and folding; remove them or set auto: false");
    s.portWidth = f.integer("port_width", 0, 8, 4096);
    if (f.has("reconfiguration_ms"))
        s.reconfigurationMs = f.number("reconfiguration_ms", 0, 0, 1e6);
    s.charge = f.oneOf("reconfiguration_charge", "per_partition",
                       {"per_partition", "per_switch"}) == "per_switch"
                   ? ReconfigurationCharge::PerSwitch
                   : ReconfigurationCharge::PerPartition;
    YAML::Node parts = f.node("partitions");
    if (parts.IsDefined() && !parts.IsNull()) {
        s.partitionsPos = positionOf(parts);
        if (!parts.IsSequence() || parts.size() == 0)
            failAt(parts, "partitions must be a non-empty list of {layers: [...]}");
        for (std::size_t i = 0; i < parts.size(); ++i)
            s.partitions.push_back(readPartition(parts[i], i));
    }
    YAML::Node folding = f.node("folding");
    if (folding.IsDefined() && !folding.IsNull()) {
        if (!folding.IsMap())
            failAt(folding, "folding must map layer names to their folding");
        for (auto entry : folding) {
            const std::string layer = scalarString(entry.first, "a layer name");
            if (s.findFolding(layer))
                failAt(entry.first, "the folding of '" + layer + "' is given twice");
            s.folding.push_back(readFolding(layer, entry.first, entry.second));
        }
    }
    YAML::Node precision = f.node("precision_model");
    if (precision.IsDefined() && !precision.IsNull())
        s.precision = readPrecision(precision);
}

// A fixed design without partitions is one partition with folding 1 where none is given:
// nothing is missing.
void checkFixed(const YAML::Node&, const AcceleratorSpec&) {}

void writeFolding(YAML::Emitter& out, const StreamingFolding& d) {
    out << YAML::Key << d.layer << YAML::Value << YAML::Flow << YAML::BeginMap;
    const std::pair<const char*, int> fields[] = {{"coarse_in", d.coarseIn},
                                                  {"coarse_out", d.coarseOut},
                                                  {"fine", d.fine},
                                                  {"coarse_group", d.coarseGroup},
                                                  {"coarse", d.coarse}};
    for (const auto& [key, value] : fields)
        if (value > 0)
            out << YAML::Key << key << YAML::Value << value;
    out << YAML::EndMap;
}

void writePrecision(YAML::Emitter& out, const StreamingPrecision& p) {
    if (p == StreamingPrecision{})
        return;
    out << YAML::Key << "precision_model" << YAML::Value << YAML::Flow << YAML::BeginMap;
    const std::pair<const char*, int> fields[] = {
        {"data", p.data}, {"weights", p.weights}, {"accumulator", p.accumulator}};
    for (const auto& [key, value] : fields)
        if (value > 0)
            out << YAML::Key << key << YAML::Value << value;
    out << YAML::EndMap;
}

void write(YAML::Emitter& out, const AcceleratorSpec& spec) {
    const StreamingSpec& s = std::get<StreamingSpec>(spec.family);
    if (s.portWidth > 0)
        out << YAML::Key << "port_width" << YAML::Value << s.portWidth;
    if (s.reconfigurationMs)
        out << YAML::Key << "reconfiguration_ms" << YAML::Value << yamlNumber(*s.reconfigurationMs);
    if (s.charge != ReconfigurationCharge::PerPartition)
        out << YAML::Key << "reconfiguration_charge" << YAML::Value
            << reconfigurationChargeName(s.charge);
    if (!s.partitions.empty()) {
        out << YAML::Key << "partitions" << YAML::Value << YAML::BeginSeq;
        for (const StreamingPartitionSpec& p : s.partitions) {
            out << YAML::Flow << YAML::BeginMap;
            out << YAML::Key << "layers" << YAML::Value << YAML::Flow << p.layers;
            if (p.weightsReloading != 1)
                out << YAML::Key << "weights_reloading" << YAML::Value << p.weightsReloading;
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    if (!s.folding.empty()) {
        out << YAML::Key << "folding" << YAML::Value << YAML::BeginMap;
        for (const StreamingFolding& d : s.folding)
            writeFolding(out, d);
        out << YAML::EndMap;
    }
    writePrecision(out, s.precision);
}

std::vector<std::string> designFields(const AcceleratorSpec& spec) {
    const StreamingSpec& s = std::get<StreamingSpec>(spec.family);
    std::vector<std::string> fields;
    if (!s.partitions.empty())
        fields.push_back("partitions");
    if (!s.folding.empty())
        fields.push_back("folding");
    return fields;
}

} // namespace

AcceleratorFormat streamingAcceleratorFormat() {
    return {"streaming", [] { return FamilySpec{StreamingSpec{}}; },
            namesDesign, read,
            checkFixed,  write,
            designFields};
}

} // namespace codesign
