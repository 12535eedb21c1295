#include "low_rank_edit.h"

#include "core/hw/device_library.h"
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/transform/low_rank_schemes.h"
#include "core/util/atomic_file.h"

#include <algorithm>
#include <filesystem>
#include <set>

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

Result<LowRankEdit> lowRankEdit(const Project& project, const std::string& projectPath,
                                const std::vector<int>& rows, double budget) {
    if (const std::string why = lowRankUnavailableReason(project, projectPath); !why.empty())
        return makeError("Low-rank is unavailable: " + why);
    if (!(budget > 0 && budget < 1))
        return makeError("the OPs budget must be a fraction between 0 and 1 (exclusive)");
    Result<Graph> graph = buildGraph(project);
    if (!graph.ok())
        return graph.error();
    const std::string weightsPath = projectWeightsPath(project, projectPath);
    Result<reference::WeightSet> weights = reference::readWeightSetFile(weightsPath);
    if (!weights.ok())
        return weights.error();
    if (Status s = reference::checkWeightsFit(*weights, *graph); !s.ok())
        return makeError(weightsPath + ": " + s.error().format());

    const std::vector<std::pair<int, int>> ranges = groupsOfEntries(project);
    transform::LowRankOptions options;
    options.scheme = "s1";                        // the ranks below are s1's
    options.devices = &DeviceLibrary::standard(); // judged on the project's design, as the CLI
    LowRankEdit edit;
    for (const int row : std::set<int>(rows.begin(), rows.end())) {
        if (row < 0 || row >= int(ranges.size()))
            return makeError("no network entry " + std::to_string(row + 1));
        const auto [firstGroup, lastGroup] = ranges[std::size_t(row)];
        const std::string& firstName = graph->groups[std::size_t(firstGroup)].name;
        edit.entries.push_back(firstGroup == lastGroup
                                   ? firstName
                                   : firstName + " to " +
                                         graph->groups[std::size_t(lastGroup)].name);
        for (int g = firstGroup; g <= lastGroup; ++g) {
            const ExecGroup& group = graph->groups[std::size_t(g)];
            for (int i = group.first; i <= group.last; ++i) {
                const Node& n = graph->nodes[std::size_t(i)];
                if (decomposable(n))
                    options.ranks[n.name] =
                        transform::schemeRankForBudget(transform::Scheme::S1, n, budget);
            }
        }
    }
    if (options.ranks.empty())
        return makeError("the selection has no conv with one group or pwconv: the low-rank "
                         "transform decomposes those");
    Result<transform::LowRankResult> result =
        transform::lowRankTransform(project, *graph, *weights, options);
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
