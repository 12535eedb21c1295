#pragma once

// What a streaming (fpgaConvNet-style) estimate says beyond the architecture-neutral totals
// (core/estimate/estimate.h): the design, its partitions and a row per hardware layer and
// squeeze, with the names the reports print (the prepared network does not outlive the
// estimate, so the names travel with it).
#include "../../model/streaming_spec.h"
#include "streaming_design.h"
#include "streaming_estimate.h"

#include <cstdint>
#include <string>
#include <vector>

namespace codesign {

// The settings a design ran with, resolved from the spec and the device.
struct StreamingRunSettings {
    int portWidth = 0; // bits
    double bandwidthGbps = 0;
    double reconfigurationMs = 0; // one reconfiguration
    ReconfigurationCharge charge = ReconfigurationCharge::PerPartition;
    int batch = 1;
    double clockMhz = 0;
};

struct StreamingDetail {
    StreamingDesign design;            // folding per hardware layer, partitions as ranges
    StreamingSpec fixed;               // the same design as the project writes it (by layer name)
    StreamingEstimate estimate;        // partitions always; `layers` rows for detailed estimates
    std::vector<std::string> rowNames; // per estimate.layers row (a squeeze: "a_squeeze_b")
    std::vector<std::string> rowOps;   // the layer's op, "squeeze" for squeezes
    std::vector<int> rowNodes;         // the graph node of a row, -1 (squeeze, added split)
    StreamingRunSettings settings;
    std::string optimiser;        // auto: the method that chose the design ("descent")
    std::int64_t evaluations = 0; // auto: partition evaluations it took
};

} // namespace codesign
