// `codesign estimate` of every example and test project against files committed before a
// change to the estimator's structure (JSON on every built-in device, the text table on the
// project's own): a refactor that keeps these byte-identical keeps every figure the user
// sees. Regenerate only when a figure is meant to change, and say why in the commit:
//   CODESIGN_UPDATE_GOLDEN=1 ./build/tests/test_golden_estimates
#include "core/estimate/design_estimate.h"
#include "core/hw/device_library.h"
#include "core/model/project_device.h"
#include "core/report/estimate_report.h"
#include "core/util/atomic_file.h"
#include "test_support.h"

#include <cstdlib>
#include <filesystem>

using namespace codesign;
using namespace codesign::testing;

namespace {

namespace fs = std::filesystem;

// The examples and the test projects (all sized automatically), and the same with the
// design their auto sizing chose fixed (group tiles included), in tests/data/golden/projects.
std::vector<std::string> goldenProjects() {
    const std::vector<std::string> sized{
        "examples/dac19-dnn-a.yaml",    "examples/dac19-dnn-b.yaml",
        "examples/dac19-dnn-c.yaml",    "examples/dac-sdc-explore.yaml",
        "tests/data/mobilenet-v1.yaml", "tests/data/resnet-18.yaml"};
    std::vector<std::string> projects = sized;
    for (const std::string& p : sized)
        projects.push_back("tests/data/golden/projects/" + fs::path(p).stem().string() +
                           "-fixed.yaml");
    return projects;
}

std::string stemOf(const std::string& project) {
    return fs::path(project).stem().string();
}

// The JSON on `device`, or the text table on the project's own device.
std::string report(const std::string& path, const std::string& device, bool json) {
    Result<Project> p = loadProjectFile(sourcePath(path));
    if (!p.ok())
        return "load error: " + p.error().format();
    // As `codesign estimate --device D`: on another device, that device's clock.
    const DeviceLibrary library = DeviceLibrary::builtin();
    Result<Device> d = resolveDevice(*p, library, device);
    if (!d.ok())
        return "device error: " + d.error().format();
    p->accelerator.clockMhz = chooseClock(*p, *d, isProjectsDevice(*p, *d, library)).mhz;
    DesignRequest request;
    request.deviceName = device;
    Result<DesignEstimate> de = estimateDesign(*p, library, request);
    if (!de.ok())
        return "estimate error: " + de.error().format();
    if (!json)
        return formatEstimateTable(*de, p->name);
    JsonWriter w;
    writeEstimateJson(w, *de, p->name);
    return w.str() + "\n";
}

// Where two texts first differ, with a little context, for the failure message.
std::string firstDifference(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    const std::size_t from = i > 60 ? i - 60 : 0;
    return "at byte " + std::to_string(i) + "\n  golden: ..." + a.substr(from, 120) +
           "\n  now:    ..." + b.substr(from, 120);
}

// Compares with the golden file, or writes it in update mode.
void check(const std::string& golden, const std::string& now) {
    if (std::getenv("CODESIGN_UPDATE_GOLDEN")) {
        QVERIFY(writeFileAtomic(golden, now).ok());
        return;
    }
    QVERIFY2(fs::exists(golden), ("no golden file " + golden).c_str());
    const std::string expected = readText(golden);
    QVERIFY2(expected == now, (golden + " differs " + firstDifference(expected, now)).c_str());
}

} // namespace

class TestGoldenEstimates : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void jsonOnEveryDevice_data() {
        QTest::addColumn<QString>("project");
        QTest::addColumn<QString>("device");
        const DeviceLibrary library = DeviceLibrary::builtin();
        for (const std::string& project : goldenProjects())
            for (const Device& d : library.devices())
                QTest::newRow((stemOf(project) + "@" + d.name).c_str())
                    << QString::fromStdString(project) << QString::fromStdString(d.name);
    }

    void jsonOnEveryDevice() {
        QFETCH(QString, project);
        QFETCH(QString, device);
        const std::string path = project.toStdString();
        check(dataPath("golden/" + stemOf(path) + "@" + device.toStdString() + ".json"),
              report(path, device.toStdString(), true));
    }

    void textTable_data() {
        QTest::addColumn<QString>("project");
        for (const std::string& project : goldenProjects())
            QTest::newRow(stemOf(project).c_str()) << QString::fromStdString(project);
    }

    void textTable() {
        QFETCH(QString, project);
        const std::string path = project.toStdString();
        check(dataPath("golden/" + stemOf(path) + ".txt"), report(path, {}, false));
    }
};

QTEST_GUILESS_MAIN(TestGoldenEstimates)
#include "test_golden_estimates.moc"
