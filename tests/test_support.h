#pragma once

// Helpers shared by the tests: loading fixtures and projects from text.
#include "core/model/graph.h"
#include "core/model/project_yaml.h"

#include <QtTest>
#include <fstream>
#include <sstream>
#include <string>

namespace codesign::testing {

inline std::string dataPath(const std::string& name) {
    return std::string(CODESIGN_TEST_DATA) + "/" + name;
}

inline std::string sourcePath(const std::string& name) {
    return std::string(CODESIGN_SOURCE_DIR) + "/" + name;
}

inline std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Parses a project; a failure is reported with its diagnostic.
inline Project parseOrFail(const std::string& text, bool& ok) {
    Result<Project> p = parseProject(text, "test.yaml");
    ok = p.ok();
    if (!ok) {
        qWarning("%s", p.error().format().c_str());
        return {};
    }
    return std::move(p).value();
}

inline Graph graphOrFail(const Project& project, bool& ok) {
    Result<Graph> g = buildGraph(project);
    ok = g.ok();
    if (!ok) {
        qWarning("%s", g.error().format().c_str());
        return {};
    }
    return std::move(g).value();
}

// A minimal project around a network body (the YAML lines under `network:`).
inline std::string projectWith(const std::string& network,
                               const std::string& input = "{channels: 3, height: 32, width: 32}",
                               const std::string& bundles = "") {
    return "name: t\ndevice: pynq-z1\ninput: " + input +
           "\nprecision: {weights: 8, activations: 8}\n" + bundles + "network:\n" + network +
           "accelerator: {arch: tiled, auto: true}\n";
}

} // namespace codesign::testing
