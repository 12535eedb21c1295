// Writes the fixtures of `codesign calibrate` (tests/data/calibration/): design folders as
// `codesign export` lays them out (estimate.json, model/NAME.yaml) with the reports a user
// would add (Vitis HLS csynth.xml, Vivado report_utilization and report_power text) and a
// CSV of board measurements, all generated from a KNOWN set of coefficients (TRUTH, a device
// overlay) plus a few per cent of noise, so that a test can check that the calibration
// recovers them. The report layouts follow the vendor documents named in the fixtures'
// README.md. Deterministic: the same TRUTH gives the same bytes.
//
//   calibration_fixtures TRUTH.yaml OUT_DIR [--noise FRACTION]   (default 0.01)
#include "core/estimate/design_estimate.h"
#include "core/hw/device_library.h"
#include "core/hw/power_model.h"
#include "core/model/project_yaml.h"
#include "core/report/estimate_report.h"
#include "core/util/atomic_file.h"
#include "core/util/json_writer.h"
#include "core/util/splitmix64.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace codesign;
namespace fs = std::filesystem;

namespace {

// Every measured figure is off by up to +-1 % (uniform). The base terms and the DDR
// efficiency, the least determined of the fitted terms, come out within 5 % at this
// noise, about two standard errors (README.md).
double kReportNoise = 0.01;
double kBoardNoise = 0.01;

// One design: a network of bundles (DW3 + PW1 + pool, as DNN-A, or PW1 + pool without
// the DW unit) at a precision, clock and accelerator of its own, chosen so that the features
// the coefficients multiply vary independently over the set: packed and unpacked DSPs,
// narrow and wide accumulators, DW-heavy and PW-only designs, 2 to 6 bundles, a small
// accelerator for the base terms, compute-bound designs and designs whose small layers
// the DDR bounds.
struct DesignPlan {
    const char* name;
    bool dw;              // DW3 + PW1 + pool bundles; false: PW1 + pool only
    const char* channels; // the bundle instances' channels, "48 96 192 384"
    int height, width;
    int weightBits, activationBits;
    int clockMhz;
    int tn, tm, pd; // 0: auto sizing (as an export of an auto project)
    int tileRows, tileCols;
    bool hierarchical; // the utilization report as report_utilization -hierarchical
};

const DesignPlan kPlans[] = {
    {"a-w16a8-100", true, "48 96 192 384", 160, 360, 16, 8, 100, 4, 32, 4, 4, 45, false},
    {"b-w8a8-150", true, "32 64", 160, 320, 8, 8, 150, 8, 16, 8, 10, 40, false},
    {"c-w11a9-125", true, "48 96 192 192", 128, 256, 11, 9, 125, 2, 32, 2, 6, 32, true},
    {"d-w14a6-200", true, "32 64 96 192", 160, 320, 14, 6, 200, 16, 8, 16, 5, 40, false},
    {"e-w12a12-100", true, "24 48 96 192 192 192", 128, 256, 12, 12, 100, 4, 16, 4, 12, 24, false},
    {"f-w8a6-175", true, "64 128 256 256", 128, 256, 8, 6, 175, 8, 32, 8, 4, 32, false},
    {"g-w16a8-75", true, "32 64 128 256 256", 160, 352, 16, 8, 75, 2, 16, 2, 8, 45, true},
    {"h-w10a8-200", true, "48 96 96 192 192", 96, 160, 10, 8, 200, 4, 8, 8, 12, 20, false},
    {"i-w8a8-120", true, "48 96 192 384", 160, 320, 8, 8, 120, 4, 32, 4, 4, 40, false},
    {"j-w13a7-160", true, "32 64", 192, 352, 13, 7, 160, 1, 4, 4, 12, 44, false},
    {"k-w16a16-90", true, "16 32 64 128 128 128", 128, 256, 16, 16, 90, 4, 8, 2, 8, 32, false},
    {"l-w6a6-200", true, "64 128 128 256", 128, 224, 6, 6, 200, 16, 16, 8, 8, 28, false},
    {"m-w9a8-140", true, "40 80 160 320", 144, 288, 9, 8, 140, 2, 8, 16, 4, 36, false},
    {"n-w12a8-110", true, "48 96 192 384", 160, 360, 12, 8, 110, 0, 0, 0, 0, 0, false},
    {"o-w8a8-200-ddr", true, "8 16 32 64", 256, 512, 8, 8, 200, 8, 16, 8, 8, 64, false},
    {"p-w4a4-200-ddr", true, "16 32 64", 256, 512, 4, 4, 200, 16, 16, 16, 8, 64, false},
    {"q-w8a8-180-ddr", true, "16 32 64 128", 256, 512, 8, 8, 180, 8, 16, 8, 8, 64, true},
    {"r-pw-w16a16-100", false, "32 64 128 128 128 128", 128, 256, 16, 16, 100, 8, 8, 0, 8, 32,
     false},
    {"s-pw-w8a8-150", false, "64 128 256 256 256", 96, 192, 8, 8, 150, 16, 16, 0, 12, 24, false},
    {"t-pw-w12a6-125", false, "32 64", 128, 256, 12, 6, 125, 4, 32, 0, 8, 32, false},
    {"u-pw-w2a16-150", false, "32 64 128", 128, 256, 2, 16, 150, 1, 64, 0, 8, 32, false},
    {"v-w4a16-100", true, "32 64 128", 128, 256, 4, 16, 100, 1, 4, 16, 8, 32, false},
    {"w-pw-w3a12-120", false, "48 96 192", 96, 192, 3, 12, 120, 2, 48, 0, 12, 24, true},
    {"x-w6a14-110", true, "24 48 96", 128, 256, 6, 14, 110, 1, 8, 12, 8, 32, false},
    {"y-pw-w1a16-100", false, "32 64 128", 96, 192, 1, 16, 100, 1, 128, 0, 6, 24, false},
    {"z-w2a16-125", true, "16 32 64", 128, 256, 2, 16, 125, 1, 2, 16, 8, 32, false},
    {"za-w16a16-100", true, "32 64 128", 96, 192, 16, 16, 100, 8, 24, 2, 6, 24, false},
    {"zb-w8a8-200-ddr", true, "8 16 32", 256, 512, 8, 8, 200, 16, 16, 16, 8, 64, false},
    {"zc-pw-w2a16-175", false, "16 32 64", 192, 384, 2, 16, 175, 1, 96, 0, 6, 48, false},
    {"zd-w3a16-150", true, "16 32 64", 128, 256, 3, 16, 150, 1, 4, 16, 8, 32, true},
};

std::string projectText(const DesignPlan& p, const std::string& device) {
    std::ostringstream s;
    s << "name: " << p.name << "\ndevice: " << device
      << "\ninput: {channels: 3, height: " << p.height << ", width: " << p.width
      << "}\nprecision: {weights: " << p.weightBits << ", activations: " << p.activationBits
      << "}\nbundles:\n";
    if (p.dw)
        s << "  b_pool:\n    - {op: dwconv, kernel: 3}\n    - {op: relu}\n"
             "    - {op: pwconv}\n    - {op: relu}\n    - {op: maxpool, kernel: 2}\n";
    else
        s << "  b_pool:\n    - {op: pwconv}\n    - {op: relu}\n    - {op: maxpool, kernel: 2}\n";
    s << "network:\n";
    std::istringstream channels(p.channels);
    for (int c = 0; channels >> c;)
        s << "  - {bundle: b_pool, channels: " << c << "}\n";
    s << "  - {op: pwconv, channels: 10}\n  - {op: bbox_head, anchors: 2}\n";
    if (p.tn == 0)
        s << "accelerator: {arch: tiled, auto: true, clock_mhz: " << p.clockMhz << "}\n";
    else
        s << "accelerator: {arch: tiled, auto: false, clock_mhz: " << p.clockMhz
          << ", pw_in: " << p.tn << ", pw_out: " << p.tm << ", dw_parallel: " << std::max(1, p.pd)
          << ", tile: [" << p.tileRows << ", " << p.tileCols << "]}\n";
    return s.str();
}

class Noise {
public:
    explicit Noise(std::uint64_t seed) : rng_(seed) {}
    double operator()(double v, double bound = kReportNoise) {
        return v * (1 + rng_.uniform(-bound, bound));
    }

private:
    SplitMix64 rng_;
};

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// A Vivado table: a rule, the header, a rule, the rows, a rule; columns padded.
std::string table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(rows.front().size(), 0);
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c)
            width[c] = std::max(width[c], r[c].size());
    std::string rule = "+";
    for (std::size_t w : width)
        rule += std::string(w + 2, '-') + "+";
    auto line = [&](const std::vector<std::string>& r, bool header) {
        std::string s = "|";
        for (std::size_t c = 0; c < r.size(); ++c) {
            const std::size_t pad = width[c] - r[c].size();
            if (header || c == 0) // names left, numbers right
                s += " " + r[c] + std::string(pad, ' ') + " |";
            else
                s += " " + std::string(pad, ' ') + r[c] + " |";
        }
        return s + "\n";
    };
    std::string out = rule + "\n" + line(rows.front(), true) + rule + "\n";
    for (std::size_t i = 1; i < rows.size(); ++i)
        out += line(rows[i], false);
    return out + rule + "\n";
}

