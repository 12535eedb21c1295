#include "streaming_edits.h"

#include "../design_estimate.h"
#include "streaming_detail.h"

namespace codesign {

std::string singleLayerName(const Graph& graph, int entry) {
    const std::string group = "L" + std::to_string(entry + 1); // graph.cpp's groupName('L')
    for (const ExecGroup& g : graph.groups)
        if (g.name == group && g.bundle.empty() && g.first == g.last &&
            std::size_t(g.first) < graph.nodes.size())
            return graph.nodes[std::size_t(g.first)].name;
    return {};
}

std::optional<StreamingFolding> streamingFoldingOf(const EstimateDetail& design,
                                                   const std::string& layer) {
    const auto* d = std::get_if<StreamingDetail>(&design);
    if (!d || layer.empty())
        return std::nullopt;
    if (const StreamingFolding* f = d->fixed.findFolding(layer))
        return *f;
    return std::nullopt;
}

namespace {

bool fixedStreaming(const Project& project) {
    return !project.accelerator.autoSize &&
           std::holds_alternative<StreamingSpec>(project.accelerator.family);
}

} // namespace

std::optional<StreamingFolding> currentStreamingFolding(const Project& project,
                                                        const EstimateDetail& design,
                                                        const std::string& layer) {
    if (fixedStreaming(project))
        if (const StreamingFolding* f =
                std::get<StreamingSpec>(project.accelerator.family).findFolding(layer))
            return *f;
    return streamingFoldingOf(design, layer);
}

Project withStreamingFolding(Project project, const Graph& graph, const EstimateDetail& design,
                             const StreamingFolding& folding) {
    if (!fixedStreaming(project))
        project = withFixedDesign(std::move(project), graph, design);
    auto* spec = std::get_if<StreamingSpec>(&project.accelerator.family);
    if (!spec)
        return project;
    if (StreamingFolding* f = spec->findFolding(folding.layer)) {
        const SourcePos pos = f->pos;
        *f = folding;
        f->pos = pos;
    } else {
        spec->folding.push_back(folding);
    }
    return project;
}

} // namespace codesign
