// Input-channel blocking of the tiled estimator (docs/estimator.md, "Channel blocking"):
// which groups block, their cycles, DDR traffic and buffers by hand, and that a block as
// large as every input gives exactly the unblocked figures.
#include "core/estimate/design_estimate.h"
#include "core/estimate/tiled/auto_sizer.h"
#include "core/estimate/tiled/channel_blocking.h"
#include "core/estimate/tiled/tiled_estimator.h"
#include "core/estimate/tiled/tiled_resources.h"
#include "core/hw/device_library.h"
#include "core/report/estimate_report.h"
#include "tiled_test_support.h"

using namespace codesign;
using namespace codesign::testing;

namespace {

using Built = BuiltTiled;

Built buildModel(const std::string& body, const std::string& input,
                 const std::string& device = "pynq-z1") {
    return buildTiledOrFatal("name: t\ndevice: " + device + "\ninput: " + input +
                                 "\nprecision: {weights: 8, activations: 8}\n" + body,
                             device);
}

TiledConfig config(int tn, int tm, int pd, int tile, int block) {
    TiledConfig c;
    c.clockMhz = 100;
    c.pwIn = tn;
    c.pwOut = tm;
    c.dwParallel = pd;
    c.tileRows = c.tileCols = tile;
    c.channelBlock = block;
    return c;
}

const TiledDetail& detail(const Estimate& e) {
    return std::get<TiledDetail>(e.detail);
}

DesignEstimate estimateText(const std::string& text) {
    return estimateOrFatal(text);
}

const char* kPw = "network:\n  - {op: pwconv, channels: 32}\n";
const char* kDwPw = "bundles:\n  b:\n    - {op: dwconv, kernel: 3}\n    - {op: pwconv}\n"
                    "network:\n  - {bundle: b, channels: 32}\n";
const char* kInput = "{channels: 16, height: 8, width: 8}";

} // namespace

