#include "calibration_designs.h"

#include "../../estimate/design_estimate.h"
#include "../../model/project_device.h"
#include "../../model/project_yaml.h"
#include "../../util/json_writer.h"

#include <array>
#include <cctype>
#include <cmath>
#include <yaml-cpp/yaml.h>

namespace codesign {
namespace fs = std::filesystem;
namespace {

struct QuantityInfo {
    Quantity q;
    std::string_view name;
    std::string_view key;
    std::optional<CalibrationModel> model;
};

constexpr std::array<QuantityInfo, kQuantityCount> kQuantities{{
    {Quantity::Lut, "LUT", "lut", CalibrationModel::Lut},
    {Quantity::Ff, "FF", "ff", CalibrationModel::Ff},
    {Quantity::Dsp, "DSP", "dsp", std::nullopt},
    {Quantity::Bram18, "BRAM18", "bram18", std::nullopt},
    {Quantity::Fps, "FPS", "fps", CalibrationModel::Timing},
    {Quantity::BoardPower, "board power", "board_power_w", CalibrationModel::Power},
    {Quantity::PlStatic, "PL static power", "pl_static_w", CalibrationModel::Power},
    {Quantity::DspPower, "DSP power", "dsp_power_w", CalibrationModel::Power},
    {Quantity::BramPower, "BRAM power", "bram_power_w", CalibrationModel::Power},
    {Quantity::LogicPower, "logic power", "logic_power_w", CalibrationModel::Power},
    {Quantity::LutPower, "LUT power", "lut_power_w", CalibrationModel::Power},
    {Quantity::FfPower, "FF power", "ff_power_w", CalibrationModel::Power},
}};

Diagnostic fileError(const std::string& file, std::string message, SourcePos pos = {}) {
    Diagnostic d = makeError(std::move(message), pos);
    d.file = file;
    return d;
}

std::string at(const std::string& file, int line) {
    return line > 0 ? file + ":" + std::to_string(line) : file;
}

// The die of a part name, the way the reports and the device files spell it differently:
// "xc7z020clg400-1", "xc7z020-clg400-1" and "7z020clg400-1" are all "7z020".
std::string die(std::string part) {
    for (char& c : part)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (part.rfind("xc", 0) == 0)
        part.erase(0, 2);
    std::string out;
    bool digitsAfterLetter = false;
    bool seenLetter = false;
    for (char c : part) {
        const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
        const bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
        if (!digit && !letter)
            continue;
        if (digitsAfterLetter && !digit)
            break;
        out += c;
        seenLetter = seenLetter || letter;
        digitsAfterLetter = digitsAfterLetter || (digit && seenLetter);
    }
    return out;
}

Status checkPart(const std::string& reportPart, const std::string& file, int line,
                 const Device& device) {
    if (reportPart.empty() || die(reportPart) == die(device.part))
        return okStatus();
    return fileError(file,
                     "the report is for part " + reportPart + ", the calibration for " +
                         device.name + " (" + device.part + ")",
                     {line, line > 0 ? 1 : 0});
}

Result<fs::path> projectFileOf(const fs::path& folder) {
    std::vector<fs::path> yamls;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder / "model", ec))
        if (e.path().extension() == ".yaml")
            yamls.push_back(e.path());
    if (yamls.size() != 1)
        return fileError((folder / "model").string(),
                         yamls.empty() ? "no project (model/*.yaml) in the design folder"
                                       : "more than one project (model/*.yaml) in the design "
                                         "folder");
    return yamls.front();
}

// JSON trees equal, scalars by their text; `skip` is a key left out at the top.
bool sameTree(const YAML::Node& a, const YAML::Node& b, std::string_view skip = {}) {
    if (a.Type() != b.Type())
        return false;
    if (a.IsScalar())
        return a.Scalar() == b.Scalar();
    if (a.IsSequence()) {
        if (a.size() != b.size())
            return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!sameTree(a[i], b[i]))
                return false;
        return true;
    }
    if (a.IsMap()) {
        std::size_t na = 0, nb = 0;
        for (const auto& kv : a) {
            const std::string k = kv.first.as<std::string>();
            if (k == skip)
                continue;
            ++na;
            if (!b[k] || !sameTree(kv.second, b[k]))
                return false;
        }
        for (const auto& kv : b)
            if (kv.first.as<std::string>() != skip)
                ++nb;
        return na == nb;
    }
    return true;
}

