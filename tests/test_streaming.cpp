// The streaming (fpgaConvNet-style) family: the public check against fpgaConvNet's own report,
// and hand-computed cases for each rule of docs/estimator.md, "Streaming".
#include "core/estimate/streaming/streaming_logic.h"
#include "streaming_test_support.h"

#include <cmath>
#include <map>

using namespace codesign;
using namespace codesign::testing;

namespace {

struct ExpectedRow {
    int partition = 0;
    std::string layer;
    double value = 0; // interval (a layer) or cycles (a partition)
    double dsp = 0;
    std::int64_t bram18 = 0;
};

std::vector<ExpectedRow> readExpected(const std::string& path) {
    std::vector<ExpectedRow> rows;
    std::istringstream in(readText(path));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#' || line.rfind("partition,", 0) == 0)
            continue;
        std::istringstream fields(line);
        std::string cell[5];
        for (std::string& c : cell)
            std::getline(fields, c, ',');
        rows.push_back({std::stoi(cell[0]), cell[1], std::stod(cell[2]), std::stod(cell[3]),
                        std::stoll(cell[4])});
    }
    return rows;
}

const StreamingLayerEstimate* findRow(const StreamingSetup& s, const StreamingEstimate& e,
                                      const std::string& name) {
    for (const StreamingLayerEstimate& row : e.layers)
        if (streamingLayerName(s.model, row) == name)
            return &row;
    return nullptr;
}

} // namespace

class TestStreaming : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // fpgaconvnet-tutorial 4.2 (gp): every layer's interval, DSP and BRAM18, every partition's
    // cycles, the total 300,527,435 cycles and 2.328137175 s (tests/data cites the source).
    void publicCheckVgg16() {
        const StreamingSetup s = streamingSetup(readText(dataPath("streaming_vgg16_gp.yaml")));
        const StreamingEstimate e = estimateStreaming(s.model, s.design);
        QCOMPARE(e.partitions.size(), std::size_t(10));
        int layersChecked = 0;
        for (const ExpectedRow& want : readExpected(dataPath("streaming_vgg16_gp_expected.csv"))) {
            const StreamingPartitionEstimate& p = e.partitions[want.partition - 1];
            if (want.layer == "*") {
                QCOMPARE(p.cycles, static_cast<std::int64_t>(want.value));
                QCOMPARE(p.bram18, want.bram18);
                if (want.partition != 9) // holds GlobalMaxPool_30
                    QCOMPARE(p.dsp, want.dsp);
                continue;
            }
            const StreamingLayerEstimate* row = findRow(s, e, want.layer);
            QVERIFY2(row, want.layer.c_str());
            QCOMPARE(row->partition, want.partition - 1);
            QCOMPARE(row->intervalCycles, want.value);
            if (want.layer != "GlobalMaxPool_30") { // see docs/estimator.md: its 16-bit adder
                QCOMPARE(row->dsp, want.dsp);
                QCOMPARE(row->bram18, want.bram18);
            }
            ++layersChecked;
        }
        QCOMPARE(layersChecked, 47);
        QCOMPARE(int(e.layers.size()), 47); // no layer more than fpgaConvNet's
        QCOMPARE(e.cycles, std::int64_t(300'527'435));
        QCOMPARE(std::round(e.latencyMs * 1e6) / 1e6, 2328.137175);
        QCOMPARE(e.reconfigurationMs, 10 * 82.55);
    }
};

QTEST_APPLESS_MAIN(TestStreaming)
#include "test_streaming.moc"
