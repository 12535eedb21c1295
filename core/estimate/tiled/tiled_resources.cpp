#include "tiled_resources.h"

#include "../../hw/bram_packing.h"
#include "../../hw/dsp_packing.h"
#include "../../hw/memory_model.h"
#include "channel_blocking.h"
#include "halo_memo.h"
#include "tile_geometry.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace codesign {

namespace {

// A group's tensors in the tile memory, its PW partial sums and its DW line buffer, from
// its need regions (MemoNeeds or HaloNeeds). A channel-blocked input and prefix keep a
// block of channels (docs/estimator.md, "Channel blocking").
template <class Needs>
GroupBuffers sumBuffers(const TiledModel& m, const TiledGroup& g, int banks, const Needs& needs,
                        const ChannelBlocks& blocking, std::int64_t* nodeWords) {
    GroupBuffers b;
    const std::size_t count = static_cast<std::size_t>(g.last - g.first + 1);
    for (std::size_t k = 0; k < g.loads.size(); ++k) {
        const TensorTransfer& t = g.loads[k];
        b.tileDepth += ceilDiv(blocking.loadChannels(k, t.channels), banks) *
                       needs.rows(count + k, t.height) * needs.cols(count + k, t.width);
    }
    for (int i = g.first; i <= g.last; ++i) {
        const TiledNode& n = m.nodes[i];
        if (!n.head)
            continue;
        const int cols = needs.cols(i - g.first, n.outW);
        const std::int64_t px = std::int64_t(needs.rows(i - g.first, n.outH)) * cols;
        const std::int64_t own = ceilDiv(blocking.nodeChannels(i, n.outC), banks) * px;
        b.tileDepth += own;
        if (nodeWords)
            nodeWords[i] = own;
        if (n.unit == Unit::Pw)
            b.psumDepth = std::max<std::int64_t>(b.psumDepth, n.fc ? 1 : px);
        if (n.unit == Unit::Dw)
            b.lineCols = std::max<std::int64_t>(b.lineCols,
                                                std::int64_t(cols - 1) * n.stride + n.window.width);
    }
    return b;
}

} // namespace

// The buffers one group needs on `tile` (the largest need regions over its tiles).
GroupBuffers tiledGroupBuffers(const TiledModel& m, const TiledConfig& c, std::size_t group,
                               TileSize tile, std::int64_t* nodeWords, HaloMemo* memo) {
    const TiledGroup& g = m.groups[group];
    if (g.hostOnly)
        return {};
    const int banks = std::max({c.pwIn, c.pwOut, c.dwParallel, 1}); // as export_plan.cpp
    const TileSize run = runTile(g, tile);
    const ChannelBlocks blocking = channelBlocks(m, g, c);
    if (memo)
        return sumBuffers(
            m, g, banks,
            MemoNeeds{memo->needs(group, true, run.rows), memo->needs(group, false, run.cols)},
            blocking, nodeWords);
    const GroupHalos worst(m, group, run, true, nullptr);
    return sumBuffers(m, g, banks, HaloNeeds{run, g.refH, g.refW, worst}, blocking, nodeWords);
}

TiledResources tiledResources(const TiledModel& m, const TiledConfig& c, bool perNode,
                              HaloMemo* memo) {
    TiledResources r;
    const Device& dev = m.device;
    const BramRule& bram = dev.bramRule;
    const int tn = std::max(1, c.pwIn);
    const int tm = std::max(1, c.pwOut);
    const int pd = m.hasDw ? std::max(1, c.dwParallel) : 0;
    const int factor = c.doubleBuffer ? 2 : 1;

    // --- DSP: the two multiplier arrays, sized for the widest precision they run.
    const int pwMults = m.hasPw ? tn * tm : 0;
    const int dwMults = pd * m.dwLanes;
    r.dspPw = dspSlices(dev.dspRule, pwMults, m.pwWeightBits, m.pwActivationBits);
    r.dspDw = dspSlices(dev.dspRule, dwMults, m.dwWeightBits, m.dwActivationBits);

    // --- BRAM18: the export's two tile memories (ping-pong; one when single-buffered) of
    // max(Tn, Tm, Pd) banks in one storage format, holding every tensor of a group, and
    // the PW partial sums (docs/estimator.md, "BRAM18").
    const int banks = std::max({tn, tm, c.dwParallel, 1}); // as export_plan.cpp
    std::int64_t tileDepth = 1;
    std::int64_t psumDepth = 1;
    std::int64_t lineCols = 1;
    std::vector<std::int64_t> nodeWords;
    if (perNode) {
        r.nodeBram.assign(m.nodes.size(), 0);
        nodeWords.assign(m.nodes.size(), 0);
    }
    for (std::size_t gi = 0; gi < m.groups.size(); ++gi) {
        const GroupBuffers b =
            tiledGroupBuffers(m, c, gi, c.tileFor(gi), perNode ? nodeWords.data() : nullptr, memo);
        tileDepth = std::max(tileDepth, b.tileDepth);
        psumDepth = std::max(psumDepth, b.psumDepth);
        lineCols = std::max(lineCols, b.lineCols);
    }
    if (perNode) // a layer's share, as if it had the memory to itself
        for (std::size_t i = 0; i < m.nodes.size(); ++i)
            if (nodeWords[i] > 0)
                r.nodeBram[i] =
                    factor * memoryCost(bram, {m.maxActivationBits, nodeWords[i], banks}).bram18;
    r.tileDepth = tileDepth;
    r.psumDepth = psumDepth;
    r.lineCols = lineCols;
    std::int64_t lutramBitsTotal = 0;
    const MemoryCost tiles = memoryCost(bram, {m.maxActivationBits, tileDepth, banks});
    r.bramInput = factor * tiles.bram18;
    lutramBitsTotal += factor * tiles.lutramBits;
    if (m.hasDw && m.dwWindowH > 1) { // per DW lane, one memory per row above the window's last
        const MemoryCost lines =
            memoryCost(bram, {m.maxActivationBits, lineCols, pd * (m.dwWindowH - 1)});
        r.bramLine = lines.bram18;
        lutramBitsTotal += lines.lutramBits;
    }
    if (m.hasPw) {
        const MemoryCost psum = memoryCost(bram, {m.pwAccBits, psumDepth, tm});
        r.bramPsum = psum.bram18;
        lutramBitsTotal += psum.lutramBits;
    }

    // The m_axi masters' data FIFOs: outstanding requests x burst words (UG1399), one per
    // master (fm_in reads, fm_out writes, wts reads).
    const MemoryCost fifo =
        memoryCost(bram, {dev.memory.axiPortBits, kHlsOutstanding * kHlsMaxBurstBeats, 1});
    r.bramAxi = 3 * fifo.bram18;
    lutramBitsTotal += 3 * fifo.lutramBits;

    // --- LUT and FF: from the structure (docs/estimator.md, "LUT and FF").
    r.logic = tiledLogic(m, c, tileDepth, lutramBitsTotal);
    const LogicPart logic = r.logic.total();
    r.total.dsp = r.dspPw + r.dspDw;
    r.total.bram18 = r.bramInput + r.bramPsum + r.bramLine + r.bramAxi;
    r.total.lut = static_cast<std::int64_t>(logic.lut + 0.5);
    r.total.ff = static_cast<std::int64_t>(logic.ff + 0.5);
    return r;
}

} // namespace codesign
