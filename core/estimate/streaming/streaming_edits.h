#pragma once

// Editing one layer's folding of an estimated streaming design (the studio's property
// panel): the design the estimate holds becomes the project's fixed design, then the layer's
// folding changes. Checks (a factor that does not divide, a `fine` the kernel does not allow)
// are the estimator's, so a bad value shows as the estimate's error naming the layer.
#include "../../model/graph.h"
#include "../../model/project.h"
#include "../estimate.h"

#include <optional>
#include <string>

namespace codesign {

// The node name the reports give the single layer of network entry `entry` (the folding's
// key); empty when the entry is a bundle instance or not in the graph.
std::string singleLayerName(const Graph& graph, int entry);

// The folding the estimated streaming design gives `layer`; nullopt when the estimate is of
// another family or has no folding for it.
std::optional<StreamingFolding> streamingFoldingOf(const EstimateDetail& design,
                                                   const std::string& layer);

// The folding of `layer` now: as the project writes it when its streaming design is fixed
// (an edit whose estimate has not arrived yet counts), else as the estimate has it.
std::optional<StreamingFolding> currentStreamingFolding(const Project& project,
                                                        const EstimateDetail& design,
                                                        const std::string& layer);

// The project with `folding` (by its layer name) replacing that layer's folding; a project
// whose design is not fixed (auto: true) first gets the estimated design as its fixed one.
Project withStreamingFolding(Project project, const Graph& graph, const EstimateDetail& design,
                             const StreamingFolding& folding);

} // namespace codesign
