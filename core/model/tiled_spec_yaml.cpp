// The tiled bundle accelerator's keys of `accelerator:` (docs/project-format.md).
#include "accelerator_formats.h"

namespace codesign {
namespace {

constexpr int kMaxDim = 1'000'000;

// [rows, cols] of `key`, into the two ints; absent: left as they are.
void readPair(YamlFields& f, std::string_view key, int& rows, int& cols) {
    const YAML::Node t = f.node(key);
    if (!t.IsDefined())
        return;
    const std::string what(key);
    if (!t.IsSequence() || t.size() != 2)
        failAt(t, what + " must be [rows, cols]");
    rows = scalarInteger(t[0], what + " rows", 1, kMaxDim);
    cols = scalarInteger(t[1], what + " cols", 1, kMaxDim);
}

std::vector<GroupTileSpec> readGroupTiles(const YAML::Node& t) {
    std::vector<GroupTileSpec> tiles;
    if (!t.IsDefined())
        return tiles;
    if (!t.IsMap())
        failAt(t, "group_tiles must map group names to [rows, cols]");
    rejectDuplicateKeys(t, "group_tiles");
    for (auto entry : t) {
        GroupTileSpec g;
        g.group = entry.first.as<std::string>();
        g.pos = positionOf(entry.first);
        if (!entry.second.IsSequence() || entry.second.size() != 2)
            failAt(entry.second, "the tile of group '" + g.group + "' must be [rows, cols]");
        g.rows = scalarInteger(entry.second[0], "group tile rows", 1, kMaxDim);
        g.cols = scalarInteger(entry.second[1], "group tile cols", 1, kMaxDim);
        tiles.push_back(std::move(g));
    }
    return tiles;
}

bool namesDesign(const YamlFields& f) {
    return f.has("pw_in") || f.has("pw_out") || f.has("dw_parallel") || f.has("tile") ||
           f.has("tile_grid") || f.has("channel_block");
}

void read(YamlFields& f, AcceleratorSpec& spec) {
    TiledSpec& a = std::get<TiledSpec>(spec.family);
    a.pwIn = f.integer("pw_in", 0, 1, 4096);
    a.pwOut = f.integer("pw_out", 0, 1, 4096);
    a.dwParallel = f.integer("dw_parallel", 0, 1, 4096);
    readPair(f, "tile", a.tileRows, a.tileCols);
    readPair(f, "tile_grid", a.tileGridRows, a.tileGridCols);
    if (a.tileRows > 0 && a.tileGridRows > 0)
        failAt(f.node("tile_grid"), "give either tile or tile_grid, not both");
    a.groupTiles = readGroupTiles(f.node("group_tiles"));
    a.doubleBuffer = f.boolean("double_buffer", true);
    a.channelBlock = f.integer("channel_block", 0, 1, 4096);
}

void checkFixed(const YAML::Node& node, const AcceleratorSpec& spec) {
    const TiledSpec& a = std::get<TiledSpec>(spec.family);
    for (auto [key, value] : {std::pair{"pw_in", a.pwIn}, std::pair{"pw_out", a.pwOut}})
        if (value == 0)
            failAt(node, std::string("missing the field '") + key +
                             "' in accelerator (or set auto: true)");
    if (a.tileRows == 0 && a.tileGridRows == 0)
        failAt(node, "missing the field 'tile' in accelerator (or tile_grid, or auto: true)");
    // The PW unit takes pw_in channels a cycle, so a block is a whole number of its steps.
    if (a.channelBlock > 0 && a.channelBlock % a.pwIn != 0)
        failAt(node, "channel_block (" + std::to_string(a.channelBlock) +
                         ") must be a multiple of pw_in (" + std::to_string(a.pwIn) + ")");
}

void writeRowsCols(YAML::Emitter& out, int rows, int cols) {
    out << YAML::Flow << YAML::BeginSeq << rows << cols << YAML::EndSeq;
}

void writePair(YAML::Emitter& out, const char* key, int rows, int cols) {
    out << YAML::Key << key << YAML::Value;
    writeRowsCols(out, rows, cols);
}

void write(YAML::Emitter& out, const AcceleratorSpec& spec) {
    const TiledSpec& a = std::get<TiledSpec>(spec.family);
    if (a.pwIn > 0)
        out << YAML::Key << "pw_in" << YAML::Value << a.pwIn;
    if (a.pwOut > 0)
        out << YAML::Key << "pw_out" << YAML::Value << a.pwOut;
    if (a.dwParallel > 0)
        out << YAML::Key << "dw_parallel" << YAML::Value << a.dwParallel;
    if (a.tileRows > 0)
        writePair(out, "tile", a.tileRows, a.tileCols);
    if (a.tileGridRows > 0)
        writePair(out, "tile_grid", a.tileGridRows, a.tileGridCols);
    if (!a.groupTiles.empty()) {
        out << YAML::Key << "group_tiles" << YAML::Value << YAML::Flow << YAML::BeginMap;
        for (const GroupTileSpec& g : a.groupTiles) {
            out << YAML::Key << g.group << YAML::Value;
            writeRowsCols(out, g.rows, g.cols);
        }
        out << YAML::EndMap;
    }
    if (!a.doubleBuffer)
        out << YAML::Key << "double_buffer" << YAML::Value << false;
    if (a.channelBlock > 0)
        out << YAML::Key << "channel_block" << YAML::Value << a.channelBlock;
}

std::string pairText(int a, int b) {
    return "[" + std::to_string(a) + ", " + std::to_string(b) + "]";
}

std::vector<std::string> designFields(const AcceleratorSpec& spec) {
    const TiledSpec& a = std::get<TiledSpec>(spec.family);
    std::vector<std::string> fields;
    if (a.pwIn > 0)
        fields.push_back("pw_in: " + std::to_string(a.pwIn));
    if (a.pwOut > 0)
        fields.push_back("pw_out: " + std::to_string(a.pwOut));
    if (a.dwParallel > 0)
        fields.push_back("dw_parallel: " + std::to_string(a.dwParallel));
    if (a.tileRows > 0)
        fields.push_back("tile: " + pairText(a.tileRows, a.tileCols));
    if (a.tileGridRows > 0)
        fields.push_back("tile_grid: " + pairText(a.tileGridRows, a.tileGridCols));
    if (!a.groupTiles.empty())
        fields.push_back("group_tiles");
    if (a.channelBlock > 0)
        fields.push_back("channel_block: " + std::to_string(a.channelBlock));
    return fields;
}

} // namespace

AcceleratorFormat tiledAcceleratorFormat() {
    return {
        "tiled",     [] { return FamilySpec{TiledSpec{}}; }, namesDesign, read, checkFixed, write,
        designFields};
}

} // namespace codesign
