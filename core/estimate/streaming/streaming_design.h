#pragma once

// A streaming design in the form the estimator and the optimiser use: a folding per
// hardware layer and partitions as ranges of hardware layers. Converts from and to the
// project's `accelerator:` section, with its checks (positions in the messages).
#include "../../model/streaming_spec.h"
#include "../../util/result.h"
#include "streaming_estimate.h"
#include "streaming_layer_model.h"
#include "streaming_network.h"

#include <string>
#include <vector>

namespace codesign {

struct StreamingDesign {
    std::vector<LayerFolding> folding;          // per hardware layer
    std::vector<StreamingPartition> partitions; // ranges covering every layer, in order
    friend bool operator==(const StreamingDesign&, const StreamingDesign&) = default;
};

// One partition, folding 1 everywhere (fpgaConvNet's starting point).
StreamingDesign defaultStreamingDesign(const HwNetwork& net);

// The design a fixed spec names. Errors: unknown layer names, a folding that does not divide
// or a fine not allowed for the kernel, a layer in two partitions or in none, partitions out
// of network order or cut where two tensors cross, a weights reloading that does not divide.
Result<StreamingDesign> streamingDesignFromSpec(const HwNetwork& net, const StreamingSpec& spec);

// The same checks for a design built in code (the optimiser's, a test's); messages name the
// layer or the partition.
Status checkStreamingDesign(const HwNetwork& net, const StreamingDesign& design);

// Writes the design into `spec` (partitions, the foldings that are not all 1).
void streamingDesignToSpec(const HwNetwork& net, const StreamingDesign& design,
                           StreamingSpec& spec);

// What is wrong with a layer's folding on the given shape, or an empty string.
std::string foldingProblem(const HwLayer& layer, const LayerShape& shape,
                           const LayerFolding& folding);

// The folding values a layer may take (factors; fine: factors of Kh*Kw).
std::vector<int> divisorsOf(int n);

} // namespace codesign