// The exported accelerator, as estimate.json records it.
Result<YAML::Node> exportedDesign(const fs::path& folder) {
    const std::string file = (folder / "estimate.json").string();
    try {
        YAML::Node root = YAML::LoadFile(file);
        YAML::Node acc = root["accelerator"];
        if (!acc || !acc.IsMap())
            return fileError(file, "no \"accelerator\" object (is this codesign's estimate.json?)");
        return acc;
    } catch (const YAML::Exception& e) {
        return fileError(file, "not readable JSON: " + e.msg, {e.mark.line + 1, e.mark.column + 1});
    }
}

// The project's design on `library`'s device, if it is the one exported.
std::optional<DesignEstimate> matchingDesign(const Project& project, const DeviceLibrary& library,
                                             const YAML::Node& exported, Diagnostic& error) {
    Result<DesignEstimate> de = estimateDesign(project, library);
    if (!de.ok()) {
        error = de.error();
        return std::nullopt;
    }
    JsonWriter w;
    de->architecture->writeDesignJson(w, de->estimate.detail, de->estimate.autoSized, &de->graph);
    if (!sameTree(YAML::Load(w.str()), exported, "auto"))
        return std::nullopt;
    return std::move(de).value();
}

void observe(CalibrationDesign& d, Quantity q, double measured, std::string source) {
    d.observations.push_back({q, measured, std::move(source)});
}

Status addHls(CalibrationDesign& d, const HlsReport& r, const Device& device) {
    if (Status s = checkPart(r.part, r.file, r.partPos.line, device); !s.ok())
        return s;
    if (r.targetClockNs > 0) {
        const double mhz = 1000.0 / r.targetClockNs;
        if (std::abs(mhz - d.clockMhz) > 0.01 * d.clockMhz)
            return fileError(r.file,
                             "<TargetClockPeriod>: the HLS run targets " +
                                 std::to_string(int(std::lround(mhz))) + " MHz, design '" + d.name +
                                 "' runs at " + std::to_string(int(std::lround(d.clockMhz))) +
                                 " MHz",
                             r.targetClockPos);
    }
    return okStatus();
}

Status addPower(CalibrationDesign& d, const PowerReport& r, const Device& device) {
    if (Status s = checkPart(r.part, r.file, r.partLine, device); !s.ok())
        return s;
    observe(d, Quantity::PlStatic, r.deviceStaticW, at(r.file, r.staticLine));
    if (const PowerComponent* c = r.component("DSPs"))
        observe(d, Quantity::DspPower, c->watts, at(r.file, c->line));
    if (const PowerComponent* c = r.component("Block RAM"))
        observe(d, Quantity::BramPower, c->watts, at(r.file, c->line));
    // The model's logic terms stand for the fabric's toggling: its logic, its routing
    // (Signals) and the clock trees, which end at the registers' clock pins.
    const PowerComponent* logic = r.component("Slice Logic");
    if (!logic)
        logic = r.component("CLB Logic");
    if (!logic)
        return fileError(r.file, "no 'Slice Logic' or 'CLB Logic' row in On-Chip Components");
    const PowerComponent* clocks = r.component("Clocks");
    const PowerComponent* signals = r.component("Signals");
    const double clocksW = clocks ? clocks->watts : 0;
    const double signalsW = signals ? signals->watts : 0;
    const PowerComponent* registers = nullptr;
    for (const PowerComponent& p : logic->parts)
        if (p.name == "Register")
            registers = &p;
    if (!registers) {
        observe(d, Quantity::LogicPower, logic->watts + clocksW + signalsW,
                at(r.file, logic->line));
        return okStatus();
    }
    // With Slice Logic's rows, the LUT term (LUT rows, carry chains, muxes, and the nets
    // they drive) and the FF term (registers and their clocks) are measured apart.
    double lutW = signalsW;
    for (const PowerComponent& p : logic->parts)
        if (&p != registers)
            lutW += p.watts;
    observe(d, Quantity::LutPower, lutW, at(r.file, logic->line));
    observe(d, Quantity::FfPower, registers->watts + clocksW, at(r.file, registers->line));
    return okStatus();
}

