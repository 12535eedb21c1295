#include "export_texts.h"

#include "core/estimate/tiled/tiled_model.h"
#include "core/reference/reference.h"
#include "core/report/estimate_report.h"
#include "hls_source_writer.h"

#include <algorithm>
#include <sstream>
#include <thread>

namespace codesign::hls {
namespace {

std::string number(double v, int decimals) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(decimals);
    s << v;
    return s.str();
}

std::string percentOf(std::int64_t used, std::int64_t have) {
    return have > 0 ? number(100.0 * double(used) / double(have), 0) + " %" : "-";
}

std::string estimateTable(const Estimate& e) {
    std::ostringstream s;
    s << "| figure | value |\n|---|---|\n"
      << "| FPS | " << number(e.fps, 1) << " (compute-bound " << number(e.computeBoundFps, 1)
      << ") |\n"
      << "| latency | " << number(e.latencyMs, 2) << " ms per batch |\n"
      << "| power | " << number(e.powerW, 2) << " W |\n"
      << "| energy | " << number(e.energyPerImageMj, 1) << " mJ per image |\n"
      << "| DSP | " << e.used.dsp << " / " << e.available.dsp << " ("
      << percentOf(e.used.dsp, e.available.dsp) << ") |\n"
      << "| BRAM18 | " << e.used.bram18 << " / " << e.available.bram18 << " ("
      << percentOf(e.used.bram18, e.available.bram18) << ") |\n"
      << "| LUT | " << e.used.lut << " / " << e.available.lut << " ("
      << percentOf(e.used.lut, e.available.lut) << ") |\n"
      << "| FF | " << e.used.ff << " / " << e.available.ff << " ("
      << percentOf(e.used.ff, e.available.ff) << ") |\n"
      << "| bottleneck | " << e.bottleneck << " |\n"
      << "| feasible | " << (e.feasible ? "yes" : "no: " + e.violations.front()) << " |\n";
    return s.str();
}

std::string configText(const ExportTexts& t) {
    const TiledConfig& c = t.plan.config;
    std::ostringstream s;
    s << "PW unit " << c.pwIn << " x " << c.pwOut << " (Tn x Tm), DW unit " << c.dwParallel
      << " channels x " << t.plan.dwLanes << " taps, tile " << c.tileRows << " x " << c.tileCols;
    std::string own; // groups on tiles of their own
    for (const PlanGroup& g : t.plan.groups)
        if (!g.hostOnly && !g.singleTile && c.hasOwnTile(g.index))
            own += (own.empty() ? "" : ", ") + g.name + " " + std::to_string(g.tileRows) + " x " +
                   std::to_string(g.tileCols);
    if (!own.empty())
        s << " (" << own << ")";
    std::string blocked; // groups that stream their input in channel blocks
    for (const PlanGroup& g : t.plan.groups)
        if (g.blocked())
            blocked += (blocked.empty() ? "" : ", ") + g.name;
    if (!blocked.empty())
        s << ", input channels in blocks of " << c.channelBlock << " (" << blocked << ")";
    s << ", " << (c.doubleBuffer ? "double-buffered" : "single-buffered") << ", batch " << c.batch
      << (t.estimate.estimate.autoSized ? " (chosen by auto sizing)" : " (as written)")
      << "; storage formats " << formatFixedType(t.plan.act) << " activations, "
      << formatFixedType(t.plan.wgt) << " weights, " << formatFixedType(t.plan.acc)
      << " accumulators; tile memory 2 x " << t.plan.banks << " banks x " << t.plan.tileDepth
      << " words";
    return s.str();
}

std::string layerTable(const ExportTexts& t) {
    const Graph& g = t.estimate.graph;
    std::ostringstream s;
    s << "| layer | op | output | unit | format |\n|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        const PlanNode& p = t.plan.nodes[i];
        s << "| " << n.name << " | " << opName(n.op) << " | " << formatShape(n.out) << " | "
          << unitName(p.unit) << (p.stored ? ", to DDR" : "") << " | "
          << formatFixedType(n.activations) << " |\n";
    }
    return s.str();
}

std::string pyShape(const Shape& s) {
    return "(" + std::to_string(s.c) + ", " + std::to_string(s.h) + ", " + std::to_string(s.w) +
           ")";
}

std::string pyLayers(const ExportTexts& t) {
    const Graph& g = t.estimate.graph;
    std::ostringstream s;
    s << "[\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        const PlanNode& p = t.plan.nodes[i];
        s << "    (\"" << n.name << "\", \"" << opName(n.op) << "\", " << pyShape(n.out) << ", ("
          << n.activations.width << ", " << n.activations.width - n.activations.integer << "), "
          << (p.stored ? std::to_string(p.ddrBase) : std::string("None")) << ", ";
        if (n.op == Op::BboxHead)
            s << "{\"source\": " << n.inputs.front() << ", \"anchors\": " << n.anchors << "}";
        else
            s << "{}";
        s << "),\n";
    }
    s << "]";
    return s.str();
}

} // namespace

