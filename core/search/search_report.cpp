#include "search_report.h"

#include "../estimate/design_estimate.h"
#include "../model/project_yaml.h"
#include "../util/splitmix64.h"
#include "../util/staged_folder.h"

#include <charconv>
#include <cstdio>
#include <yaml-cpp/yaml.h>

namespace codesign {
namespace {

std::string num(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "nan";
}

// A CSV cell: quoted when it holds a comma, quote or newline.
std::string cell(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string joined(const std::vector<std::string>& parts) {
    std::string s;
    for (const std::string& p : parts)
        s += (s.empty() ? "" : "; ") + p;
    return s;
}

void writePointJson(JsonWriter& w, const DesignSpace& space, const EvaluatedPoint& p) {
    w.beginObject();
    w.field("id", p.id);
    w.field("qor", p.qor.qor);
    w.field("qor_uncertainty", p.qor.uncertainty);
    w.field("qor_source", p.qor.source);
    w.field("qor_predicted", p.qor.predicted);
    w.field("fps", p.fps);
    w.field("latency_ms", p.latencyMs);
    w.field("power_w", p.powerW);
    w.field("dsp", p.used.dsp);
    w.field("bram18", p.used.bram18);
    w.field("lut", p.used.lut);
    w.field("ff", p.used.ff);
    w.field("feasible", p.feasible);
    w.field("objective", p.objective);
    w.field("design_hash", p.designHash);
    w.key("config");
    w.beginObject();
    for (std::size_t i = 0; i < space.dimensions(); ++i) {
        const Coordinate& c = space.coordinates()[i];
        if (c.kind == Coordinate::Kind::Arch)
            w.field(c.name, c.labels[static_cast<std::size_t>(p.point[i])]);
        else
            w.field(c.name, space.value(p.point, i));
    }
    w.key("accelerator");
    architectureOf(p.design).writeDesignJson(w, p.design, true, nullptr);
    w.endObject();
    if (!p.violations.empty()) {
        w.key("violations");
        w.beginArray();
        for (const std::string& v : p.violations)
            w.value(v);
        w.endArray();
    }
    w.endObject();
}

} // namespace

std::string searchProjectHash(const Project& project) {
    const std::uint64_t h = fnv1a(projectToYaml(project));
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

Result<SearchRunInfo> readSearchRunOrigin(const std::string& dir) {
    const std::string path = dir + "/pareto.json";
    SearchRunInfo info;
    try {
        const YAML::Node root = YAML::LoadFile(path);
        if (root["project_file"])
            info.projectFile = root["project_file"].as<std::string>();
        if (root["project_hash"])
            info.projectHash = root["project_hash"].as<std::string>();
    } catch (const YAML::Exception& e) {
        Diagnostic d = makeError("cannot read the search's summary: " + e.msg);
        d.file = path;
        return d;
    }
    return info;
}

Result<Project> designProject(const DesignSpace& space, const EvaluatedPoint& point) {
    Project p = space.apply(point.point);
    Result<Graph> graph = buildGraph(p);
    if (!graph.ok())
        return graph.error();
    return withFixedDesign(std::move(p), *graph, point.design);
}

void writeSearchSummaryJson(JsonWriter& w, const DesignSpace& space, const SearchOutcome& o,
                            const SearchRunInfo& info) {
    int feasible = 0;
    for (const EvaluatedPoint& p : o.points)
        feasible += p.feasible ? 1 : 0;
    w.beginObject();
    w.field("project", info.project);
    if (!info.projectHash.empty()) {
        w.field("project_file", info.projectFile);
        w.field("project_hash", info.projectHash);
    }
    w.field("device", info.device);
    w.field("strategy", info.strategy);
    w.field("front", info.front);
    w.field("seed", static_cast<std::int64_t>(info.seed));
    w.field("qor_evaluator", info.qorEvaluator);
    w.field("qor_predicted", info.qorPredicted);
    w.field("space_size", static_cast<double>(space.size()));
    w.field("evaluations", static_cast<int>(o.points.size()));
    w.field("feasible", feasible);
    w.field("seconds", o.seconds);
    w.field("cancelled", o.cancelled);
    w.field("stop_reason", o.stopReason);
    w.field("hypervolume", o.hypervolume);
    w.key("reference");
    w.beginObject();
    w.field("qor", o.reference.qor);
    w.field("fps", o.reference.fps);
    w.field("power_w", o.reference.powerW);
    w.endObject();
    w.key("pareto");
    w.beginArray();
    for (const auto& e : o.archive.front())
        writePointJson(w, space, o.points[e.id]);
    w.endArray();
    w.key("best");
    if (o.bestId >= 0)
        writePointJson(w, space, o.points[o.bestId]);
    else
        w.null();
    w.endObject();
}

Status writeSearchOutputs(const std::string& dir, const DesignSpace& space, const SearchOutcome& o,
                          const SearchRunInfo& info) {
    // A new folder replaces the old one whole: no design of an earlier run stays behind.
    Result<std::unique_ptr<StagedFolder>> folder = StagedFolder::begin(dir, true);
    if (!folder.ok())
        return folder.error();
    std::string csv = "id,feasible,objective,qor,qor_uncertainty,qor_source,qor_predicted,fps,"
                      "latency_ms,power_w,dsp,bram18,lut,ff,on_front,design_hash";
    for (const Coordinate& c : space.coordinates())
        if (c.kind != Coordinate::Kind::Arch) // the `arch` column names it
            csv += "," + cell(c.name);
    // The family, then each family's design columns (empty for designs of another).
    csv += ",arch";
    std::vector<const Architecture*> families;
    for (std::string_view name : space.architectures()) {
        families.push_back(findArchitecture(name));
        for (const std::string& c : families.back()->designCsvColumns())
            csv += "," + c;
    }
    csv += ",violations\n";
    for (const EvaluatedPoint& p : o.points) {
        csv += std::to_string(p.id) + "," + (p.feasible ? "1" : "0") + "," + num(p.objective) +
               "," + num(p.qor.qor) + "," + num(p.qor.uncertainty) + "," + cell(p.qor.source) +
               "," + (p.qor.predicted ? "1" : "0") + "," + num(p.fps) + "," + num(p.latencyMs) +
               "," + num(p.powerW) + "," + std::to_string(p.used.dsp) + "," +
               std::to_string(p.used.bram18) + "," + std::to_string(p.used.lut) + "," +
               std::to_string(p.used.ff) + "," + (o.archive.contains(p.id) ? "1" : "0") + "," +
               p.designHash;
        for (std::size_t i = 0; i < space.dimensions(); ++i)
            if (space.coordinates()[i].kind != Coordinate::Kind::Arch)
                csv += "," + num(space.value(p.point, i));
        const std::string_view arch = space.archOf(p.point);
        csv += "," + std::string(arch);
        for (const Architecture* family : families) {
            if (family->name() == arch && &architectureOf(p.design) == family)
                for (const std::string& v : family->designCsvCells(p.design))
                    csv += "," + cell(v);
            else
                csv += std::string(family->designCsvColumns().size(), ',');
        }
        csv += "," + cell(joined(p.violations)) + "\n";
    }
    if (Status s = (*folder)->write("archive.csv", csv); !s.ok())
        return s;
    JsonWriter w;
    writeSearchSummaryJson(w, space, o, info);
    if (Status s = (*folder)->write("pareto.json", w.str() + "\n"); !s.ok())
        return s;
    for (const auto& e : o.archive.front()) {
        Result<Project> p = designProject(space, o.points[e.id]);
        if (!p.ok()) // the search evaluated it, so it builds; say so if it does not
            return p.error();
        p->name += "-design-" + std::to_string(e.id);
        p->search = {};
        const std::string file = "designs/" + std::to_string(e.id) + ".yaml";
        if (Status s = (*folder)->write(file, projectToYaml(*p)); !s.ok())
            return s;
    }
    return (*folder)->commit();
}

} // namespace codesign
