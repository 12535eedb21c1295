#include "trained_weights.h"

#include "core/model/graph.h"
#include "core/qor/design_hash.h"
#include "core/qor/qor_cache.h"

#include <filesystem>

namespace codesign::hls {

Result<std::optional<reference::WeightSet>> cachedTrainedWeights(const std::string& projectPath,
                                                                 const Project& design) {
    using Found = std::optional<reference::WeightSet>;
    if (projectPath.empty())
        return Found();
    std::error_code ec;
    const std::string cachePath = projectDataDir(projectPath) + "/qor-cache.csv";
    if (!std::filesystem::exists(cachePath, ec)) // do not create a cache only to look into it
        return Found();
    Result<std::shared_ptr<QorCache>> cache = QorCache::open(cachePath);
    if (!cache.ok())
        return cache.error();
    Result<Graph> graph = buildGraph(design);
    if (!graph.ok())
        return graph.error();
    const std::optional<QorRecord> record = (*cache)->find(designHash(*graph));
    if (!record || record->value.weightsPath.empty())
        return Found();
    // Caches written before paths were stored relative to the cache may hold a path relative
    // to the directory the search ran in; the evaluator's standard place is tried then.
    std::string path = record->value.weightsPath;
    const std::string standard = projectDataDir(projectPath) + "/weights/" + record->hash + ".bin";
    if (!std::filesystem::exists(path, ec) && std::filesystem::exists(standard, ec))
        path = standard;
    Result<reference::WeightSet> set = reference::readWeightSetFile(path);
    if (!set.ok()) {
        Diagnostic d = set.error();
        d.message += " (the QoR cache " + cachePath + " names it for this design)";
        return d;
    }
    return Found(std::move(set).value());
}

} // namespace codesign::hls
