#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace codesign {

// The layer vocabulary. Adding an op means: a name here, a shape rule in shape_rules.cpp,
// a mapping in the estimators, and a line in docs/project-format.md.
enum class Op {
    Conv,
    DwConv,
    PwConv,
    Fuse,
    MaxPool,
    AvgPool,
    GlobalAvgPool,
    Relu,
    Relu6,
    Bn,
    Fc,
    Add,
    Concat,
    Reorg,
    Upsample,
    BboxHead,
};

std::string_view opName(Op op);
std::optional<Op> opFromName(std::string_view name);
std::span<const Op> allOps();

// Ops with weights and multipliers (they set DSP use and take a weight precision).
bool opHasWeights(Op op);
// Ops that take several inputs (add, concat).
bool opIsMultiInput(Op op);
// Ops the processor runs on the accelerator's output (bbox_head picks the box).
bool opRunsOnHost(Op op);

} // namespace codesign
