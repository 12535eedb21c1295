#include "low_rank_edit.h"

#include "core/hw/device_library.h"
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/util/atomic_file.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace codesign {
namespace {

bool decomposable(const Node& n) {
    return (n.op == Op::Conv && n.groups == 1) || n.op == Op::PwConv;
}

// The graph groups (instances, single layers) of each network entry, in order.
std::vector<std::pair<int, int>> groupsOfEntries(const Project& project) {
    std::vector<std::pair<int, int>> ranges; // [first group, last group]
    int group = 0;
    for (const NetworkEntry& e : project.network) {
        const int n = e.isBundle ? std::max(1, e.repeat) : 1;
        ranges.emplace_back(group, group + n - 1);
        group += n;
    }
    return ranges;
}

// "<dir>/<stem>.lowrank<N>.weights.bin" with the first N no file has.
std::filesystem::path freshWeightsPath(const std::filesystem::path& old) {
    std::string stem = old.filename().string();
    for (const std::string suffix : {".weights.bin", ".bin"})
        if (stem.size() > suffix.size() && stem.ends_with(suffix)) {
            stem.resize(stem.size() - suffix.size());
            break;
        }
    if (const std::size_t lr = stem.rfind(".lowrank"); lr != std::string::npos)
        stem.resize(lr);
    for (int n = 1;; ++n) {
        const std::filesystem::path candidate =
            old.parent_path() / (stem + ".lowrank" + std::to_string(n) + ".weights.bin");
        std::error_code ec;
        if (!std::filesystem::exists(candidate, ec))
            return candidate;
    }
}

} // namespace

std::string lowRankUnavailableReason(const Project& project, const std::string& projectPath) {
    if (project.weights.empty())
        return "the project has no weights (import a model with File > Import, or name a "
               "weights file in the project): the low-rank transform decomposes real weights";
    const std::string path = projectWeightsPath(project, projectPath);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return "the project's weights file " + path + " does not exist";
    return {};
}

Result<std::map<std::string, int>> readRanksFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError("cannot read the ranks file " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return transform::parseRanks(text.str(), path);
}

namespace {

// The entry name of rows [first, last] of graph groups: "B4", "B2 to B3", "L12".
std::string entryName(const Graph& graph, std::pair<int, int> range) {
    const std::string& first = graph.groups[std::size_t(range.first)].name;
    return range.first == range.second
               ? first
               : first + " to " + graph.groups[std::size_t(range.second)].name;
}

// Calls `visit` on each decomposable layer of the graph groups in `range`.
template <class Visit>
void forEntryLayers(const Graph& graph, std::pair<int, int> range, Visit visit) {
    for (int g = range.first; g <= range.second; ++g) {
        const ExecGroup& group = graph.groups[std::size_t(g)];
        for (int i = group.first; i <= group.last; ++i)
            if (decomposable(graph.nodes[std::size_t(i)]))
                visit(graph.nodes[std::size_t(i)]);
    }
}

// The core's options for `settings`; `entries` gets the names of the entries it touches.
Result<transform::LowRankOptions> optionsFor(const Project& project, const Graph& graph,
                                             const std::vector<int>& rows,
                                             const LowRankSettings& settings,
                                             std::vector<std::string>& entries) {
    transform::LowRankOptions options;
    options.scheme = settings.scheme;
    options.devices = settings.byMacs ? nullptr : &DeviceLibrary::standard();
    const std::vector<std::pair<int, int>> ranges = groupsOfEntries(project);
    if (!settings.ranksFile.empty()) {
        Result<std::map<std::string, int>> ranks = readRanksFile(settings.ranksFile);
        if (!ranks.ok())
            return ranks.error();
        if (ranks->empty())
            return makeError(settings.ranksFile + ": names no layer");
        options.ranks = std::move(ranks).value();
        for (const auto& range : ranges) { // the entries holding a layer of the file
            bool named = false;
            forEntryLayers(graph, range,
                           [&](const Node& n) { named |= options.ranks.count(n.name) > 0; });
            if (named)
                entries.push_back(entryName(graph, range));
        }
        return options;
    }
    if (!(settings.budget > 0 && settings.budget < 1))
        return makeError("the OPs budget must be a fraction between 0 and 1 (exclusive)");
    options.opsBudget = settings.budget;
    for (const int row : std::set<int>(rows.begin(), rows.end())) {
        if (row < 0 || row >= int(ranges.size()))
            return makeError("no network entry " + std::to_string(row + 1));
        entries.push_back(entryName(graph, ranges[std::size_t(row)]));
        forEntryLayers(graph, ranges[std::size_t(row)],
                       [&](const Node& n) { options.layers.insert(n.name); });
    }
    if (options.layers.empty())
        return makeError("the selection has no conv with one group or pwconv: the low-rank "
                         "transform decomposes those");
    return options;
}

} // namespace

Result<LowRankEdit> lowRankEdit(const Project& project, const std::string& projectPath,
                                const std::vector<int>& rows, const LowRankSettings& settings) {
    if (const std::string why = lowRankUnavailableReason(project, projectPath); !why.empty())
        return makeError("Low-rank is unavailable: " + why);
    Result<Graph> graph = buildGraph(project);
    if (!graph.ok())
        return graph.error();
    LowRankEdit edit;
    Result<transform::LowRankOptions> options =
        optionsFor(project, *graph, rows, settings, edit.entries);
    if (!options.ok())
        return options.error();
    const std::string weightsPath = projectWeightsPath(project, projectPath);
    Result<reference::WeightSet> weights = reference::readWeightSetFile(weightsPath);
    if (!weights.ok())
        return weights.error();
    if (Status s = reference::checkWeightsFit(*weights, *graph); !s.ok())
        return makeError(weightsPath + ": " + s.error().format());
    Result<transform::LowRankResult> result =
        transform::lowRankTransform(project, *graph, *weights, *options);
    if (!result.ok())
        return result.error();

    std::string reverted;
    for (const transform::LowRankLayer& l : result->layers) {
        if (l.outcome == transform::LayerOutcome::Decomposed) {
            reverted.clear();
            break;
        }
        reverted += "\n  " + l.name + ": " + l.why;
    }
    if (!reverted.empty()) // nothing to change: no edit, no file
        return makeError("every selected conv was reverted (its two factors would not be "
                         "faster):" +
                         reverted);
    const std::filesystem::path fresh = freshWeightsPath(weightsPath);
    if (Status s = writeFileAtomic(fresh, reference::serializeWeightSet(result->weights)); !s.ok())
        return s.error();
    edit.weightsPath = fresh.string();
    edit.project = result->project;
    // The new file sits beside the old one: name it the way the project named the old one.
    const std::filesystem::path named(project.weights);
    edit.project.weights = (named.parent_path() / fresh.filename()).string();
    edit.result = std::move(*result);
    return edit;
}

} // namespace codesign
