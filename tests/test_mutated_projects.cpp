// Bad input gets a clear message, never a crash (docs/project-format.md, "Errors"): the
// examples and test projects, mutated with a fixed seed (values replaced by extremes,
// lines dropped or repeated, stray YAML characters), are parsed and estimated in-process.
// Each outcome must be an estimate with finite figures or one diagnostic that points at a
// position or a layer. Under CI's AddressSanitizer + UBSan build, a crash or undefined
// behaviour fails the run as well.
#include "core/estimate/design_estimate.h"
#include "core/hw/device_library.h"
#include "test_support.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

using namespace codesign;
using namespace codesign::testing;

namespace {

// A small deterministic generator (the same cases on every platform and library).
class Draw {
public:
    explicit Draw(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 1) {}
    int below(int n) {
        state_ ^= state_ << 13;
        state_ ^= state_ >> 7;
        state_ ^= state_ << 17;
        return static_cast<int>(state_ % static_cast<std::uint64_t>(n));
    }
    template <class T> const T& pick(const std::vector<T>& items) {
        return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
    }

private:
    std::uint64_t state_;
};

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(text.substr(start, end - start));
    lines.push_back(text.substr(start));
    return lines;
}

// Values a user could type where a number or a list goes, most of them wrong.
const std::vector<std::string> kValues = {"0",          "-1",
                                          "1",          "2",
                                          "3",          "7",
                                          "64",         "65",
                                          "1000",       "100000",
                                          "46341",      "0.5",
                                          "-0.5",       "2147483647",
                                          "x",          "\"\"",
                                          "[]",         "{}",
                                          "null",       "1e308",
                                          "nan",        ".inf",
                                          "[1, 2]",     "[0, 0]",
                                          "[-1, 5]",    "[100000, 100000]",
                                          "0.0001",     "fixed<8,4>",
                                          "fixed<0,0>", "fixed<70,3>",
                                          "99999999999"};
const std::vector<std::string> kStray = {"{", "}",  "[", "]", ":",  ",",  " ",     "\t",
                                         "#", "\"", "'", "-", "&a", "*a", "!!int "};

// Replaces the number (or else the value after a colon) at a drawn place of the line.
void replaceValue(std::string& line, Draw& d) {
    std::vector<std::pair<std::size_t, std::size_t>> spans; // numbers
    for (std::size_t i = 0; i < line.size();) {
        if (std::isdigit(static_cast<unsigned char>(line[i]))) {
            std::size_t j = i;
            while (j < line.size() &&
                   (std::isdigit(static_cast<unsigned char>(line[j])) || line[j] == '.'))
                ++j;
            spans.emplace_back(i, j - i);
            i = j;
        } else {
            ++i;
        }
    }
    if (spans.empty()) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos)
            return;
        spans.emplace_back(colon + 1, line.size() - colon - 1);
    }
    const auto [at, length] = d.pick(spans);
    line.replace(at, length, d.pick(kValues));
}

std::string mutate(const std::string& text, Draw& d) {
    std::vector<std::string> lines = splitLines(text);
    const int edits = 1 + d.below(3);
    for (int k = 0; k < edits && !lines.empty(); ++k) {
        const std::size_t j = static_cast<std::size_t>(d.below(static_cast<int>(lines.size())));
        const int kind = d.below(6);
        if (kind <= 2) {
            replaceValue(lines[j], d);
        } else if (kind == 3) {
            lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(j));
        } else if (kind == 4) {
            lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(j), d.pick(lines));
        } else {
            const int at = d.below(static_cast<int>(lines[j].size()) + 1);
            lines[j].insert(static_cast<std::size_t>(at), d.pick(kStray));
        }
    }
    std::string out;
    for (const std::string& line : lines)
        out += line + '\n';
    return out;
}

// One line that names where: a position, or a layer.
bool pointsSomewhere(const Diagnostic& d) {
    return !d.message.empty() && (d.pos.known() || !d.layer.empty()) &&
           d.format().find('\n') == std::string::npos;
}

} // namespace

class TestMutatedProjects : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mutatedProjectsEstimateOrPointAtTheError() {
        const std::vector<std::string> sources = {
            "examples/dac19-dnn-a.yaml",    "examples/dac19-dnn-b.yaml",
            "examples/dac19-dnn-c.yaml",    "examples/dac-sdc-explore.yaml",
            "tests/data/mobilenet-v1.yaml", "tests/data/resnet-18.yaml"};
        const DeviceLibrary& library = DeviceLibrary::builtin();
        Draw d(2026);
        int parsed = 0, estimated = 0, rejected = 0;
        for (int i = 0; i < 400; ++i) {
            const std::string text = mutate(readText(sourcePath(d.pick(sources))), d);
            const std::string context = "case " + std::to_string(i) + ":\n" + text;
            Result<Project> p = parseProject(text, "mutated.yaml");
            if (!p.ok()) {
                ++rejected;
                QVERIFY2(pointsSomewhere(p.error()), (context + p.error().format()).c_str());
                continue;
            }
            ++parsed;
            Result<DesignEstimate> e = estimateDesign(*p, library);
            if (!e.ok()) {
                ++rejected;
                QVERIFY2(pointsSomewhere(e.error()), (context + e.error().format()).c_str());
                continue;
            }
            ++estimated;
            const Estimate& est = e->estimate;
            QVERIFY2(std::isfinite(est.fps) && est.fps >= 0, context.c_str());
            QVERIFY2(std::isfinite(est.powerW) && est.powerW > 0, context.c_str());
            QVERIFY2(est.used.dsp >= 0 && est.used.bram18 >= 0 && est.used.lut >= 0 &&
                         est.used.ff >= 0,
                     context.c_str());
        }
        // The mutations reach both sides: projects that still estimate, and rejections.
        qInfo("400 mutated projects: %d parsed, %d estimated, %d rejected", parsed, estimated,
              rejected);
        QVERIFY(estimated >= 40);
        QVERIFY(rejected >= 200);
    }
};

QTEST_APPLESS_MAIN(TestMutatedProjects)
#include "test_mutated_projects.moc"
