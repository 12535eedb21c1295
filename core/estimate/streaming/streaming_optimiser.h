#pragma once

// `auto: true` for the streaming family: three optimisers that choose partitions, folding and
// weights reloading under the resource cap, each reporting the throughput it reaches and the
// time it took (docs/estimator.md, "Streaming: the optimisers").
//  - annealing: fpgaConvNet's simulated annealing (fpgaconvnet-optimiser
//    solvers/simulated_annealing.py), its defaults and its transforms;
//  - greedy: fpgaConvNet's greedy partitioner (solvers/greedy_partition.py), without its
//    off-chip streaming of weights and line buffers (our designs keep them on chip);
//  - descent: ours: the best partition boundaries by dynamic programming over the cuts, each
//    partition folded by coordinate descent that always relieves its slowest layer.
#include "../../util/run_control.h"
#include "streaming_estimator.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace codesign {

enum class StreamingMethod { Annealing, Greedy, Descent };

const char* streamingMethodName(StreamingMethod method); // "annealing", "greedy", "descent"

struct StreamingOptimiserOptions {
    double resourceCap = 0.9; // every partition keeps DSP, BRAM18, LUT, FF <= cap x device
    std::uint64_t seed = 1;   // annealing only
    // descent only, the search's quick sizing: when the whole network fits on the device at
    // folding 1, fold it as one partition and skip the search over partition boundaries
    // (one partition pays no reconfiguration, so it is nearly always the best then).
    bool onePartitionWhenItFits = false;
    RunControl* control = nullptr;
};

struct StreamingOptimiserResult {
    StreamingMethod method = StreamingMethod::Descent;
    StreamingDesign design;
    bool feasible = false; // every partition under the cap
    double fps = 0;
    double latencyMs = 0;
    double seconds = 0;           // wall time of the whole run
    double secondsToBest = 0;     // when the returned design was first found
    std::int64_t evaluations = 0; // partition evaluations
};

StreamingOptimiserResult optimiseStreaming(const StreamingModel& model, StreamingMethod method,
                                           const StreamingOptimiserOptions& options = {});

// All three on the same model, in the order annealing, greedy, descent.
std::vector<StreamingOptimiserResult>
compareStreamingOptimisers(const StreamingModel& model,
                           const StreamingOptimiserOptions& options = {});

// The methods (streaming_annealing.cpp, streaming_greedy.cpp, streaming_descent.cpp). Each
// returns its best design and calls `found` whenever it improves on the best so far.
class StreamingSpace;
using FoundBest = std::function<void()>;
StreamingDesign annealStreaming(const StreamingSpace& space, const StreamingOptimiserOptions& o,
                                const FoundBest& found);
StreamingDesign greedyStreaming(const StreamingSpace& space, const StreamingOptimiserOptions& o,
                                const FoundBest& found);
StreamingDesign descendStreaming(const StreamingSpace& space, const StreamingOptimiserOptions& o,
                                 const FoundBest& found);

} // namespace codesign