std::string vivadoHeader(const std::string& command, const std::string& part, const char* state) {
    const std::string rule(96, '-');
    return rule +
           "\n| Tool Version : Vivado (layout of v2022.2; written by tests/tools/"
           "calibration_fixtures.cpp)\n| Command      : " +
           command + "\n| Design       : codesign_bd_wrapper\n| Device       : " + part +
           "\n| Design State : " + state + "\n" + rule + "\n\n";
}

// report_utilization of a routed design (UG906), the summary tables for a 7-series part.
std::string utilizationSummary(const std::string& part, double lut, double ff, double bram18,
                               double dsp, const Device& dev) {
    std::string s =
        vivadoHeader("report_utilization -file overlay/utilization.rpt", part, "Routed");
    s += "Utilization Design Information\n\nTable of Contents\n-----------------\n"
         "1. Slice Logic\n2. Memory\n3. DSP\n\n1. Slice Logic\n--------------\n\n";
    const double lutram = std::round(lut * 0.04);
    s += table(
        {{"Site Type", "Used", "Fixed", "Prohibited", "Available", "Util%"},
         {"Slice LUTs", fixed(lut, 0), "0", "0", std::to_string(dev.lut),
          fixed(100 * lut / dev.lut, 2)},
         {"  LUT as Logic", fixed(lut - lutram, 0), "0", "0", std::to_string(dev.lut),
          fixed(100 * (lut - lutram) / dev.lut, 2)},
         {"  LUT as Memory", fixed(lutram, 0), "0", "0", "17400", fixed(100 * lutram / 17400, 2)},
         {"Slice Registers", fixed(ff, 0), "0", "0", std::to_string(dev.ff),
          fixed(100 * ff / dev.ff, 2)},
         {"  Register as Flip Flop", fixed(ff, 0), "0", "0", std::to_string(dev.ff),
          fixed(100 * ff / dev.ff, 2)},
         {"  Register as Latch", "0", "0", "0", std::to_string(dev.ff), "0.00"}});
    s += "\n\n2. Memory\n---------\n\n";
    s += table(
        {{"Site Type", "Used", "Fixed", "Prohibited", "Available", "Util%"},
         {"Block RAM Tile", fixed(bram18 / 2, bram18 / 2 == std::floor(bram18 / 2) ? 0 : 1), "0",
          "0", std::to_string(dev.bram18 / 2), fixed(100 * bram18 / dev.bram18, 2)},
         {"  RAMB36/FIFO*", fixed(std::floor(bram18 / 2), 0), "0", "0",
          std::to_string(dev.bram18 / 2), fixed(100 * std::floor(bram18 / 2) * 2 / dev.bram18, 2)},
         {"  RAMB18", fixed(std::fmod(bram18, 2), 0), "0", "0", std::to_string(dev.bram18),
          fixed(100 * std::fmod(bram18, 2) / dev.bram18, 2)}});
    s += "\n\n3. DSP\n------\n\n";
    s += table({{"Site Type", "Used", "Fixed", "Prohibited", "Available", "Util%"},
                {"DSPs", fixed(dsp, 0), "0", "0", std::to_string(dev.dsp),
                 fixed(100 * dsp / dev.dsp, 2)}});
    return s;
}

