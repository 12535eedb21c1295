#include "channel_blocking.h"

#include "../../util/int_math.h"

#include <algorithm>
#include <numeric>

namespace codesign {
namespace {

// The prefix layers channel blocking runs per block: one channel in, the same channel out.
bool channelwise(const Node& n, Unit unit) {
    switch (unit) {
    case Unit::Dw:
        return n.op == Op::DwConv;
    case Unit::Pool:
        return n.op == Op::MaxPool || n.op == Op::AvgPool || n.op == Op::Relu ||
               n.op == Op::Relu6 || n.op == Op::Bn;
    default:
        return false;
    }
}

bool reduction(const Node& n, const TiledNode& t) {
    return t.unit == Unit::Pw && !t.fc && (n.op == Op::Conv || n.op == Op::PwConv) && t.groups == 1;
}

} // namespace

int blockableReduction(const Graph& graph, const TiledMapping& mapping, const TiledModel& m,
                       int group) {
    const TiledGroup& g = m.groups[group];
    const MappedGroup& mg = mapping.groups[group];
    if (g.hostOnly || mg.sources.empty())
        return -1;
    int head = g.first;
    const Node& first = graph.nodes[head];
    // The group's first layer reads one tensor, from DDR (the group's first load), and
    // nothing else in the group reads that tensor.
    if (first.inputs.size() != 1 || mg.sources.front() != first.inputs.front())
        return -1;
    for (const HaloEdge& h : g.haloEdges)
        if (h.producer == -1 && h.consumer != head)
            return -1;
    while (true) {
        const Node& n = graph.nodes[head];
        const TiledNode& t = m.nodes[head];
        if (!t.head)
            return -1;
        if (reduction(n, t))
            return t.inC > 0 ? head : -1;
        if (!channelwise(n, t.unit))
            return -1;
        // Its (chain's) output feeds only the next layer of the group and is not stored.
        const int end = mapping.nodes[head].chainEnd;
        if (std::find(mg.stored.begin(), mg.stored.end(), end) != mg.stored.end())
            return -1;
        const std::vector<int>& readers = mapping.consumers[end];
        if (readers.size() != 1)
            return -1;
        const int next = readers.front();
        if (graph.nodes[next].group != group || graph.nodes[next].inputs.size() != 1)
            return -1;
        head = next;
    }
}

std::int64_t ChannelBlocks::laneBlocks(int lanes) const {
    lanes = std::max(1, lanes);
    const int last = channels - (inBlocks - 1) * block;
    return (inBlocks - 1) * ceilDiv(block, lanes) + ceilDiv(last, lanes);
}

UnitBlocks ChannelBlocks::unitBlocks(int node, int ch, int lanes) const {
    if (!prefix(node))
        return {ceilDiv(ch, std::max(1, lanes)), 1};
    return {outBlocks * laneBlocks(lanes), std::int64_t(outBlocks) * inBlocks};
}

std::int64_t ChannelBlocks::loadWords(int perWord) const {
    perWord = std::max(1, perWord);
    if (block % perWord == 0)
        return ceilDiv(channels, perWord);
    std::int64_t words = 0; // cs_load reads the whole words a block's channels touch
    for (int k = 0; k < inBlocks; ++k) {
        const int lo = k * block;
        const int hi = std::min(channels, lo + block);
        words += ceilDiv(hi, perWord) - lo / perWord;
    }
    return words;
}

ChannelBlocks channelBlocks(const TiledModel& m, const TiledGroup& g, const TiledConfig& c) {
    ChannelBlocks b;
    b.first = g.first;
    if (c.channelBlock <= 0 || g.blockReduction < 0)
        return b;
    const TiledNode& r = m.nodes[g.blockReduction];
    if (r.inC <= c.channelBlock)
        return b; // one block: the group runs on whole tensors
    b.reduction = g.blockReduction;
    b.channels = r.inC;
    b.block = c.channelBlock;
    b.inBlocks = static_cast<int>(ceilDiv(r.inC, c.channelBlock));
    b.outBlocks = static_cast<int>(ceilDiv(r.outC, std::max(1, c.pwOut)));
    return b;
}

int blockCandidate(const TiledModel& m, int pwIn) {
    int widest = 0; // the most input channels of a blockable group's reduction
    for (const TiledGroup& g : m.groups)
        if (g.blockReduction >= 0)
            widest = std::max(widest, m.nodes[g.blockReduction].inC);
    const int perWord = std::max(1, m.device.memory.axiPortBits / std::max(1, m.actContainer));
    const int smallest = std::lcm(std::max(1, pwIn), perWord);
    return smallest < widest ? smallest : 0;
}

int blockedGroups(const TiledModel& m, const TiledConfig& c) {
    if (c.channelBlock <= 0)
        return 0;
    int count = 0;
    for (const TiledGroup& g : m.groups)
        count += channelBlocks(m, g, c).blocked() ? 1 : 0;
    return count;
}

} // namespace codesign