Result<CalibrationDesign> loadDesign(const DesignReports& reports, const Device& device,
                                     const DeviceLibrary& library) {
    Result<fs::path> projectFile = projectFileOf(reports.folder);
    if (!projectFile.ok())
        return projectFile.error();
    Result<Project> project = loadProjectFile(projectFile->string());
    if (!project.ok())
        return project.error();
    Result<Device> own = resolveDevice(*project, library);
    if (!own.ok())
        return own.error();
    if (own->name != device.name)
        return fileError(projectFile->string(), "design '" + reports.name + "' is for " +
                                                    own->name + ", the calibration for " +
                                                    device.name);
    Result<YAML::Node> exported = exportedDesign(reports.folder);
    if (!exported.ok())
        return exported.error();
    // The export sized the design on the device as the library had it then: today's
    // library, or the built-in device without overlays.
    Diagnostic error;
    std::optional<DesignEstimate> de = matchingDesign(*project, library, *exported, error);
    if (!de && error.message.empty())
        de = matchingDesign(*project, DeviceLibrary::builtin(), *exported, error);
    if (!de)
        return !error.message.empty()
                   ? error
                   : fileError((reports.folder / "estimate.json").string(),
                               "the accelerator exported here is not the design " +
                                   projectFile->filename().string() +
                                   " describes today; write the exported design into the "
                                   "project (auto: false and its factors and tiles)");
    CalibrationDesign d;
    d.name = reports.name;
    d.folder = reports.folder;
    d.projectFile = projectFile->string();
    d.spec = de->architecture->fixedSpec(de->estimate.detail, de->graph, project->accelerator);
    d.graph = std::move(de->graph);
    d.clockMhz = de->estimate.clockMhz;
    if (reports.hls)
        if (Status s = addHls(d, *reports.hls, device); !s.ok())
            return s.error();
    if (const std::optional<UtilizationReport>& u = reports.utilization) {
        if (Status s = checkPart(u->part, u->file, u->partLine, device); !s.ok())
            return s.error();
        observe(d, Quantity::Lut, u->lut, at(u->file, u->lutLine));
        observe(d, Quantity::Ff, u->ff, at(u->file, u->ffLine));
        observe(d, Quantity::Dsp, u->dsp, at(u->file, u->dspLine));
        observe(d, Quantity::Bram18, u->bram18, at(u->file, u->bramLine));
        d.measuredResources =
            Resources{std::int64_t(std::llround(u->dsp)), std::int64_t(std::llround(u->bram18)),
                      std::int64_t(std::llround(u->lut)), std::int64_t(std::llround(u->ff))};
    } else if (const std::optional<HlsReport>& h = reports.hls) {
        const std::string src = at(h->file, h->resourcesPos.line);
        observe(d, Quantity::Lut, double(h->lut), src);
        observe(d, Quantity::Ff, double(h->ff), src);
        observe(d, Quantity::Dsp, double(h->dsp), src);
        observe(d, Quantity::Bram18, double(h->bram18), src);
        d.measuredResources = Resources{h->dsp, h->bram18, h->lut, h->ff};
    }
    if (reports.power)
        if (Status s = addPower(d, *reports.power, device); !s.ok())
            return s.error();
    if (const std::optional<MeasuredRow>& m = reports.measured) {
        d.measuredFps = m->fps;
        observe(d, Quantity::Fps, m->fps, at(reports.measuredFile, m->line));
        if (m->powerW)
            observe(d, Quantity::BoardPower, *m->powerW, at(reports.measuredFile, m->line));
    }
    return d;
}

} // namespace

std::string_view quantityName(Quantity q) {
    return kQuantities[std::size_t(q)].name;
}
std::string_view quantityKey(Quantity q) {
    return kQuantities[std::size_t(q)].key;
}
std::optional<CalibrationModel> modelOf(Quantity q) {
    return kQuantities[std::size_t(q)].model;
}

Result<std::vector<CalibrationDesign>>
loadCalibrationDesigns(const std::vector<DesignReports>& reports, const Device& device,
                       const DeviceLibrary& library) {
    std::vector<CalibrationDesign> designs;
    for (const DesignReports& r : reports) {
        Result<CalibrationDesign> d = loadDesign(r, device, library);
        if (!d.ok())
            return d.error();
        designs.push_back(std::move(d).value());
    }
    return designs;
}

} // namespace codesign
