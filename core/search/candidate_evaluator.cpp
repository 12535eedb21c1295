#include "candidate_evaluator.h"

#include "../estimate/design_estimate.h"
#include "../qor/design_hash.h"

#include <cstdio>

namespace codesign {

CandidateEvaluator::CandidateEvaluator(const DesignSpace& space, Device device,
                                       SearchConstraints constraints, SizingEffort sizing)
    : space_(space), device_(std::move(device)), constraints_(constraints), sizing_(sizing) {}

CandidateQos CandidateEvaluator::qos(const DesignPoint& point) const {
    CandidateQos q;
    Result<Project> project = space_.apply(point);
    if (!project.ok()) {
        q.project = space_.baseProject();
        q.invalidReason = "invalid network: " + project.error().format();
        return q;
    }
    q.project = std::move(project).value();
    Result<Graph> graph = buildGraph(q.project);
    if (!graph.ok()) {
        q.invalidReason = "invalid network: " + graph.error().format();
        return q;
    }
    q.graph = std::move(graph).value();
    q.designHash = designHash(q.graph);
    // The search sizes every design's accelerator itself, whatever the project fixes.
    AcceleratorSpec spec = q.project.accelerator;
    spec.autoSize = true;
    Result<Estimate> e =
        estimateDesign(q.graph, device_, spec, {sizing_, false, constraints_.resourceCap});
    if (!e.ok()) {
        q.invalidReason = e.error().format();
        return q;
    }
    q.estimate = std::move(e).value();
    q.valid = true;
    return q;
}

void CandidateEvaluator::score(EvaluatedPoint& p) const {
    if (!p.valid) { // its violation is why the network does not build (set by the engine)
        p.feasible = false;
        p.objective = -1000;
        return;
    }
    p.violations.clear();
    double excess = 0;
    auto one = [](double v, int decimals) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        return std::string(buf);
    };
    if (!p.qor.ok()) {
        p.violations.push_back("QoR unknown: " + p.qor.error);
        excess += 1;
    }
    const SearchConstraints& c = constraints_;
    if (c.targetFps > 0 && p.fps < c.targetFps) {
        p.violations.push_back("FPS " + one(p.fps, 1) + " below the target " + one(c.targetFps, 1));
        excess += (c.targetFps - p.fps) / c.targetFps;
    }
    auto resource = [&](const char* name, std::int64_t used, int available) {
        const double limit = c.resourceCap * available;
        if (used > limit) {
            p.violations.push_back(std::string(name) + " " + std::to_string(used) +
                                   " above the cap " + one(limit, 0));
            excess += (used - limit) / std::max(1.0, limit);
        }
    };
    resource("DSP", p.used.dsp, device_.dsp);
    resource("BRAM18", p.used.bram18, device_.bram18);
    resource("LUT", p.used.lut, device_.lut);
    resource("FF", p.used.ff, device_.ff);
    if (c.powerBudgetW > 0 && p.powerW > c.powerBudgetW) {
        p.violations.push_back("power " + one(p.powerW, 2) + " W above the budget " +
                               one(c.powerBudgetW, 2) + " W");
        excess += (p.powerW - c.powerBudgetW) / c.powerBudgetW;
    }
    p.feasible = p.violations.empty();
    p.objective = p.feasible ? p.qor.qor : -1 - excess;
}

} // namespace codesign
