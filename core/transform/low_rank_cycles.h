#pragma once

// Judging a low-rank decomposition on the project's architecture (docs/transforms.md): each
// layer's cycles on the design the estimator gives the original network, against its two
// factors' cycles on the same design, fixed.
#include "core/estimate/design_estimate.h"
#include "core/model/graph.h"
#include "core/model/project.h"
#include "core/util/result.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace codesign::transform {

struct FactorCycles {
    std::map<int, std::int64_t> before; // decomposed node of the original -> its cycles
    std::map<int, std::int64_t> after;  // the same node -> its two factors' cycles
};

// `original` is estimateDesign() of the project, whose graph is `before`; `rewritten` is the
// project with each node of `decomposed` (indices into `before`, ascending) replaced in
// place by two layers.
Result<FactorCycles> factorCycles(const DesignEstimate& original, const Graph& before,
                                  const Project& rewritten, const std::vector<int>& decomposed);

// The accelerator spec for the rewritten graph: what a streaming design names by layer
// (folding, partitions) moved to the new names; a decomposed layer's two factors both take
// its folding (not its fine or coarse_group where their window or grouping differs).
AcceleratorSpec specForRewritten(AcceleratorSpec spec, const Graph& before, const Graph& after,
                                 const std::vector<int>& decomposed);

// The channels a streaming design moves in parallel into and out of layer `name` (its
// coarse_in and coarse_out; 1 and 1 for other families), so that a rank can be padded to
// them.
std::pair<int, int> streamingCoarse(const DesignEstimate& original, const std::string& name);

} // namespace codesign::transform
