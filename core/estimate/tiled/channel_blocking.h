#pragma once

// Input-channel blocking of a tiled group (`channel_block`; docs/estimator.md, "Channel
// blocking"): which groups can stream their input in blocks of channels through the PW
// unit, and what the blocks multiply in the group's unit calls, loads and buffers.
#include "tiled_config.h"
#include "tiled_mapping.h"
#include "tiled_model.h"

#include <cstdint>

namespace codesign {

// The group's reduction R when it can be blocked (its first PW-unit layer, a conv or pwconv
// with groups = 1, reached from its one DDR input through a chain of DW / pool layers whose
// tensors nothing else reads or stores); -1 otherwise. Independent of the configuration.
int blockableReduction(const Graph& graph, const TiledMapping& mapping, const TiledModel& model,
                       int group);

// A unit call's channel blocks (lane blocks of Pd or Tm channels) and its calls per tile.
struct UnitBlocks {
    std::int64_t blocks = 1;
    std::int64_t calls = 1;
};

// How one group runs under a configuration's `channel_block`.
struct ChannelBlocks {
    int first = 0;      // the group's first layer
    int reduction = -1; // R; -1: the group runs on whole tensors
    int channels = 0;   // C: R's input channels, the blocked tensors' channels
    int block = 0;      // b
    int inBlocks = 1;   // nb = ceil(C / b)
    int outBlocks = 1;  // ob = ceil(Cout_R / Tm)

    bool blocked() const { return reduction >= 0; }
    // A layer of the prefix (before R): it runs per (output block, input block).
    bool prefix(int node) const { return blocked() && node >= first && node < reduction; }
    // sum over the input blocks of ceil(c_k / lanes)
    std::int64_t laneBlocks(int lanes) const;
    // DW / pool call of `node` over `channels` in lane blocks of `lanes`.
    UnitBlocks unitBlocks(int node, int channels, int lanes) const;
    // PW calls of `node` per tile (its first weight block is fetched in the open each time).
    std::int64_t pwCalls(int node) const {
        return blocked() && node == reduction ? outBlocks * inBlocks : 1;
    }
    // How often a layer's weights, or the blocked input, are read per tile.
    int repeats(int node) const { return prefix(node) ? outBlocks : 1; }
    // Port words the blocked input's blocks read (whole words), summed over the blocks.
    std::int64_t loadWords(int perWord) const;
    // Channels a tensor keeps in the tile memory: a block for the blocked input (load 0)
    // and the prefix's outputs.
    int loadChannels(std::size_t load, int tensorChannels) const {
        return blocked() && load == 0 ? block : tensorChannels;
    }
    int nodeChannels(int node, int tensorChannels) const {
        return prefix(node) ? block : tensorChannels;
    }
};

ChannelBlocks channelBlocks(const TiledModel& model, const TiledGroup& group,
                            const TiledConfig& config);

// The block auto sizing tries with Tn = `pwIn` (docs/estimator.md, "Auto sizing"): the
// smallest multiple of Tn that fills whole port words (a smaller block saves more memory
// at the same traffic); 0 when no blockable group has more input channels.
int blockCandidate(const TiledModel& model, int pwIn);

// Groups of the design that run blocked (two loops more each in the control logic).
int blockedGroups(const TiledModel& model, const TiledConfig& config);

} // namespace codesign
