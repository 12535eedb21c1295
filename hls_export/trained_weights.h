#pragma once

// Which weights an export carries (docs/export.md, "Weights"): the trained weights the QoR
// cache beside the project names for this design, when there are any.
#include "core/model/project.h"
#include "core/reference/weight_set.h"
#include "core/util/result.h"

#include <optional>
#include <string>

namespace codesign::hls {

// Looks `design` up by its design hash in <projectPath's data dir>/qor-cache.csv (written by
// the torch QoR evaluator) and reads the weights file the record names. Nothing when there
// is no cache, no record or no weights; an error when the named file cannot be read (an
// export must not silently fall back to seeded weights). Creates nothing.
Result<std::optional<reference::WeightSet>> cachedTrainedWeights(const std::string& projectPath,
                                                                 const Project& design);

} // namespace codesign::hls