// report_utilization -hierarchical: the design's row first, then the IP below it.
std::string utilizationHierarchy(const std::string& part, double lut, double ff, double bram18,
                                 double dsp) {
    std::string s = vivadoHeader("report_utilization -hierarchical -file "
                                 "overlay/utilization.rpt",
                                 part, "Routed");
    s += "Utilization Design Information\n\nTable of Contents\n-----------------\n"
         "1. Utilization by Hierarchy\n\n1. Utilization by Hierarchy\n"
         "---------------------------\n\n";
    const double b36 = std::floor(bram18 / 2);
    const double b18 = bram18 - 2 * b36;
    auto row = [&](const std::string& inst, const std::string& module, double share) {
        return std::vector<std::string>{inst,
                                        module,
                                        fixed(std::round(lut * share), 0),
                                        fixed(std::round(lut * share * 0.96), 0),
                                        fixed(std::round(lut * share * 0.03), 0),
                                        fixed(std::round(lut * share * 0.01), 0),
                                        fixed(std::round(ff * share), 0),
                                        fixed(share == 1 ? b36 : std::floor(b36 * share), 0),
                                        fixed(share == 1 ? b18 : 0, 0),
                                        fixed(std::round(dsp * share), 0)};
    };
    s += table({{"Instance", "Module", "Total LUTs", "Logic LUTs", "LUTRAMs", "SRLs", "FFs",
                 "RAMB36", "RAMB18", "DSP48 Blocks"},
                row("codesign_bd_wrapper", "(top)", 1.0),
                row("  codesign_bd_i", "codesign_bd", 1.0),
                row("    codesign_top_0", "codesign_bd_codesign_top_0_0", 0.8)});
    return s;
}

