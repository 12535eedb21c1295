#pragma once

namespace codesign {

// Where a layer runs (docs/estimator.md, "Systolic arrays: what runs where").
enum class SystolicUnit {
    Array,     // conv, pwconv, fc: GEMMs
    Depthwise, // dwconv (and grouped conv with one channel per group): a GEMM per channel
    Fuse,      // fuse: its 1xK and Kx1 branches, on rows (fuse_rows) or as depthwise GEMMs
    Vector,    // pools, add, unfused activations: the vector unit at the array's edge
    Fused,     // relu, relu6, bn after an array layer: in the output path, free
    Free,      // concat, reorg, upsample: address remapping, no cycles
    Host,      // bbox_head: on the processor
};
const char* systolicUnitName(SystolicUnit unit);

} // namespace codesign
