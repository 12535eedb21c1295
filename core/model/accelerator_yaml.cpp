#include "accelerator_yaml.h"

#include "accelerator_formats.h"

#include <string>

namespace codesign {
namespace {

std::string_view readArch(YamlFields& f) {
    const YAML::Node node = f.node("arch");
    if (!node.IsDefined())
        return acceleratorFormats().front().arch;
    const std::string arch = scalarString(node, "arch");
    if (const AcceleratorFormat* format = findAcceleratorFormat(arch))
        return format->arch;
    std::string names;
    for (const AcceleratorFormat& format : acceleratorFormats())
        names += (names.empty() ? "" : ", ") + std::string(format.arch);
    failAt(node, "arch '" + arch + "' is not one of: " + names);
}

} // namespace

AcceleratorSpec readAccelerator(const YAML::Node& node) {
    YamlFields f(node, "accelerator");
    AcceleratorSpec a;
    a.pos = f.pos();
    const AcceleratorFormat& format = *findAcceleratorFormat(readArch(f));
    a.family = format.make();
    // Without `auto:`, a design that names its own parameters is taken as written and
    // one that does not is sized automatically.
    a.autoSize = f.boolean("auto", !format.namesDesign(f));
    a.clockMhz = f.number("clock_mhz", 0, 1, 2000);
    a.batch = f.integer("batch", 1, 1, 1024);
    format.read(f, a);
    a.resourceCap = f.number("resource_cap", 0.9, 0.01, 1.0);
    if (!a.autoSize)
        format.checkFixed(node, a);
    f.rejectUnknownKeys();
    return a;
}

void writeAccelerator(YAML::Emitter& out, const AcceleratorSpec& a) {
    out << YAML::Key << "accelerator" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "arch" << YAML::Value << std::string(a.arch());
    out << YAML::Key << "auto" << YAML::Value << a.autoSize;
    if (a.clockMhz > 0)
        out << YAML::Key << "clock_mhz" << YAML::Value << yamlNumber(a.clockMhz);
    if (a.batch != 1)
        out << YAML::Key << "batch" << YAML::Value << a.batch;
    acceleratorFormats()[a.family.index()].write(out, a);
    if (a.resourceCap != 0.9)
        out << YAML::Key << "resource_cap" << YAML::Value << yamlNumber(a.resourceCap);
    out << YAML::EndMap;
}

} // namespace codesign
