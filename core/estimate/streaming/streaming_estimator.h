#pragma once

// The streaming (fpgaConvNet-style) accelerator family: prepare once per network and device,
// then estimate any number of designs (docs/estimator.md, "Streaming").
//
//   Result<StreamingModel> m = prepareStreaming(graph, device, spec, file);
//   Result<StreamingDesign> d =                                          // a fixed design
//       streamingDesignFromSpec(m->net, std::get<StreamingSpec>(spec.family));
//   StreamingEstimate e = estimateStreaming(*m, *d);
//
// or, with `auto: true`, optimiseStreaming (streaming_optimiser.h) chooses the design.
#include "../../hw/device.h"
#include "../../model/accelerator_spec.h"
#include "../../model/graph.h"
#include "../../model/streaming_spec.h"
#include "streaming_design.h"
#include "streaming_estimate.h"
#include "streaming_network.h"
#include "streaming_partition.h"

#include <string>
#include <vector>

namespace codesign {

struct StreamingModel {
    HwNetwork net;
    StreamingSettings settings;
    Device device;
    std::int64_t macs = 0; // per image
    std::int64_t params = 0;
};

// Clock, port width, bandwidth and reconfiguration time: the spec's, else the device's
// `streaming:` defaults, else (docs/estimator.md) the device's AXI port, its DDR peak and
// fpgaConvNet's 82.55 ms.
StreamingSettings resolveStreamingSettings(const AcceleratorSpec& spec, const Device& device,
                                           const HwNetwork& net);

// Maps the graph onto streaming hardware. Errors name the layer.
Result<StreamingModel> prepareStreaming(const Graph& graph, const Device& device,
                                        const AcceleratorSpec& spec,
                                        const std::string& sourceFile = {});

// Reused buffers across estimates (the optimiser's inner loop).
struct StreamingScratch {
    PartitionScratch partition;
};

// Fills `out`; `detailed` adds the per-layer rows. Allocates nothing once `out` and the
// scratch have grown to the design's size.
void estimateStreamingInto(const StreamingModel& model, const StreamingDesign& design,
                           StreamingEstimate& out, bool detailed, StreamingScratch& scratch);

StreamingEstimate estimateStreaming(const StreamingModel& model, const StreamingDesign& design,
                                    bool detailed = true);

// Names for the rows (a squeeze: "<from>_squeeze_<to>", fpgaConvNet's naming) and their op
// ("squeeze" for squeeze layers, else the layer's op).
std::string streamingLayerName(const StreamingModel& model, const StreamingLayerEstimate& row);
std::string streamingLayerOp(const StreamingModel& model, const StreamingLayerEstimate& row);

// The bottleneck in words: "layer 'L5.conv' in partition 2 (interval 1,048,576 cycles)".
std::string describeStreamingBottleneck(const StreamingModel& model,
                                        const StreamingEstimate& estimate);

// Cycles of one batch to milliseconds at the model's clock.
double streamingCyclesToMs(const StreamingModel& model, double cycles);

} // namespace codesign