class TestChannelBlocking : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Which groups block: an input -> DW/pool chain -> first conv/pwconv; a group whose
    // input another layer of the group also reads, or whose first PW-unit layer is fc, not.
    void blockableGroups() {
        QCOMPARE(buildModel(kPw, kInput).model.groups[0].blockReduction, 0);
        QCOMPARE(buildModel(kDwPw, kInput).model.groups[0].blockReduction, 1);
        const Built pool = buildModel("bundles:\n  b:\n    - {op: maxpool, kernel: 2}\n"
                                      "    - {op: relu}\n    - {op: conv, kernel: 3}\n"
                                      "network:\n  - {bundle: b, channels: 32}\n",
                                      kInput);
        QCOMPARE(pool.model.groups[0].blockReduction, 2);
        const Built fc = buildModel("network:\n  - {op: fc, channels: 10}\n", kInput);
        QCOMPARE(fc.model.groups[0].blockReduction, -1);
        // the group's input is read by the add as well as by the pwconv
        const Built skip = buildModel("bundles:\n  b:\n    - {op: pwconv}\n"
                                      "    - {op: add, inputs: [input]}\n"
                                      "network:\n  - {op: relu}\n"
                                      "  - {bundle: b, channels: 16}\n",
                                      kInput);
        QCOMPARE(skip.model.groups[1].blockReduction, -1);
    }

    // pwconv 16 -> 32 on 8x8, one tile, Tn 4, Tm 8, blocks of 8 channels, pynq-z1 (64-bit
    // port: 8 channels a word, 40-cycle latency): nb = 2 input blocks, ob = 4 output blocks.
    void pointwiseBlockedByHand() {
        const Built b = buildModel(kPw, kInput);
        const Estimate e = estimateTiled(b.model, config(4, 8, 1, 8, 8), true);
        const TiledDetail& d = detail(e);
        // compute as unblocked: 4 output blocks x 4 passes x (64 pixels + depth 13)
        QCOMPARE(d.layers[0].computeCycles, std::int64_t(4 * 4 * 77));
        // weights: 8 calls each fetch their first 32-byte block in the open (4 beats + 40);
        // the other 8 fetches hide behind 77-cycle passes; biases once per output block
        QCOMPARE(d.layers[0].weightCycles, std::int64_t(8 * 44 + 4 * 48));
        // the blocked input: 1 word per block, 2 blocks, read once per output block: 8
        // words x 8 rows of (8 beats + 40), inside the compute
        QCOMPARE(d.groups[0].loadCycles, std::int64_t(8 * 8 * 48));
        QCOMPARE(d.groups[0].storeCycles, std::int64_t(4 * 8 * 48));
        QCOMPARE(e.cycles, std::int64_t(3072 + 1232 + 544 + 1536));
        QCOMPARE(d.groups[0].channelBlock, 8);
        QCOMPARE(d.groups[0].channelBlocks, 2);
        // DDR: the input 4 times (1024 B each), the output once, the weights once
        QCOMPARE(e.ddrBytesPerImage, std::int64_t(4 * 1024 + 2048 + 544));
        // tile memory: a block of 8 channels (1 word per bank of 8) x 64 + the output 4 x 64
        const TiledResources r = tiledResources(b.model, config(4, 8, 1, 8, 8));
        QCOMPARE(r.tileDepth, std::int64_t(64 + 256));
        const TiledResources whole = tiledResources(b.model, config(4, 8, 1, 8, 0));
        QCOMPARE(whole.tileDepth, std::int64_t(128 + 256));
        // logic: two loops more (output block, input block), 64 LUT and 40 FF each on the
        // pynq-z1; the tile memory keeps its 9 address bits, so nothing else moves
        QCOMPARE(r.logic.control.lut - whole.logic.control.lut, 2 * 64.0);
        QCOMPARE(r.logic.control.ff - whole.logic.control.ff, 2 * 40.0);
        QCOMPARE(r.total.lut - whole.total.lut, std::int64_t(128));
    }

    // dwconv 3x3 (16 channels) -> pwconv 32 on 8x8, one tile, Tn 4, Tm 8, Pd 4, blocks of 8:
    // the DW runs per (output block, input block) on its 8 channels.
    void dwPwBlockedByHand() {
        const Built b = buildModel(kDwPw, kInput);
        const Estimate e = estimateTiled(b.model, config(4, 8, 4, 8, 8), true);
        const TiledDetail& d = detail(e);
        // DW: ob 4 x (2 + 2 lane blocks) = 16 blocks streaming a 10 x 10 box + depth 15 (6 +
        // log2 9 + 5); 8 calls, each fetching its first block's weights (36 B: 5 words +
        // 40) and biases (4 + 40) in the open; the rest hide behind 115-cycle streams
        QCOMPARE(d.layers[0].computeCycles, std::int64_t(16 * 115));
        QCOMPARE(d.layers[0].weightCycles, std::int64_t(8 * (45 + 44)));
        QCOMPARE(d.layers[1].computeCycles, std::int64_t(4 * 4 * 77));
        QCOMPARE(d.layers[1].weightCycles, std::int64_t(8 * 44 + 4 * 48));
        QCOMPARE(e.cycles, std::int64_t(3072 + 1840 + 712 + 1232 + 544 + 1536));
        // the DW weights (16 x 9 + 16 biases = 160 B) are read once per output block
        QCOMPARE(e.ddrBytesPerImage, std::int64_t(4 * 1024 + 2048 + 4 * 160 + 544));
        // tile memory: the input block, the DW output block, the PW output (8 banks)
        QCOMPARE(tiledResources(b.model, config(4, 8, 4, 8, 8)).tileDepth,
                 std::int64_t(64 + 64 + 256));
        QCOMPARE(tiledResources(b.model, config(4, 8, 4, 8, 0)).tileDepth,
                 std::int64_t(128 + 128 + 256));
    }

    // A block that does not fill whole port words: cs_load reads the words its channels
    // touch. 24 channels in blocks of 12, 8 a word: words 0-1 and 1-2, 4 in all (not 3).
    void blockLoadsWholeWords() {
        ChannelBlocks cb;
        cb.reduction = 0;
        cb.channels = 24;
        cb.block = 12;
        cb.inBlocks = 2;
        QCOMPARE(cb.loadWords(8), std::int64_t(4));
        cb.block = 8;
        cb.inBlocks = 3;
        QCOMPARE(cb.loadWords(8), std::int64_t(3));
        // lane blocks: 24 channels in blocks of 12 through 8 lanes: 2 + 2
        cb.block = 12;
        cb.inBlocks = 2;
        QCOMPARE(cb.laneBlocks(8), std::int64_t(4));
    }

    // channel_block at or above every blocked group's input channels: exactly the
    // unblocked estimate (DNN-A's largest reduction input is 384 channels).
    void wholeBlockIsUnblocked() {
        std::string text = readText(sourcePath("examples/dac19-dnn-a.yaml"));
        const std::string from = "  auto: true\n";
        const std::string fixed = "  auto: false\n  pw_in: 8\n  pw_out: 16\n  dw_parallel: 16\n"
                                  "  tile: [20, 45]\n";
        text.replace(text.find(from), from.size(), fixed);
        const DesignEstimate plain = estimateText(text);
        const std::string blocked = text + "  channel_block: 384\n";
        const DesignEstimate big = estimateText(blocked);
        QCOMPARE(big.estimate.cycles, plain.estimate.cycles);
        QCOMPARE(big.estimate.ddrBytesPerImage, plain.estimate.ddrBytesPerImage);
        QCOMPARE(big.estimate.used.bram18, plain.estimate.used.bram18);
        QCOMPARE(big.estimate.used.lut, plain.estimate.used.lut);
        QCOMPARE(big.estimate.used.ff, plain.estimate.used.ff);
        for (const GroupEstimate& g : detail(big.estimate).groups)
            QCOMPARE(g.channelBlocks, 0);
        // blocks of 16 do block, and change the figures
        const DesignEstimate small = estimateText(text + "  channel_block: 16\n");
        QVERIFY(small.estimate.cycles > plain.estimate.cycles);
        QVERIFY(small.estimate.ddrBytesPerImage > plain.estimate.ddrBytesPerImage);
    }
    // The acceptance example: on whole tensors its fixed design needs more BRAM18 than the
    // Ultra96-V2 has; with channel blocks of 32 it fits, at the FPS the model predicts
    // (76.3 at 200 MHz, pinned within 0.5 %).
    void exampleFitsOnlyBlocked() {
        const std::string text = readText(sourcePath("examples/channel-blocked-bottleneck.yaml"));
        const DesignEstimate blocked = estimateText(text);
        QVERIFY(blocked.estimate.feasible);
        QVERIFY(blocked.estimate.used.bram18 <= blocked.estimate.available.bram18);
        QVERIFY2(std::abs(blocked.estimate.fps / 76.3 - 1) <= 0.005,
                 std::to_string(blocked.estimate.fps).c_str());
        std::string whole = text;
        const std::string key = "  channel_block: 32\n";
        QVERIFY(whole.find(key) != std::string::npos);
        whole.erase(whole.find(key), key.size());
        const DesignEstimate plain = estimateText(whole);
        QVERIFY(!plain.estimate.feasible);
        QVERIFY(plain.estimate.used.bram18 > plain.estimate.available.bram18);
        QVERIFY(plain.estimate.bottleneck.find("BRAM18") != std::string::npos);
        QVERIFY(plain.estimate.fps > blocked.estimate.fps); // blocking costs time
    }
    // The report names the block per design and per blocked group, in the JSON and the text.
    void reportShowsBlocks() {
        const DesignEstimate de =
            estimateText(readText(sourcePath("examples/channel-blocked-bottleneck.yaml")));
        JsonWriter w;
        writeEstimateJson(w, de, "t");
        const std::string json = w.str();
        QVERIFY(json.find("\"channel_block\": 32") != std::string::npos);
        QVERIFY(json.find("\"channel_blocks\": 6") != std::string::npos);
        QVERIFY(json.find("\"channel_blocks\": 12") != std::string::npos);
        const std::string text = formatEstimateTable(de, "t");
        QVERIFY(text.find("channel blocks of 32") != std::string::npos);
        QVERIFY(text.find("B3 (project): 8 tiles of 16x64, 6 input blocks of 32 channels") !=
                std::string::npos);
        QVERIFY(text.find("memory: channel-block loads") != std::string::npos);
    }
    // Auto sizing blocks where it pays: a 3x3 conv reducing 2048 channels to 16 (one output
    // block of Tm = 16, so the input is read once) on 64x128. Unblocked, the 2048-channel
    // input leaves room for small tiles only; blocked, the sizer's design beats every
    // unblocked design of a grid of arrays and tiles that fits the caps, and its own tile
    // does not fit unblocked.
    void autoSizingBlocksWhereItPays() {
        const Built b =
            buildModel("network:\n  - {op: conv, channels: 16, kernel: 3, padding: 1}\n",
                       "{channels: 2048, height: 64, width: 128}");
        AutoSizeOptions o;
        o.clockMhz = 100;
        const AutoSizeResult r = autoSizeTiled(b.model, o);
        QVERIFY(r.found);
        QVERIFY(r.config.channelBlock > 0);
        const Estimate best = estimateTiled(b.model, r.config);
        QVERIFY(detail(best).groups[0].channelBlocks > 1);
        const Device& d = b.model.device;
        auto fits = [&](const Estimate& e) {
            return e.used.dsp <= 0.9 * d.dsp && e.used.bram18 <= 0.9 * d.bram18 &&
                   e.used.lut <= 0.9 * d.lut && e.used.ff <= 0.9 * d.ff;
        };
        QVERIFY(fits(best));
        TiledConfig whole = r.config;
        whole.channelBlock = 0;
        QVERIFY(!fits(estimateTiled(b.model, whole)));
        int tried = 0;
        for (int tn : {4, 8, 16})
            for (int tm : {4, 8, 16})
                for (int rows : {1, 2, 4, 8, 16})
                    for (int cols : {8, 16, 32, 64, 128}) {
                        TiledConfig c = config(tn, tm, 1, rows, 0);
                        c.tileCols = cols;
                        const Estimate e = estimateTiled(b.model, c);
                        if (!fits(e))
                            continue;
                        ++tried;
                        QVERIFY(best.fps > e.fps);
                    }
        QVERIFY(tried > 10);
    }
};

QTEST_GUILESS_MAIN(TestChannelBlocking)
#include "test_channel_blocking.moc"