// report_power of the routed design (UG907): summary and on-chip components. The LUT term
// of the power model appears as Slice Logic's LUT rows and Signals, the FF term as the
// Register row and Clocks (the split calibrate reads; docs/estimator.md).
struct OnChipPower {
    double staticW, lutW, ffW, bramW, dspW;
};
std::string powerReport(const std::string& part, const OnChipPower& w, double lut, double ff,
                        double bramUsed, double dspUsed) {
    const double ps7 = 1.53; // the processor; not a figure the calibration reads
    const double clocks = 0.7 * w.ffW, registers = 0.3 * w.ffW;
    const double signals = 0.55 * w.lutW, lutLogic = 0.4 * w.lutW, carry = 0.05 * w.lutW;
    const double sliceLogic = registers + lutLogic + carry;
    const double dynamic = clocks + sliceLogic + signals + w.bramW + w.dspW + ps7;
    const double total = dynamic + w.staticW;
    std::string s = vivadoHeader("report_power -file overlay/power.rpt", part, "routed");
    s += "Power Report\n\nTable of Contents\n-----------------\n1. Summary\n"
         "1.1 On-Chip Components\n\n1. Summary\n----------\n\n";
    // The summary is a table without a header row.
    const std::vector<std::vector<std::string>> summary{
        {"Total On-Chip Power (W)", fixed(total, 3)},
        {"Dynamic (W)", fixed(dynamic, 3)},
        {"Device Static (W)", fixed(w.staticW, 3)},
        {"Confidence Level", "Low"}};
    std::size_t w0 = 0, w1 = 0;
    for (const auto& r : summary) {
        w0 = std::max(w0, r[0].size());
        w1 = std::max(w1, r[1].size());
    }
    const std::string rule =
        "+" + std::string(w0 + 2, '-') + "+" + std::string(w1 + 2, '-') + "+\n";
    s += rule;
    for (const auto& r : summary)
        s += "| " + r[0] + std::string(w0 - r[0].size(), ' ') + " | " + r[1] +
             std::string(w1 - r[1].size(), ' ') + " |\n";
    s += rule + "\n\n1.1 On-Chip Components\n----------------------\n\n";
    s += table(
        {{"On-Chip", "Power (W)", "Used", "Available", "Utilization (%)"},
         {"Clocks", fixed(clocks, 3), "3", "---", "---"},
         {"Slice Logic", fixed(sliceLogic, 3), fixed(lut + ff, 0), "---", "---"},
         {"  LUT as Logic", fixed(lutLogic, 3), fixed(lut, 0), "53200",
          fixed(100 * lut / 53200, 2)},
         {"  CARRY4", fixed(carry, 3), fixed(std::round(lut / 16), 0), "13300",
          fixed(100 * std::round(lut / 16) / 13300, 2)},
         {"  Register", fixed(registers, 3), fixed(ff, 0), "106400", fixed(100 * ff / 106400, 2)},
         {"Signals", fixed(signals, 3), fixed(std::round(lut * 1.4), 0), "---", "---"},
         {"Block RAM", fixed(w.bramW, 3), fixed(bramUsed / 2, 1), "140",
          fixed(100 * bramUsed / 280, 2)},
         {"DSPs", fixed(w.dspW, 3), fixed(dspUsed, 0), "220", fixed(100 * dspUsed / 220, 2)},
         {"I/O", "<0.001", "0", "125", "0.00"},
         {"PS7", fixed(ps7, 3), "1", "---", "---"},
         {"Static Power", fixed(w.staticW, 3), "", "", ""},
         {"Total", fixed(total, 3), "", "", ""}});
    return s;
}

