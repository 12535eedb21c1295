#pragma once

// An architecture-neutral estimate (DESIGN.md section 2): totals, resources, power,
// bottleneck and violations, a row per stage and per layer with cycles and time, and the
// family's own detail by value (undo snapshots and the search copy it).
#include "../hw/resources.h"
#include "host_time.h"
#include "streaming/streaming_detail.h"
#include "tiled/tiled_detail.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace codesign {

// One step of the design's execution: a group of the tiled accelerator, a partition of a
// streaming one, a layer of a systolic array. Stages run one after another.
struct StageEstimate {
    std::string name;
    int firstNode = 0; // the graph's nodes [firstNode, lastNode] it runs
    int lastNode = 0;
    std::int64_t cycles = 0; // per batch
    double timeMs = 0;
};

// One layer: its own time (its share of its stage) and the resources of what runs it.
struct LayerEstimate {
    int node = 0;
    std::string_view unit;   // what runs it, in the family's words ("pw", "dw", "pool", ...)
    std::int64_t cycles = 0; // per batch
    double timeMs = 0;
    std::int64_t dsp = 0;    // DSP of the unit it runs on (shared units: not additive)
    std::int64_t bram18 = 0; // BRAM18 of its buffers
};

using EstimateDetail = std::variant<TiledDetail, StreamingDetail>;

struct Estimate {
    double clockMhz = 0;
    int batch = 1;
    bool autoSized = false;
    Resources used;
    Resources available;
    double fps = 0;
    double latencyMs = 0;       // one batch, end to end on the accelerator
    double computeBoundFps = 0; // the same design if memory were free
    // 1 - compute-bound time / time: the share of the time the units wait for memory
    double memoryBoundFraction = 0;
    double ddrGBps = 0; // DDR bandwidth the design achieves (bytes moved / time)
    double energyPerImageMj = 0;
    // The whole system: the processor's work per frame (host_model.h) after the
    // accelerator's; `fps` is the accelerator's alone.
    HostTime host;
    double fpsSystem = 0;
    std::int64_t cycles = 0; // per batch
    std::int64_t ddrBytesPerImage = 0;
    std::int64_t macs = 0; // per image
    std::int64_t params = 0;
    PowerBreakdown power;
    double powerW = 0;
    bool feasible = true;
    std::vector<std::string> violations;
    std::string bottleneck;
    std::vector<StageEstimate> stages; // detailed estimates only
    std::vector<LayerEstimate> layers; // detailed estimates only
    EstimateDetail detail;
};

} // namespace codesign
