// DSP packing and BRAM18 packing rules (docs/estimator.md).
#include "core/hw/bram_packing.h"
#include "core/hw/device_library.h"
#include "core/hw/dsp_packing.h"

#include <QtTest>

using namespace codesign;

class TestPacking : public QObject {
    Q_OBJECT

    const DspRule e1{"DSP48E1", 25, 18, 26};
    const DspRule e2{"DSP48E2", 27, 18, 28};

private Q_SLOTS:
    void productsThatFitOneSlice() {
        QCOMPARE(dspSlices(e1, 1, 16, 8), 1); // 2*8+16 = 32 > 26: no packing
        QCOMPARE(dspSlices(e1, 1, 16, 16), 1);
        QCOMPARE(dspSlices(e1, 1, 18, 25), 1); // the ports exactly
        QCOMPARE(dspSlices(e1, 10, 16, 16), 10);
    }

    void wideProductsAreSplit() {
        QCOMPARE(dspSlices(e1, 1, 20, 20), 2); // 20 > 18 on the narrow port: 2 parts
        QCOMPARE(dspSlices(e1, 1, 26, 18), 2); // 26 > 25 on the wide port: 2 parts
        QCOMPARE(dspSlices(e1, 1, 32, 32), 4); // 2 x 2 parts
        QCOMPARE(dspSlices(e2, 1, 27, 18), 1);
        QCOMPARE(dspSlices(e2, 1, 28, 18), 2);
    }

    void narrowProductsPackTwoPerSlice() {
        QVERIFY(packsTwoPerSlice(e2, 8, 8)); // WP486: INT8 pairs on DSP48E2
        QCOMPARE(dspSlices(e2, 64, 8, 8), 32);
        QCOMPARE(dspSlices(e2, 7, 8, 8), 4); // an odd product still takes a slice
        QCOMPARE(dspPerMultiplier(e2, 8, 8), 0.5);
        QVERIFY(!packsTwoPerSlice(DspRule{"x", 25, 18, 0}, 2, 2)); // packing off
    }

    // Seed 000/001 observation: at 6-bit feature maps the DSP use of the same accelerator
    // halves (128 -> 64) when the weights go from 15 to 14 bits.
    void seedObservationWeights15To14() {
        Result<Device> pynq = DeviceLibrary::builtin().find("pynq-z1");
        QVERIFY(pynq.ok());
        QCOMPARE(dspSlices(pynq->dspRule, 128, 15, 6), 128);
        QCOMPARE(dspSlices(pynq->dspRule, 128, 14, 6), 64);
    }

    void bramAspectRatios() {
        const BramRule pad{true, 1024};
        const BramRule exact{false, 1024};
        QCOMPARE(bram18PerBank(exact, 1, 16384), std::int64_t(1));
        QCOMPARE(bram18PerBank(exact, 5, 2048), std::int64_t(1)); // 9 x 2048
        QCOMPARE(bram18PerBank(exact, 8, 2049), std::int64_t(2));
        QCOMPARE(bram18PerBank(pad, 8, 2049), std::int64_t(2)); // 4096 deep
        QCOMPARE(bram18PerBank(pad, 8, 4097), std::int64_t(4)); // 8192 deep
        QCOMPARE(bram18PerBank(exact, 8, 4097), std::int64_t(3));
        QCOMPARE(bram18PerBank(exact, 16, 1024), std::int64_t(1)); // 18 x 1024
        QCOMPARE(bram18PerBank(exact, 16, 1025), std::int64_t(2));
        QCOMPARE(bram18PerBank(exact, 36, 512), std::int64_t(1));
        QCOMPARE(bram18PerBank(exact, 72, 512), std::int64_t(2));  // two 36-bit blocks
        QCOMPARE(bram18PerBank(exact, 33, 1000), std::int64_t(2)); // 36 x 512, twice
    }

    void smallMemoriesGoToLutram() {
        const BramRule rule{true, 1024};
        QCOMPARE(bram18PerBank(rule, 8, 128), std::int64_t(0)); // 1 Kbit
        QCOMPARE(bram18PerBank(rule, 8, 129), std::int64_t(1));
        QCOMPARE(lutramBits(rule, MemoryShape{8, 128, 4}), std::int64_t(4096));
        QCOMPARE(lutramBits(rule, MemoryShape{8, 129, 4}), std::int64_t(0));
    }

    // Partitioning multiplies: on these accelerators the bank count sets BRAM.
    void partitionedArrays() {
        const BramRule rule{true, 1024};
        QCOMPARE(bram18For(rule, MemoryShape{8, 900, 16}), std::int64_t(16));
        QCOMPARE(bram18For(rule, MemoryShape{8, 900 * 16, 1}), std::int64_t(8)); // 16384 deep
    }
};

QTEST_APPLESS_MAIN(TestPacking)
#include "test_packing.moc"
