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
            QCOMPARE(back->memory.readLatencyNs, d.memory.readLatencyNs);
            QCOMPARE(back->memory.efficiency.mixedRandom, d.memory.efficiency.mixedRandom);
            QCOMPARE(back->memory.portGBps, d.memory.portGBps);
            QCOMPARE(back->power.boardStaticW, d.power.boardStaticW);
            QCOMPARE(back->bramRule.pow2Depth, d.bramRule.pow2Depth);
            QCOMPARE(back->boardPart, d.boardPart);
            QCOMPARE(back->logic.lutPerAxiMaster, d.logic.lutPerAxiMaster);
            QCOMPARE(back->logic.lutControlInterconnect, d.logic.lutControlInterconnect);
            QCOMPARE(back->logic.lutPerMuxInput, d.logic.lutPerMuxInput);
            QCOMPARE(back->processor.core, d.processor.core);
            QCOMPARE(back->processor.clockMhz, d.processor.clockMhz);
            QCOMPARE(back->processor.cyclesPerAccess, d.processor.cyclesPerAccess);
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
    // Every built-in device states its memory system's figures and where they come from:
    // the DDR's peak is its bus width times its rate, and the controller's efficiencies
    // and the ports' limits cite UG585 (Zynq-7000) or UG1085 (Zynq MP) in the file.
    void memoryFiguresCiteTheirSources() {
        const DeviceLibrary lib = DeviceLibrary::builtin();
        for (const Device& d : lib.devices()) {
            const MemorySystem& m = d.memory;
            QVERIFY2(std::abs(m.ddrPeakGBps - m.ddrBusBits / 8.0 * m.ddrMtps / 1e3) < 0.02,
                     d.name.c_str());
            const std::string text = readText(sourcePath("resources/devices/" + d.name + ".yaml"));
            const std::string memory = text.substr(text.find("memory:"));
            const std::string manual = d.isZynqMp() ? "UG1085" : "UG585";
            QVERIFY2(memory.find(manual) != std::string::npos, d.name.c_str());
            QVERIFY2(memory.find("Table 22-5") != std::string::npos, d.name.c_str());
            for (const char* key :
                 {"ddr_bus_bits", "ddr_mtps", "ddr_efficiency", "port_max_burst",
                  "port_read_acceptance", "port_gbps", "read_latency_ns", "processor_gbps"})
                QVERIFY2(memory.find(key) != std::string::npos, (d.name + ": " + key).c_str());
        }
    }

    // Every built-in device states the processor's clock with its data sheet or board
    // manual, and the logic model's AXI figures with the IP's product guide.
    void processorAndLogicCiteTheirSources() {
        const DeviceLibrary lib = DeviceLibrary::builtin();
        for (const Device& d : lib.devices()) {
            const std::string text = readText(sourcePath("resources/devices/" + d.name + ".yaml"));
            const std::string cpu = text.substr(text.find("processor:"));
            const std::string clock = cpu.substr(cpu.find("clock_mhz:"));
            const std::string line = clock.substr(0, clock.find('\n'));
            QVERIFY2(line.find('#') != std::string::npos, (d.name + ": " + line).c_str());
            QCOMPARE(d.processor.core, std::string(d.isZynqMp() ? "Cortex-A53" : "Cortex-A9"));
            const std::string logic = text.substr(text.find("logic:"));
            QVERIFY2(logic.find("PG059") != std::string::npos, d.name.c_str());
            QVERIFY2(logic.find("UG1399") != std::string::npos, d.name.c_str());
        }
        QCOMPARE(lib.find("pynq-z1")->processor.clockMhz, 650.0);
        QCOMPARE(lib.find("zc706")->processor.clockMhz, 800.0);
    }

    // The logic model's keys before the structural model: a 2:1 stage per bit (half a LUT,
    // a quarter per input) and one figure per AXI master whatever its width.
    void legacyLogicKeys() {
        Result<Device> d = parseDeviceText(
            "name: old\npart: xc7z020clg400-1\n"
            "resources: {dsp: 220, bram18: 280, uram: 0, lut: 53200, ff: 106400}\n"
            "memory: {ddr_peak_gbps: 2.1}\npower: {board_static_w: 1.8}\n"
            "logic: {lut_per_mux_bit: 0.5, lut_per_axi_port: 1200, ff_per_axi_port: 1800}\n"
            "processor: {clock_mhz: 500, pack_cycles_per_value: 12}\n",
            "old.yaml");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().format().c_str());
        QCOMPARE(d->logic.lutPerMuxInput, 0.25);
        QCOMPARE(d->logic.lutPerAxiMaster, 1200.0);
        QCOMPARE(d->logic.lutPerAxiMasterBit, 0.0);
        QCOMPARE(d->logic.ffPerAxiMaster, 1800.0);
        QCOMPARE(d->logic.ffPerAxiMasterBit, 0.0);
        QCOMPARE(d->processor.clockMhz, 500.0);
        QCOMPARE(d->processor.packCyclesPerValue, 12.0);
        QCOMPARE(d->processor.decodeCyclesPerPixel, ProcessorModel{}.decodeCyclesPerPixel);
        Result<Device> bad =
            parseDeviceText("name: old\npart: xc7z020clg400-1\n"
                            "resources: {dsp: 220, bram18: 280, uram: 0, lut: 53200, ff: 106400}\n"
                            "memory: {ddr_peak_gbps: 2.1}\npower: {board_static_w: 1.8}\n"
                            "processor: {clock_mhz: 500, pack_cycles: 12}\n",
                            "bad.yaml");
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().format().find("pack_cycles") != std::string::npos,
                 bad.error().format().c_str());
    }

    // The format before the memory model: one efficiency for every pattern, the latency in
    // cycles at the device's clock.
    void legacyMemoryKeys() {
        Result<Device> d = parseDeviceText(
            "name: old\npart: xc7z020clg400-1\nclock_mhz: 125\n"
            "resources: {dsp: 220, bram18: 280, uram: 0, lut: 53200, ff: 106400}\n"
            "memory: {ddr_peak_gbps: 2.1, ddr_efficiency: 0.75, axi_latency_cycles: 30}\n"
            "power: {board_static_w: 1.8}\n",
            "old.yaml");
        QVERIFY2(d.ok(), d.ok() ? "" : d.error().format().c_str());
        QCOMPARE(d->memory.readLatencyNs, 240.0);
        QCOMPARE(d->memory.writeLatencyNs, 240.0);
        QCOMPARE(d->memory.efficiency.readSequential, 0.75);
        QCOMPARE(d->memory.efficiency.mixedRandom, 0.75);
    }

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
