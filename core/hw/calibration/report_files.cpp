#include "report_files.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace codesign {
namespace fs = std::filesystem;
namespace {

enum class Kind { Csynth, Utilization, Power, Measured, Other };

Diagnostic fileError(const fs::path& file, std::string message) {
    Diagnostic d = makeError(std::move(message));
    d.file = file.string();
    return d;
}

Result<std::string> readText(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return fileError(file, "cannot read the file");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

Kind classify(const fs::path& file, std::string_view text) {
    const std::string ext = file.extension().string();
    if (ext == ".xml")
        return looksLikeCsynthReport(text) ? Kind::Csynth : Kind::Other;
    if (ext == ".csv")
        return looksLikeMeasuredCsv(text) ? Kind::Measured : Kind::Other;
    if (looksLikePowerReport(text))
        return Kind::Power;
    if (looksLikeUtilizationReport(text))
        return Kind::Utilization;
    return Kind::Other;
}

// Vivado's project internals hold a report per IP and run; the user's reports are elsewhere.
bool skippedFolder(const fs::path& dir) {
    const std::string name = dir.filename().string();
    if (name.empty() || name.front() == '.')
        return true;
    for (const char* suffix : {".runs", ".cache", ".hw", ".ip_user_files", ".gen", ".srcs", ".sim"})
        if (name.size() > std::string_view(suffix).size() &&
            name.compare(name.size() - std::string_view(suffix).size(), std::string::npos,
                         suffix) == 0)
            return true;
    return false;
}

bool candidateName(const fs::path& file) {
    const std::string ext = file.extension().string();
    return file.filename() == "csynth.xml" || ext == ".rpt" || ext == ".txt" || ext == ".csv";
}

struct Found {
    fs::path file;
    bool explicitly = false;
};

struct Collected {
    std::vector<Found> files;
    std::set<fs::path> designFolders;
};

void walk(const fs::path& dir, Collected& out) {
    std::error_code ec;
    if (fs::exists(dir / "estimate.json", ec))
        out.designFolders.insert(fs::weakly_canonical(dir, ec));
    std::vector<fs::path> entries;
    for (const auto& e : fs::directory_iterator(dir, ec))
        entries.push_back(e.path());
    std::sort(entries.begin(), entries.end());
    for (const fs::path& p : entries) {
        if (fs::is_directory(p, ec)) {
            if (!skippedFolder(p))
                walk(p, out);
        } else if (candidateName(p)) {
            out.files.push_back({p, false});
        }
    }
}

// The nearest folder above `file` with an estimate.json.
std::optional<fs::path> designFolderOf(const fs::path& file) {
    std::error_code ec;
    fs::path dir = fs::weakly_canonical(file, ec).parent_path();
    while (!dir.empty()) {
        if (fs::exists(dir / "estimate.json", ec))
            return dir;
        if (dir == dir.root_path())
            break;
        dir = dir.parent_path();
    }
    return std::nullopt;
}

template <class Report>
Status put(std::optional<Report>& slot, bool& slotExplicit, Report report, bool explicitly,
           const std::string& design, const char* what) {
    if (slot && slotExplicit == explicitly)
        return fileError(report.file, std::string("a second ") + what + " for design '" + design +
                                          "' (the other is " + slot->file +
                                          "); pass the one you mean as a file");
    if (!slot || explicitly) {
        slot = std::move(report);
        slotExplicit = explicitly;
    }
    return okStatus();
}

struct Slots {
    DesignReports reports;
    bool hlsExplicit = false, utilExplicit = false, powerExplicit = false;
};

Status addReport(const Found& f, Kind kind, const std::string& text,
                 std::map<fs::path, Slots>& designs, std::vector<MeasuredTable>& tables) {
    const std::string name = f.file.string();
    if (kind == Kind::Measured) {
        Result<MeasuredTable> t = parseMeasuredCsv(text, name);
        if (!t.ok())
            return t.error();
        tables.push_back(std::move(t).value());
        return okStatus();
    }
    const std::optional<fs::path> folder = designFolderOf(f.file);
    if (!folder)
        return fileError(f.file, "no design folder holds this report (a folder with the "
                                 "estimate.json that codesign export writes)");
    Slots& s = designs[*folder];
    s.reports.folder = *folder;
    s.reports.name = folder->filename().string();
    const std::string& design = s.reports.name;
    if (kind == Kind::Csynth) {
        Result<HlsReport> r = parseCsynthReport(text, name);
        if (!r.ok())
            return r.error();
        return put(s.reports.hls, s.hlsExplicit, std::move(r).value(), f.explicitly, design,
                   "csynth.xml");
    }
    if (kind == Kind::Utilization) {
        Result<UtilizationReport> r = parseUtilizationReport(text, name);
        if (!r.ok())
            return r.error();
        return put(s.reports.utilization, s.utilExplicit, std::move(r).value(), f.explicitly,
                   design, "utilization report");
    }
    Result<PowerReport> r = parsePowerReport(text, name);
    if (!r.ok())
        return r.error();
    return put(s.reports.power, s.powerExplicit, std::move(r).value(), f.explicitly, design,
               "power report");
}

// Gives each CSV row to the design folder of its name.
Status attachMeasurements(const std::vector<MeasuredTable>& tables,
                          std::map<fs::path, Slots>& designs) {
    std::map<std::string, Slots*> byName;
    std::string known;
    for (auto& [folder, s] : designs) {
        auto [it, fresh] = byName.emplace(s.reports.name, &s);
        if (!fresh)
            return fileError(folder, "two design folders are named '" + s.reports.name +
                                         "' (the other is " + it->second->reports.folder.string() +
                                         "); the CSV could not tell them apart");
        known += (known.empty() ? "" : ", ") + s.reports.name;
    }
    for (const MeasuredTable& t : tables)
        for (const MeasuredRow& row : t.rows) {
            auto it = byName.find(row.design);
            if (it == byName.end()) {
                Diagnostic d = makeError("design '" + row.design +
                                             "' has no design folder among the arguments (" +
                                             (known.empty() ? std::string("none") : known) + ")",
                                         {row.line, 1});
                d.file = t.file;
                return d;
            }
            DesignReports& r = it->second->reports;
            if (r.measured) {
                Diagnostic d =
                    makeError("design '" + row.design + "' is measured twice (also " +
                                  r.measuredFile + ":" + std::to_string(r.measured->line) + ")",
                              {row.line, 1});
                d.file = t.file;
                return d;
            }
            r.measured = row;
            r.measuredFile = t.file;
        }
    return okStatus();
}

} // namespace

Result<std::vector<DesignReports>> findDesignReports(const std::vector<std::string>& arguments) {
    Collected found;
    std::error_code ec;
    for (const std::string& arg : arguments) {
        const fs::path p(arg);
        if (fs::is_directory(p, ec))
            walk(p, found);
        else if (fs::exists(p, ec))
            found.files.push_back({p, true});
        else
            return fileError(p, "no such file or folder");
    }
    std::map<fs::path, Slots> designs;
    for (const fs::path& folder : found.designFolders) {
        Slots& s = designs[folder];
        s.reports.folder = folder;
        s.reports.name = folder.filename().string();
    }
    // Files named explicitly first, so that one also found in a folder counts as explicit.
    std::stable_partition(found.files.begin(), found.files.end(),
                          [](const Found& f) { return f.explicitly; });
    std::vector<MeasuredTable> tables;
    std::set<fs::path> seen;
    for (const Found& f : found.files) {
        if (!seen.insert(fs::weakly_canonical(f.file, ec)).second)
            continue;
        Result<std::string> text = readText(f.file);
        if (!text.ok())
            return text.error();
        const Kind kind = classify(f.file, *text);
        if (kind == Kind::Other) {
            if (f.explicitly)
                return fileError(f.file, "not a report codesign calibrate reads (csynth.xml, "
                                         "report_utilization or report_power text, or a CSV "
                                         "with a design,fps header)");
            continue;
        }
        if (Status s = addReport(f, kind, *text, designs, tables); !s.ok())
            return s.error();
    }
    if (Status s = attachMeasurements(tables, designs); !s.ok())
        return s.error();
    std::vector<DesignReports> out;
    for (auto& [folder, s] : designs)
        out.push_back(std::move(s.reports));
    return out;
}

} // namespace codesign