// Vitis HLS csynth.xml (UG1399): the elements the calibration reads, in the tool's order.
std::string csynthXml(const std::string& part, double clockMhz, std::int64_t cycles, double lut,
                      double ff, std::int64_t dsp, std::int64_t bram18, const Device& dev) {
    std::ostringstream s;
    s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- layout of Vitis HLS 2022.2; written "
         "by tests/tools/calibration_fixtures.cpp -->\n<profile>\n"
      << "    <ReportVersion>\n        <Version>2022.2</Version>\n    </ReportVersion>\n"
      << "    <UserAssignments>\n        <unit>ns</unit>\n        "
         "<ProductFamily>zynq</ProductFamily>\n"
      << "        <Part>" << part << "</Part>\n        <TopModelName>codesign_top</TopModelName>\n"
      << "        <TargetClockPeriod>" << fixed(1000.0 / clockMhz, 2) << "</TargetClockPeriod>\n"
      << "        <ClockUncertainty>" << fixed(270.0 / clockMhz, 2) << "</ClockUncertainty>\n"
      << "        <FlowTarget>vivado</FlowTarget>\n    </UserAssignments>\n"
      << "    <PerformanceEstimates>\n        <PipelineType>none</PipelineType>\n"
      << "        <SummaryOfTimingAnalysis>\n            <unit>ns</unit>\n"
      << "            <EstimatedClockPeriod>" << fixed(0.8 * 1000.0 / clockMhz, 3)
      << "</EstimatedClockPeriod>\n        </SummaryOfTimingAnalysis>\n"
      << "        <SummaryOfOverallLatency>\n            <unit>clock cycles</unit>\n"
      << "            <Best-caseLatency>" << cycles << "</Best-caseLatency>\n"
      << "            <Average-caseLatency>undef</Average-caseLatency>\n"
      << "            <Worst-caseLatency>" << cycles << "</Worst-caseLatency>\n"
      << "            <Interval-min>" << cycles + 1 << "</Interval-min>\n"
      << "            <Interval-max>" << cycles + 1 << "</Interval-max>\n"
      << "        </SummaryOfOverallLatency>\n    </PerformanceEstimates>\n"
      << "    <AreaEstimates>\n        <Resources>\n"
      << "            <BRAM_18K>" << bram18 << "</BRAM_18K>\n            <DSP>" << dsp
      << "</DSP>\n            <FF>" << fixed(ff, 0) << "</FF>\n            <LUT>" << fixed(lut, 0)
      << "</LUT>\n            <URAM>0</URAM>\n        </Resources>\n"
      << "        <AvailableResources>\n            <BRAM_18K>" << dev.bram18
      << "</BRAM_18K>\n            <DSP>" << dev.dsp << "</DSP>\n            <FF>" << dev.ff
      << "</FF>\n            <LUT>" << dev.lut
      << "</LUT>\n            <URAM>0</URAM>\n        </AvailableResources>\n"
      << "    </AreaEstimates>\n</profile>\n";
    return s.str();
}

bool put(const fs::path& file, const std::string& text) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    Status s = writeFileAtomic(file, text);
    if (!s.ok())
        std::cerr << "calibration_fixtures: " << s.error().format() << "\n";
    return s.ok();
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

