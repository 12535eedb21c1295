#pragma once

// `codesign transform --low-rank --data DIR | --synthetic N`: the loss gradients the Taylor
// rank selection reads, from the training plugin (docs/transforms.md, "Ranks from the loss").
#include "cli_args.h"
#include "core/model/graph.h"
#include "core/reference/weight_set.h"
#include "core/transform/taylor_ranks.h"
#include "core/util/result.h"

namespace codesign::cli {

// True when args ask for gradients.
bool wantsGradients(const Args& args);

// dL/dW per layer and batch for the float network with `weights`, on --data DIR (at most
// --max-images of them, 64 by default) or --synthetic N images; progress on stderr. Errors
// (no trainer in this build, the data) are the user's to fix.
Result<transform::LayerGradients> gradientsFromTrainer(const Args& args, const Graph& graph,
                                                       const reference::WeightSet& weights);

} // namespace codesign::cli