std::map<std::string, std::string> templateValues(const ExportTexts& t) {
    const Device& d = t.plan.device;
    const Graph& g = t.estimate.graph;
    const FixedType in = reference::inputFormat(g);
    const QuantMode mode = g.nodes.front().quant;
    const std::string projectName = t.project.name.empty() ? "network" : t.project.name;
    std::map<std::string, std::string> v;
    v["PROJECT"] = projectName;
    v["DESCRIPTION"] = t.project.description.empty() ? "" : t.project.description;
    v["VERSION"] = CODESIGN_VERSION;
    v["BOARD"] = d.board.empty() ? d.name : d.board;
    v["PART"] = d.part;
    v["FAMILY"] = d.family;
    v["BOARD_PART"] = d.boardPart;
    v["PS_NAME"] = d.isZynqMp() ? "Zynq UltraScale+ MPSoC PS" : "Zynq-7000 PS";
    v["CLOCK_MHZ"] = number(t.plan.config.clockMhz, 0);
    v["TOP"] = kTopFunction;
    v["HLS_PROJECT"] = identifier(projectName) + "_hls";
    v["JOBS"] = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
    v["ESTIMATE"] = estimateTable(t.estimate.estimate);
    v["CONFIG"] = configText(t);
    // "seeded (seed 1)": the seed once, after the words that say they are seeded.
    const std::size_t seed = t.weightsOrigin.find('(');
    v["WEIGHTS"] =
        t.weightsOrigin.rfind("seeded", 0) == 0
            ? "Deterministic **seeded initial weights**" +
                  (seed == std::string::npos ? "" : " " + t.weightsOrigin.substr(seed)) +
                  ", not trained ones: no trained weights for this design were available. "
                  "The design, the testbench and the model files are exact for these weights; "
                  "train and export again (`codesign export --weights FILE`, FILE from "
                  "`codesign train --out`) for a useful detector."
            : "**Trained weights** (" + t.weightsOrigin + ").";
    v["LAYERS"] = layerTable(t);
    v["INPUT_SHAPE"] = pyShape(g.input);
    v["PORT_BITS"] = std::to_string(d.memory.axiPortBits);
    v["ACT_PER_WORD"] = std::to_string(t.plan.perWord(t.plan.actContainer));
    v["ACT_CONTAINER"] = std::to_string(t.plan.actContainer);
    v["ACT_FORMAT"] = formatFixedType(t.plan.act);
    v["ACT_FRAC"] = std::to_string(t.plan.act.width - t.plan.act.integer);
    v["FM_WORDS"] = std::to_string(t.plan.fmWords);
    v["WEIGHT_WORDS"] = std::to_string(t.plan.weightWords);
    v["NUM_GROUPS"] =
        std::to_string(std::count_if(t.plan.groups.begin(), t.plan.groups.end(),
                                     [](const PlanGroup& pg) { return !pg.hostOnly; }));
    v["INPUT_PY"] = "(\"input\", \"input\", " + pyShape(g.input) + ", (" +
                    std::to_string(in.width) + ", " + std::to_string(in.width - in.integer) +
                    "), " + std::to_string(t.plan.inputDdrBase) + ", {})";
    v["LAYERS_PY"] = pyLayers(t);
    v["OUTPUT_PY"] = std::to_string(g.nodes.size() - 1);
    v["ROUNDING"] = roundingName(mode.rounding);
    v["OVERFLOW"] = overflowName(mode.overflow);
    return v;
}

std::string weightsHeader(const ExportTexts& t) {
    const Graph& g = t.estimate.graph;
    std::ostringstream s;
    s << "// weights.h: table of contents of ddr_image.bin, the weight image the accelerator "
         "reads\n"
      << "// through its wts port. Generated by Codesign Studio for '" << t.project.name << "'.\n"
      << "// Weights: " << t.weightsOrigin << ". Elements are raw " << formatFixedType(t.plan.wgt)
      << " values in " << t.plan.wgtContainer << "-bit containers, "
      << t.plan.perWord(t.plan.wgtContainer) << " per " << t.plan.device.memory.axiPortBits
      << "-bit word, in the order the units read them (docs/export.md).\n"
      << "#ifndef CODESIGN_WEIGHTS_H\n#define CODESIGN_WEIGHTS_H\n\n"
      << "#define CS_WEIGHTS_FILE \"weights/ddr_image.bin\"\n"
      << "const int CS_WEIGHTS_WORDS = " << t.plan.weightWords << ";\n\n"
      << "// Element offsets of each layer: {weights, bias or shift} (-1: none).\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const PlanNode& p = t.plan.nodes[i];
        if (p.weightOffset < 0)
            continue;
        s << "const long CS_W_" << identifier(g.nodes[i].name) << "[2] = {" << p.weightOffset
          << ", " << p.biasOffset << "}; // " << opName(g.nodes[i].op) << ", "
          << formatFixedType(g.nodes[i].weights) << "\n";
    }
    s << "\n#endif\n";
    return s.str();
}

std::string estimateJson(const ExportTexts& t) {
    JsonWriter w;
    writeEstimateJson(w, t.estimate, t.project.name);
    return w.str() + "\n";
}

} // namespace codesign::hls
