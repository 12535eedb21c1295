#pragma once

// Loads a streaming project for the tests until the architecture seam reads `arch:
// streaming` itself: the network part through parseProject (the text without its
// `accelerator:` section), the accelerator map through readStreamingSpec.
#include "core/estimate/streaming/streaming_estimator.h"
#include "core/model/project_device.h"
#include "core/util/yaml_fields.h"
#include "test_support.h"

#include <yaml-cpp/yaml.h>

namespace codesign::testing {

struct StreamingProject {
    Project project;
    Graph graph;
    Device device;
    StreamingSpec spec;
};

// The project without `accelerator:`, re-emitted for parseProject.
inline std::string withoutAccelerator(const YAML::Node& root) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    for (auto it = root.begin(); it != root.end(); ++it)
        if (it->first.as<std::string>() != "accelerator")
            out << YAML::Key << it->first << YAML::Value << it->second;
    out << YAML::EndMap;
    return out.c_str();
}

// The streaming spec of a project text, or its diagnostic (file:line:column).
inline Result<StreamingSpec> readSpecOf(const std::string& text, const std::string& file) {
    try {
        const YAML::Node root = YAML::Load(text);
        YamlFields f(root["accelerator"], "accelerator");
        f.oneOf("arch", "tiled", {"streaming"});
        return readStreamingSpec(f);
    } catch (const YamlError& e) {
        Diagnostic d = e.diagnostic;
        d.file = file;
        return d;
    }
}

inline Result<StreamingProject> loadStreamingText(const std::string& text,
                                                  const std::string& file = "test.yaml") {
    Result<StreamingSpec> spec = readSpecOf(text, file);
    if (!spec.ok())
        return spec.error();
    Result<Project> p = parseProject(withoutAccelerator(YAML::Load(text)), file);
    if (!p.ok())
        return p.error();
    Result<Graph> g = buildGraph(*p);
    if (!g.ok())
        return g.error();
    Result<Device> d = resolveDevice(*p, DeviceLibrary::builtin());
    if (!d.ok())
        return d.error();
    return StreamingProject{std::move(p).value(), std::move(g).value(), std::move(d).value(),
                            std::move(spec).value()};
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
    Result<StreamingModel> m = prepareStreaming(p->graph, p->device, p->spec, file);
    if (!m.ok())
        qFatal("%s", m.error().format().c_str());
    Result<StreamingDesign> d = p->spec.autoDesign ? StreamingDesign(defaultStreamingDesign(m->net))
                                                   : streamingDesignFromSpec(m->net, p->spec);
    if (!d.ok())
        qFatal("%s", d.error().format().c_str());
    return {std::move(m).value(), std::move(d).value()};
}

// The diagnostic a project text gives, from reading through to the design.
inline std::string streamingError(const std::string& text) {
    Result<StreamingProject> p = loadStreamingText(text, "bad.yaml");
    if (!p.ok())
        return p.error().format();
    Result<StreamingModel> m = prepareStreaming(p->graph, p->device, p->spec, "bad.yaml");
    if (!m.ok())
        return m.error().format();
    Result<StreamingDesign> d = streamingDesignFromSpec(m->net, p->spec);
    return d.ok() ? std::string() : d.error().format();
}

} // namespace codesign::testing
