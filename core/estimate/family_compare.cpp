#include "family_compare.h"

#include "../model/accelerator_formats.h"
#include "../model/project_device.h"

namespace codesign {
namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

} // namespace

std::vector<std::string> familyNames() {
    std::vector<std::string> names;
    for (const Architecture* a : architectures())
        names.emplace_back(a->name());
    return names;
}

Result<Project> withAutoSizedFamily(Project project, std::string_view arch) {
    const AcceleratorFormat* format = findAcceleratorFormat(arch);
    if (!format || !findArchitecture(arch))
        return makeError("unknown accelerator family '" + std::string(arch) +
                         "' (the families: " + joined(familyNames()) + ")");
    AcceleratorSpec& a = project.accelerator;
    if (a.arch() != arch)
        a.family = format->make();
    a.autoSize = true;
    return project;
}

Result<std::vector<FamilyEstimate>> compareFamilies(const Project& project,
                                                    const std::vector<std::string>& archs,
                                                    const DeviceLibrary& library,
                                                    const DesignRequest& request) {
    const std::vector<std::string> names = archs.empty() ? familyNames() : archs;
    std::vector<Project> variants;
    for (const std::string& arch : names) {
        Result<Project> p = withAutoSizedFamily(project, arch);
        if (!p.ok())
            return p.error();
        variants.push_back(std::move(p).value());
    }
    if (Result<Graph> g = buildGraph(project); !g.ok())
        return g.error();
    if (Result<Device> d = resolveDevice(project, library, request.deviceName); !d.ok())
        return d.error();
    std::vector<FamilyEstimate> out;
    for (std::size_t i = 0; i < names.size(); ++i)
        out.push_back({names[i], estimateDesign(variants[i], library, request)});
    return out;
}

} // namespace codesign
