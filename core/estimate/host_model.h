#pragma once

// The processor's work per frame around the accelerator (docs/estimator.md, "Host"): decode
// and resize the image, pack it into the input buffer, keep the caches coherent with the
// accelerator's DDR, start it and wait (register accesses), and run the host's layers
// (bbox_head) on what it wrote. The exported driver does these one after another, so the
// system's frame time is the accelerator's plus the host's.
#include "../hw/device.h"
#include "../model/graph.h"
#include "host_time.h"

#include <cstdint>

namespace codesign {

// What the processor handles per frame, counted from the network.
struct HostWork {
    std::int64_t sourcePixels = 0; // the image before resize (decoded)
    std::int64_t resizePixels = 0; // the network's input, when it differs from the image
    std::int64_t inputValues = 0;  // ... times its channels (quantized and packed)
    std::int64_t cacheBytes = 0;   // flushed (the input) and invalidated (what the host reads)
    std::int64_t postValues = 0;   // read by the host's layers (bbox_head's confidences twice)
    int accesses = 0;              // register accesses of one accelerator run
};

// Register accesses of one run of the exported driver's start(): three 64-bit addresses
// (two words each), two scalars, ap_start, and at least one read of ap_done.
inline constexpr int kDriverAccesses = 3 * 2 + 2 + 1 + 1;

HostWork hostWorkOf(const Graph& graph);
HostTime hostTime(const ProcessorModel& processor, const HostWork& work);
// Frames per second of the whole system: the accelerator's frame time plus the host's.
double systemFps(double acceleratorFps, const HostTime& host);

} // namespace codesign
