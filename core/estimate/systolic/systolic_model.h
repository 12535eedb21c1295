#pragma once

// What a network asks of the systolic accelerator, computed once per graph and device:
// every costing layer as GEMMs (SCALE-Sim's mapping), 1-D row jobs (FuSe) or vector work,
// with the bytes each moves. The estimator then only folds these onto an array.
#include "../../hw/device.h"
#include "../../model/graph.h"
#include "st_os.h"
#include "systolic_gemm.h"
#include "systolic_memory.h"
#include "systolic_unit.h"

#include <array>
#include <cstdint>
#include <vector>

namespace codesign {

// One branch of a fuse layer: as a depthwise GEMM per channel and as rows (ST-OS).
struct FuseBranch {
    GemmDims gemm;               // one channel, per image
    std::int64_t count = 0;      // channels
    RowJob rows;                 // all channels, per image (lines scale with the batch)
    std::int64_t ifmapBytes = 0; // per channel, per image
    std::int64_t ofmapBytes = 0;
};

struct SystolicWork {
    int node = 0;
    SystolicUnit unit = SystolicUnit::Free;
    GemmDims gemm;                        // one GEMM, per image (Array and Depthwise)
    std::int64_t count = 1;               // identical GEMMs: groups, or channels
    std::array<FuseBranch, 2> branches{}; // Fuse: 1 x K, then K x 1
    OperandBytes bytes;         // per GEMM, ifmap and ofmap per image (Vector: its input, output)
    std::int64_t vectorOps = 0; // Vector: element operations per image
    std::int64_t outputs = 0;   // Vector: output elements per image
    std::int64_t macs = 0;      // per image
};

struct SystolicModel {
    Device device;
    int weightBits = 8; // the array's one format: the widest over the layers
    int activationBits = 8;
    int accumulatorBits = 32;
    std::vector<SystolicWork> work; // one entry per graph node, in order
    std::vector<int> costing;       // indices into `work` of the layers that take cycles
    bool hasFuse = false;
    std::int64_t macs = 0; // per image
};

SystolicModel prepareSystolic(const Graph& graph, const Device& device);

} // namespace codesign
