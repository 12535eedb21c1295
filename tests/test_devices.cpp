// The device library: built-in devices, lookups, device files and their errors.
#include "core/hw/device_library.h"
#include "core/hw/device_yaml.h"
#include "core/model/project_device.h"
#include "core/model/project_yaml.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <cstdlib>
#include <fstream>

using namespace codesign;
using namespace codesign::testing;

class TestDevices : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtinLibraryLoadsCleanly() {
        DeviceLibrary lib = DeviceLibrary::builtin();
        QVERIFY(lib.loadErrors().empty());
        QVERIFY(lib.devices().size() >= 6);
    }

    // Totals from the vendor data sheets (DS190, DS891; DESIGN.md section 3).
    void totals_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("part");
        QTest::addColumn<int>("dsp");
        QTest::addColumn<int>("bram18");
        QTest::addColumn<int>("lut");
        QTest::addColumn<int>("ff");
        QTest::addColumn<QString>("dspType");
        QTest::newRow("pynq-z1") << "pynq-z1"
                                 << "xc7z020" << 220 << 280 << 53200 << 106400 << "DSP48E1";
        QTest::newRow("zedboard") << "zedboard"
                                  << "xc7z020" << 220 << 280 << 53200 << 106400 << "DSP48E1";
        QTest::newRow("ultra96-v2") << "ultra96-v2"
                                    << "xczu3eg" << 360 << 432 << 70560 << 141120 << "DSP48E2";
        QTest::newRow("zcu102") << "zcu102"
                                << "xczu9eg" << 2520 << 1824 << 274080 << 548160 << "DSP48E2";
        QTest::newRow("zc706") << "zc706"
                               << "xc7z045" << 900 << 1090 << 218600 << 437200 << "DSP48E1";
        QTest::newRow("kv260") << "kv260"
                               << "xck26" << 1248 << 288 << 117120 << 234240 << "DSP48E2";
    }
    void totals() {
        QFETCH(QString, name);
        QFETCH(QString, part);
        QFETCH(int, dsp);
        QFETCH(int, bram18);
        QFETCH(int, lut);
        QFETCH(int, ff);
        QFETCH(QString, dspType);
        Result<Device> d = DeviceLibrary::builtin().find(name.toStdString());
        QVERIFY(d.ok());
        QVERIFY(d->part.rfind(part.toStdString(), 0) == 0);
        QCOMPARE(d->dsp, dsp);
        QCOMPARE(d->bram18, bram18);
        QCOMPARE(d->lut, lut);
        QCOMPARE(d->ff, ff);
        QCOMPARE(QString::fromStdString(d->dspRule.type), dspType);
        QVERIFY(d->memory.ddrPeakGBps > 0);
        QVERIFY(d->power.boardStaticW > 0);
        QVERIFY(d->defaultClockMhz > 0);
    }

    void aliasesAndSuggestions() {
        DeviceLibrary lib = DeviceLibrary::builtin();
        QCOMPARE(lib.find("ultra96")->name, std::string("ultra96-v2"));
        Result<Device> bad = lib.find("zcu120");
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().message.find("did you mean 'zcu102'") != std::string::npos);
    }

    void deviceFileErrors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expect");
        QTest::addColumn<int>("line");
        const QString base = QStringLiteral("name: b\npart: xc7z020\nfamily: zynq7000\n");
        QTest::newRow("missing resource")
            << base + QStringLiteral("resources: {dsp: 1, bram18: 1, lut: 1, ff: 1}\n"
                                     "memory: {ddr_peak_gbps: 1}\npower: {board_static_w: 1}\n")
            << "missing the field 'uram'" << 4;
        QTest::newRow("unknown family")
            << QStringLiteral("name: b\npart: x\nfamily: versal\n") << "family 'versal'" << 3;
        QTest::newRow("typo") << base +
                                     QStringLiteral(
                                         "resources: {dsp: 1, bram18: 1, uram: 0, lut: 1, ff: 1}\n"
                                         "memory: {ddr_peak_gbps: 1}\npower: {board_static_w: 1}\n"
                                         "clok_mhz: 3\n")
                              << "did you mean 'clock_mhz'" << 7;
        QTest::newRow("negative dsp")
            << base + QStringLiteral("resources: {dsp: -1, bram18: 1, uram: 0, lut: 1, ff: 1}\n")
            << "dsp is -1" << 4;
    }
    void deviceFileErrors() {
        QFETCH(QString, text);
        QFETCH(QString, expect);
        QFETCH(int, line);
        Result<Device> d = parseDeviceText(text.toStdString(), "board.yaml");
        QVERIFY(!d.ok());
        QVERIFY2(d.error().message.find(expect.toStdString()) != std::string::npos,
                 d.error().format().c_str());
        QCOMPARE(d.error().pos.line, line);
        QCOMPARE(d.error().file, std::string("board.yaml"));
    }

    // The clock a run uses: --clock, else the project's on its own device, else the
    // device's default (docs/cli.md, "Devices and clocks").
    void clockFollowsTheDevice() {
        const DeviceLibrary lib = DeviceLibrary::builtin();
        const Project p = defaultProject(); // dac19-dnn-a: pynq-z1 at clock_mhz 100
        QCOMPARE(p.accelerator.clockMhz, 100.0);
        const Device pynq = *lib.find("pynq-z1");
        const Device kv = *lib.find("kv260");
        QVERIFY(isProjectsDevice(p, pynq, lib));
        QVERIFY(!isProjectsDevice(p, kv, lib));
        QCOMPARE(chooseClock(p, pynq, true).mhz, 100.0);
        QVERIFY(chooseClock(p, pynq, true).note.empty());
        const ClockChoice other = chooseClock(p, kv, false);
        QCOMPARE(other.mhz, 0.0); // the device's default
        QVERIFY2(other.note.find("200 MHz") != std::string::npos, other.note.c_str());
        QVERIFY2(other.note.find("pynq-z1") != std::string::npos, other.note.c_str());
        const ClockChoice pinned = chooseClock(p, kv, false, 150);
        QCOMPARE(pinned.mhz, 150.0);
        QVERIFY(pinned.note.empty());
        Project noClock = p;
        noClock.accelerator.clockMhz = 0;
        QCOMPARE(chooseClock(noClock, kv, false).mhz, 0.0);
        QVERIFY(chooseClock(noClock, kv, false).note.empty());
    }

    void writeReadRoundTrip() {
        const DeviceLibrary lib = DeviceLibrary::builtin();
        for (const Device& d : lib.devices()) {
            YAML::Emitter out;
            writeDevice(out, d);
            Result<Device> back = parseDeviceText(out.c_str(), "x.yaml");
            QVERIFY2(back.ok(), out.c_str());
            QCOMPARE(back->name, d.name);
            QCOMPARE(back->dsp, d.dsp);
            QCOMPARE(back->dspRule.packTwoMax, d.dspRule.packTwoMax);
            QCOMPARE(back->memory.axiPortBits, d.memory.axiPortBits);
            QCOMPARE(back->power.boardStaticW, d.power.boardStaticW);
            QCOMPARE(back->bramRule.pow2Depth, d.bramRule.pow2Depth);
            QCOMPARE(back->boardPart, d.boardPart);
            // Every built-in board names its Vivado board files (the export's presets).
            QVERIFY2(d.boardPart.find(":part0:") != std::string::npos, d.name.c_str());
            QVERIFY(back->streaming == d.streaming);
        }
        QCOMPARE(lib.find("pynq-z1")->boardPart,
                 std::string("www.digilentinc.com:pynq-z1:part0:*"));
    }

    // The streaming family's defaults (fpgaConvNet's platform files, the boards' DDR).
    void streamingDefaults_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("portWidth");
        QTest::addColumn<double>("bandwidthGbps");
        QTest::newRow("zedboard") << "zedboard" << 128 << 34.112;
        QTest::newRow("zc706") << "zc706" << 128 << 102.4;
        QTest::newRow("zcu102") << "zcu102" << 512 << 153.6;
        QTest::newRow("pynq-z1") << "pynq-z1" << 128 << 16.8;
    }
    void streamingDefaults() {
        QFETCH(QString, name);
        QFETCH(int, portWidth);
        QFETCH(double, bandwidthGbps);
        Result<Device> d = DeviceLibrary::builtin().find(name.toStdString());
        QVERIFY(d.ok());
        QCOMPARE(d->streaming.portWidthBits, portWidth);
        QCOMPARE(d->streaming.bandwidthGbps, bandwidthGbps);
        QCOMPARE(d->streaming.reconfigurationMs, 82.55);
    }

    void streamingDefaultsAreOptionalAndChecked() {
        const std::string base = "name: b\npart: x\nfamily: zynq7000\n"
                                 "resources: {dsp: 1, bram18: 1, uram: 0, lut: 1, ff: 1}\n"
                                 "memory: {ddr_peak_gbps: 1}\npower: {board_static_w: 1}\n";
        Result<Device> plain = parseDeviceText(base, "b.yaml");
        QVERIFY(plain.ok());
        QVERIFY(plain->streaming == StreamingDefaults{});
        Result<Device> bad =
            parseDeviceText(base + "streaming: {port_width: 128, bandwith_gbps: 3}\n", "b.yaml");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.find("did you mean 'bandwidth_gbps'") != std::string::npos,
                 bad.error().format().c_str());
        QCOMPARE(bad.error().pos.line, 7);
    }

    // A user device directory extends the library (and may replace a built-in entry).
    void userDevicePath() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::ofstream(dir.filePath(QStringLiteral("my-board.yaml")).toStdString())
            << "name: my-board\npart: xc7z010clg400-1\nfamily: zynq7000\n"
               "resources: {dsp: 80, bram18: 120, uram: 0, lut: 17600, ff: 35200}\n"
               "memory: {ddr_peak_gbps: 2.1}\npower: {board_static_w: 1.4}\n";
        std::ofstream(dir.filePath(QStringLiteral("broken.yaml")).toStdString()) << "name: [\n";
        ::setenv("CODESIGN_DEVICE_PATH", dir.path().toUtf8().constData(), 1);
        const DeviceLibrary& lib = DeviceLibrary::standard();
        Result<Device> d = lib.find("my-board");
        QVERIFY(d.ok());
        QCOMPARE(d->dsp, 80);
        QVERIFY(lib.find("pynq-z1").ok());
        QCOMPARE(lib.loadErrors().size(), std::size_t(1));
        QVERIFY(lib.loadErrors().front().file.find("broken.yaml") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestDevices)
#include "test_devices.moc"
