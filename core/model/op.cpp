#include "op.h"

#include <array>
#include <utility>

namespace codesign {
namespace {

constexpr std::array<std::pair<Op, std::string_view>, 16> kNames{{
    {Op::Conv, "conv"},
    {Op::DwConv, "dwconv"},
    {Op::PwConv, "pwconv"},
    {Op::Fuse, "fuse"},
    {Op::MaxPool, "maxpool"},
    {Op::AvgPool, "avgpool"},
    {Op::GlobalAvgPool, "global_avgpool"},
    {Op::Relu, "relu"},
    {Op::Relu6, "relu6"},
    {Op::Bn, "bn"},
    {Op::Fc, "fc"},
    {Op::Add, "add"},
    {Op::Concat, "concat"},
    {Op::Reorg, "reorg"},
    {Op::Upsample, "upsample"},
    {Op::BboxHead, "bbox_head"},
}};

constexpr std::array<Op, 16> kAll = [] {
    std::array<Op, 16> ops{};
    for (std::size_t i = 0; i < kNames.size(); ++i)
        ops[i] = kNames[i].first;
    return ops;
}();

} // namespace

std::string_view opName(Op op) {
    for (const auto& [o, name] : kNames)
        if (o == op)
            return name;
    return "?";
}

std::optional<Op> opFromName(std::string_view name) {
    for (const auto& [o, n] : kNames)
        if (n == name)
            return o;
    return std::nullopt;
}

std::span<const Op> allOps() {
    return kAll;
}

bool opHasWeights(Op op) {
    switch (op) {
    case Op::Conv:
    case Op::DwConv:
    case Op::PwConv:
    case Op::Fuse:
    case Op::Fc:
        return true;
    default:
        return false;
    }
}

bool opIsMultiInput(Op op) {
    return op == Op::Add || op == Op::Concat;
}

bool opRunsOnHost(Op op) {
    return op == Op::BboxHead;
}

} // namespace codesign
