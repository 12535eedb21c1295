#pragma once

// Loads a streaming project for the tests through the project format (parseProject reads
// `arch: streaming` and the family's keys), then maps it with the streaming engine.
#include "core/estimate/streaming/streaming_estimator.h"
#include "core/model/project_device.h"
#include "core/model/project_yaml.h"
#include "test_support.h"

namespace codesign::testing {

struct StreamingProject {
    Project project;
    Graph graph;
    Device device;
    const AcceleratorSpec& accelerator() const { return project.accelerator; }
    const StreamingSpec& spec() const {
        return std::get<StreamingSpec>(project.accelerator.family);
    }
};

inline Result<StreamingProject> loadStreamingText(const std::string& text,
                                                  const std::string& file = "test.yaml") {
    Result<Project> p = parseProject(text, file);
    if (!p.ok())
        return p.error();
    if (!std::holds_alternative<StreamingSpec>(p->accelerator.family))
        return makeError("not a streaming project (arch: " + std::string(p->accelerator.arch()) +
                         ")");
    Result<Graph> g = buildGraph(*p);
    if (!g.ok())
        return g.error();
    Result<Device> d = resolveDevice(*p, DeviceLibrary::builtin());
    if (!d.ok())
        return d.error();
    return StreamingProject{std::move(p).value(), std::move(g).value(), std::move(d).value()};
}

struct StreamingSetup {
    StreamingModel model;
    StreamingDesign design;
};

// Project text -> prepared model and the fixed design it names; fails the test otherwise.
inline StreamingSetup streamingSetup(const std::string& text, const std::string& file = "t.yaml") {
    Result<StreamingProject> p = loadStreamingText(text, file);
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    Result<StreamingModel> m = prepareStreaming(p->graph, p->device, p->accelerator(), file);
    if (!m.ok())
        qFatal("%s", m.error().format().c_str());
    Result<StreamingDesign> d = p->accelerator().autoSize
                                    ? StreamingDesign(defaultStreamingDesign(m->net))
                                    : streamingDesignFromSpec(m->net, p->spec());
    if (!d.ok())
        qFatal("%s", d.error().format().c_str());
    return {std::move(m).value(), std::move(d).value()};
}

// The diagnostic a project text gives, from reading through to the design.
inline std::string streamingError(const std::string& text) {
    Result<StreamingProject> p = loadStreamingText(text, "bad.yaml");
    if (!p.ok())
        return p.error().format();
    Result<StreamingModel> m = prepareStreaming(p->graph, p->device, p->accelerator(), "bad.yaml");
    if (!m.ok())
        return m.error().format();
    Result<StreamingDesign> d = streamingDesignFromSpec(m->net, p->spec());
    return d.ok() ? std::string() : d.error().format();
}

} // namespace codesign::testing
