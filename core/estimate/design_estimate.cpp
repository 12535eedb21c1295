#include "design_estimate.h"

#include "../model/project_device.h"
#include "host_model.h"

namespace codesign {

Result<Estimate> estimateDesign(const Graph& graph, const Device& device,
                                const AcceleratorSpec& spec, const EstimateOptions& options) {
    const Architecture& arch = architectureOf(spec);
    const std::unique_ptr<PreparedNetwork> prepared = arch.prepare(graph, device);
    Result<Estimate> e = arch.estimate(*prepared, spec, options);
    if (e.ok()) {
        e->host = hostTime(device.processor, hostWorkOf(graph));
        e->fpsSystem = systemFps(e->fps, e->host);
    }
    return e;
}

Result<DesignEstimate> estimateDesign(const Project& project, const DeviceLibrary& library,
                                      const DesignRequest& request) {
    Result<Graph> graph = buildGraph(project);
    if (!graph.ok())
        return graph.error();
    Result<Device> device = resolveDevice(project, library, request.deviceName);
    if (!device.ok())
        return device.error();

    DesignEstimate de;
    de.graph = std::move(graph).value();
    de.device = std::move(device).value();
    de.architecture = &architectureOf(project.accelerator);
    Result<Estimate> estimate =
        estimateDesign(de.graph, de.device, project.accelerator, request.options);
    if (!estimate.ok()) {
        estimate.error().file = project.sourceFile;
        return estimate.error();
    }
    de.estimate = std::move(estimate).value();
    return de;
}

Project withFixedDesign(Project project, const Graph& graph, const EstimateDetail& design) {
    // The design's family (a search may have chosen another than the project's).
    const Architecture& arch = architectureOf(design);
    project.accelerator = arch.fixedSpec(design, graph, std::move(project.accelerator));
    return project;
}

} // namespace codesign
