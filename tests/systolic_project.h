#pragma once

// A test-side loader for systolic projects until the architecture seam reads `arch: systolic`
// itself: the network comes from parseProject on the text without its accelerator section,
// the accelerator from readSystolicSpec.
#include "core/estimate/systolic/systolic_spec.h"
#include "core/model/project_yaml.h"
#include "core/util/yaml_fields.h"

#include <QtTest>
#include <string>
#include <yaml-cpp/yaml.h>

namespace codesign::testing {

struct SystolicProject {
    Project project;
    SystolicSpec spec;
};

inline Result<SystolicProject> parseSystolicProject(const std::string& text,
                                                    const std::string& file) {
    try {
        YAML::Node root = YAML::Load(text);
        const YAML::Node accelerator = YAML::Clone(root["accelerator"]);
        root.remove("accelerator");
        YAML::Emitter out;
        out << root;
        Result<Project> p = parseProject(out.c_str(), file);
        if (!p.ok())
            return p.error();
        YamlFields f(accelerator, "accelerator");
        if (f.oneOf("arch", "systolic", {"systolic"}) != "systolic")
            return makeError("not a systolic project");
        SystolicProject sp{std::move(p).value(), readSystolicSpec(f)};
        f.rejectUnknownKeys();
        return sp;
    } catch (const YamlError& e) {
        Diagnostic d = e.diagnostic;
        d.file = file;
        return d;
    } catch (const YAML::Exception& e) {
        return makeError(e.msg, {e.mark.line + 1, e.mark.column + 1});
    }
}

} // namespace codesign::testing
