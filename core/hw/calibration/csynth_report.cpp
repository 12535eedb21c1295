#include "csynth_report.h"

#include "xml_reader.h"

#include <charconv>
#include <initializer_list>

namespace codesign {
namespace {

Diagnostic elementError(const std::string& file, const XmlElement& e, std::string message) {
    Diagnostic d = makeError("<" + e.name + ">: " + std::move(message), e.pos);
    d.file = file;
    return d;
}

std::string_view trimmed(const std::string& s) {
    std::string_view v(s);
    while (!v.empty() &&
           (v.front() == ' ' || v.front() == '\n' || v.front() == '\t' || v.front() == '\r'))
        v.remove_prefix(1);
    while (!v.empty() &&
           (v.back() == ' ' || v.back() == '\n' || v.back() == '\t' || v.back() == '\r'))
        v.remove_suffix(1);
    return v;
}

template <class T> bool parseWhole(std::string_view text, T& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return !text.empty() && ec == std::errc() && ptr == end;
}

// The first of `names` that `parent` has, or nullptr.
const XmlElement* firstOf(const XmlElement& parent, std::initializer_list<std::string_view> names) {
    for (std::string_view n : names)
        if (const XmlElement* e = parent.child(n))
            return e;
    return nullptr;
}

Result<std::int64_t> count(const std::string& file, const XmlElement& resources,
                           std::initializer_list<std::string_view> names) {
    const XmlElement* e = firstOf(resources, names);
    if (!e)
        return elementError(file, resources, "no <" + std::string(*names.begin()) + "> count");
    std::int64_t v = 0;
    if (!parseWhole(trimmed(e->text), v) || v < 0)
        return elementError(file, *e,
                            "'" + std::string(trimmed(e->text)) + "' is not a resource count");
    return v;
}

std::optional<std::int64_t> latency(const XmlElement* overall, std::string_view name) {
    const XmlElement* e = overall ? overall->child(name) : nullptr;
    std::int64_t v = 0;
    if (e && parseWhole(trimmed(e->text), v) && v >= 0)
        return v;
    return std::nullopt;
}

} // namespace

bool looksLikeCsynthReport(std::string_view text) {
    const std::size_t at = text.find("<profile");
    return at != std::string_view::npos && at < 512;
}

Result<HlsReport> parseCsynthReport(std::string_view text, const std::string& file) {
    Result<XmlElement> doc = parseXml(text, file);
    if (!doc.ok())
        return doc.error();
    const XmlElement& root = *doc;
    if (root.name != "profile")
        return elementError(file, root, "not a Vitis HLS csynth.xml (its root is <profile>)");
    HlsReport r;
    r.file = file;
    if (const XmlElement* user = root.child("UserAssignments")) {
        if (const XmlElement* part = user->child("Part")) {
            r.part = std::string(trimmed(part->text));
            r.partPos = part->pos;
        }
        if (const XmlElement* top = user->child("TopModelName"))
            r.top = std::string(trimmed(top->text));
        if (const XmlElement* clock = user->child("TargetClockPeriod")) {
            if (!parseWhole(trimmed(clock->text), r.targetClockNs) || !(r.targetClockNs > 0))
                return elementError(file, *clock,
                                    "'" + std::string(trimmed(clock->text)) +
                                        "' is not a clock period in ns");
            r.targetClockPos = clock->pos;
        }
    }
    const XmlElement* perf = root.child("PerformanceEstimates");
    if (perf) {
        if (const XmlElement* timing = perf->child("SummaryOfTimingAnalysis"))
            if (const XmlElement* est = timing->child("EstimatedClockPeriod"))
                parseWhole(trimmed(est->text), r.estimatedClockNs);
        const XmlElement* overall = perf->child("SummaryOfOverallLatency");
        r.bestLatency = latency(overall, "Best-caseLatency");
        r.worstLatency = latency(overall, "Worst-caseLatency");
    }
    const XmlElement* area = root.child("AreaEstimates");
    const XmlElement* resources = area ? area->child("Resources") : nullptr;
    if (!resources)
        return elementError(file, area ? *area : root, "no <AreaEstimates><Resources>");
    r.resourcesPos = resources->pos;
    Result<std::int64_t> lut = count(file, *resources, {"LUT"});
    Result<std::int64_t> ff = count(file, *resources, {"FF"});
    // Vivado HLS named the DSP count after the slice (DSP48E); Vitis HLS writes DSP.
    Result<std::int64_t> dsp = count(file, *resources, {"DSP", "DSP48E"});
    Result<std::int64_t> bram = count(file, *resources, {"BRAM_18K"});
    for (const Result<std::int64_t>* c : {&lut, &ff, &dsp, &bram})
        if (!c->ok())
            return c->error();
    r.lut = *lut;
    r.ff = *ff;
    r.dsp = *dsp;
    r.bram18 = *bram;
    return r;
}

} // namespace codesign