int main(int argc, char** argv) {
    if (argc == 5 && std::string(argv[3]) == "--noise") {
        kReportNoise = kBoardNoise = std::stod(argv[4]);
    } else if (argc != 3) {
        std::cerr << "usage: calibration_fixtures TRUTH.yaml OUT_DIR [--noise FRACTION]\n";
        return 2;
    }
    const DeviceLibrary library = DeviceLibrary::builtin();
    const std::string truthText = readFile(argv[1]);
    Result<Device> truth = library.withOverlay(truthText, argv[1]);
    if (!truth.ok()) {
        std::cerr << "calibration_fixtures: " << truth.error().format() << "\n";
        return 2;
    }
    const fs::path out(argv[2]);
    const std::string part = truth->part;
    const std::string vivadoPart = part.substr(2); // Vivado's header drops the "xc"
    std::string csv = "# Board measurements of the fixture designs (generated: see README.md)\n"
                      "design,fps,power_w\n";
    Noise noise(20261203);
    for (const DesignPlan& plan : kPlans) {
        Result<Project> project = parseProject(projectText(plan, truth->name), plan.name);
        if (!project.ok()) {
            std::cerr << project.error().format() << "\n";
            return 1;
        }
        // The export: the design as the library sizes and estimates it.
        Result<DesignEstimate> exported = estimateDesign(*project, library);
        if (!exported.ok()) {
            std::cerr << exported.error().format() << "\n";
            return 1;
        }
        JsonWriter json;
        writeEstimateJson(json, *exported, plan.name);
        const AcceleratorSpec fixedSpec = exported->architecture->fixedSpec(
            exported->estimate.detail, exported->graph, project->accelerator);
        // The "board": the same design under the true coefficients.
        Result<Estimate> real = estimateDesign(exported->graph, *truth, fixedSpec);
        if (!real.ok()) {
            std::cerr << real.error().format() << "\n";
            return 1;
        }
        const Estimate& e = *real;
        const PowerBreakdown p =
            boardPower(truth->power, e.used, e.clockMhz, double(e.ddrBytesPerImage) * e.fps);
        const double lut = std::round(noise(double(e.used.lut)));
        const double ff = std::round(noise(double(e.used.ff)));
        // The LUT and FF terms apart: the power model with only the LUTs, or only the FFs.
        const double lutW = boardPower(truth->power, {0, 0, e.used.lut, 0}, e.clockMhz, 0).logicW;
        const double ffW = boardPower(truth->power, {0, 0, 0, e.used.ff}, e.clockMhz, 0).logicW;
        const OnChipPower onChip{noise(p.plStaticW), noise(lutW), noise(ffW), noise(p.bramW),
                                 noise(p.dspW)};
        const fs::path dir = out / plan.name;
        bool ok = put(dir / "estimate.json", json.str() + "\n") &&
                  put(dir / "model" / (std::string(plan.name) + ".yaml"), projectToYaml(*project));
        ok = ok &&
             put(dir / (std::string(plan.name) + "_hls") / "solution1" / "syn" / "report" /
                     "csynth.xml",
                 csynthXml(part, e.clockMhz, e.cycles, std::round(noise(0.8 * double(e.used.lut))),
                           std::round(noise(0.8 * double(e.used.ff))), e.used.dsp, e.used.bram18,
                           *truth));
        ok = ok &&
             put(dir / "overlay" / "utilization.rpt",
                 plan.hierarchical ? utilizationHierarchy(vivadoPart, lut, ff,
                                                          double(e.used.bram18), double(e.used.dsp))
                                   : utilizationSummary(vivadoPart, lut, ff, double(e.used.bram18),
                                                        double(e.used.dsp), *truth));
        ok = ok && put(dir / "overlay" / "power.rpt",
                       powerReport(vivadoPart, onChip, lut, ff, double(e.used.bram18),
                                   double(e.used.dsp)));
        if (!ok)
            return 1;
        csv += std::string(plan.name) + "," + fixed(noise(e.fps, kBoardNoise), 3) + "," +
               fixed(noise(p.totalW(), kBoardNoise), 3) + "\n";
        std::printf("%-14s lut %6lld ff %6lld dsp %4lld bram %4lld fps %7.2f (compute %7.2f) "
                    "W %5.2f ddr %5.3f GB/s %s\n",
                    plan.name, static_cast<long long>(e.used.lut),
                    static_cast<long long>(e.used.ff), static_cast<long long>(e.used.dsp),
                    static_cast<long long>(e.used.bram18), e.fps, e.computeBoundFps, p.totalW(),
                    double(e.ddrBytesPerImage) * e.fps / 1e9,
                    e.feasible ? "" : e.violations.front().c_str());
    }
    return put(out / "measured.csv", csv) ? 0 : 1;
}
