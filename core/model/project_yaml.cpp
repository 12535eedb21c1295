#include "project_yaml.h"

#include "../embedded_files.h"
#include "../hw/device_yaml.h"
#include "../util/yaml_fields.h"
#include "../util/yaml_syntax.h"
#include "accelerator_formats.h"
#include "accelerator_yaml.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <type_traits>

namespace codesign {
namespace {

constexpr int kMaxDim = 1'000'000;
constexpr int kMaxKernel = 1024;

FixedType readFixed(const YAML::Node& node, int (*defaultInteger)(int), std::string_view what) {
    const std::string text = scalarString(node, what);
    Result<FixedType> t = parseFixedType(text, defaultInteger);
    if (!t.ok())
        failAt(node, std::string(what) + ": " + t.error().message);
    return t.value();
}

LayerPrecision readLayerPrecision(YamlFields& f) {
    LayerPrecision p;
    if (f.has("weights"))
        p.weights = readFixed(f.node("weights"), defaultWeightIntegerBits, "weights");
    else
        f.node("weights");
    if (f.has("activations"))
        p.activations =
            readFixed(f.node("activations"), defaultActivationIntegerBits, "activations");
    else
        f.node("activations");
    return p;
}

std::vector<std::string> readIdList(const YAML::Node& node, std::string_view what) {
    std::vector<std::string> ids;
    if (node.IsScalar()) {
        ids.push_back(node.Scalar());
        return ids;
    }
    if (!node.IsSequence())
        failAt(node, std::string(what) + " must be a list of ids");
    for (const auto& item : node)
        ids.push_back(scalarString(item, "an id"));
    return ids;
}

void readKernel(YamlFields& f, LayerSpec& l) {
    if (!f.has("kernel")) {
        f.node("kernel");
        return;
    }
    YAML::Node k = f.node("kernel");
    if (k.IsSequence()) {
        if (k.size() != 2)
            failAt(k, "kernel must be one size or [height, width]");
        l.kernelH = scalarInteger(k[0], "kernel height", 1, kMaxKernel);
        l.kernelW = scalarInteger(k[1], "kernel width", 1, kMaxKernel);
    } else {
        l.kernelH = l.kernelW = scalarInteger(k, "kernel", 1, kMaxKernel);
    }
}

LayerSpec readLayer(const YAML::Node& node, bool inNetwork) {
    YamlFields f(node, "a layer");
    LayerSpec l;
    l.pos = f.pos();
    YAML::Node opNode = f.node("op");
    if (!opNode.IsDefined() || opNode.IsNull())
        failAt(node, "a layer needs 'op:' (one of conv, dwconv, pwconv, fuse, maxpool, "
                     "avgpool, global_avgpool, relu, relu6, bn, fc, add, concat, reorg, "
                     "upsample, bbox_head)");
    const std::string opText = scalarString(opNode, "op");
    std::optional<Op> op = opFromName(opText);
    if (!op) {
        std::string message = "unknown op '" + opText + "'";
        std::string best;
        std::size_t bestDistance = 3;
        std::string all;
        for (Op o : allOps()) {
            all += (all.empty() ? "" : ", ") + std::string(opName(o));
            const std::size_t d = editDistance(opText, opName(o));
            if (d < bestDistance) {
                bestDistance = d;
                best = std::string(opName(o));
            }
        }
        message += best.empty() ? "; known ops: " + all : "; did you mean '" + best + "'?";
        failAt(opNode, message);
    }
    l.op = *op;
    l.name = f.string("name");
    l.channels = f.integer("channels", 0, 1, kMaxDim);
    readKernel(f, l);
    l.stride = f.integer("stride", 0, 1, kMaxKernel);
    l.padding = f.integer("padding", -1, 0, kMaxKernel);
    l.groups = f.integer("groups", 1, 1, kMaxDim);
    l.variant = f.oneOf("variant", "half", {"half", "full"}) == "full" ? FuseVariant::Full
                                                                       : FuseVariant::Half;
    l.factor = f.integer("factor", 0, 1, 64);
    l.anchors = f.integer("anchors", 2, 1, 64);
    l.bias = f.boolean("bias", true);
    l.precision = readLayerPrecision(f);
    if (inNetwork) {
        l.id = f.string("id");
        l.from = f.string("from");
        if (f.has("inputs"))
            l.inputs = readIdList(f.node("inputs"), "inputs");
        else
            f.node("inputs");
    }
    f.rejectUnknownKeys();
    return l;
}

InputSpec readInput(const YAML::Node& node) {
    YamlFields f(node, "input");
    InputSpec in;
    in.pos = f.pos();
    in.channels = f.requiredInteger("channels", 1, kMaxDim);
    in.height = f.requiredInteger("height", 1, kMaxDim);
    in.width = f.requiredInteger("width", 1, kMaxDim);
    if (f.has("resize")) {
        YAML::Node r = f.node("resize");
        in.resize = scalarNumber(r, "resize", 0, 1);
        if (in.resize <= 0)
            failAt(r, "resize must be greater than 0 (and at most 1)");
    } else {
        f.node("resize");
    }
    f.rejectUnknownKeys();
    return in;
}

PrecisionSpec readPrecision(const YAML::Node& node) {
    YamlFields f(node, "precision");
    PrecisionSpec p;
    p.pos = f.pos();
    if (!f.has("weights"))
        failAt(node, "missing the field 'weights' in precision");
    if (!f.has("activations"))
        failAt(node, "missing the field 'activations' in precision");
    p.weights = readFixed(f.node("weights"), defaultWeightIntegerBits, "weights");
    p.activations = readFixed(f.node("activations"), defaultActivationIntegerBits, "activations");
    const std::string rounding = f.oneOf("rounding", "round", {"round", "truncate", "convergent"});
    p.quant.rounding = rounding == "truncate"     ? Rounding::Truncate
                       : rounding == "convergent" ? Rounding::Convergent
                                                  : Rounding::Round;
    p.quant.overflow = f.oneOf("overflow", "saturate", {"saturate", "wrap"}) == "wrap"
                           ? Overflow::Wrap
                           : Overflow::Saturate;
    if (f.has("layers")) {
        YAML::Node layers = f.node("layers");
        if (!layers.IsMap())
            failAt(layers, "precision.layers maps layer names to {weights, activations}");
        rejectDuplicateKeys(layers, "precision.layers");
        for (auto it = layers.begin(); it != layers.end(); ++it) {
            // Copy key and value: `it->` yields a temporary proxy (yaml-cpp).
            const YAML::Node key = it->first;
            const YAML::Node value = it->second;
            const std::string name = scalarString(key, "a layer name");
            YamlFields lf(value, "the precision of layer '" + name + "'");
            p.layers[name] = readLayerPrecision(lf);
            p.layerPos[name] = positionOf(key);
            lf.rejectUnknownKeys();
        }
    } else {
        f.node("layers");
    }
    f.rejectUnknownKeys();
    return p;
}

std::vector<BundleDef> readBundles(const YAML::Node& node) {
    std::vector<BundleDef> bundles;
    if (!node.IsMap())
        failAt(node, "bundles maps each bundle name to its list of layers");
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        // Copy key and value: `it->` yields a temporary proxy (yaml-cpp).
        const YAML::Node key = it->first;
        const YAML::Node value = it->second;
        BundleDef b;
        b.name = scalarString(key, "a bundle name");
        b.pos = positionOf(key);
        if (!seen.insert(b.name).second)
            failAt(key, "bundle '" + b.name + "' is defined twice");
        if (!value.IsSequence() || value.size() == 0)
            failAt(value.IsDefined() && !value.IsNull() ? value : key,
                   "bundle '" + b.name + "' must be a non-empty list of layers");
        for (const auto& layer : value)
            b.layers.push_back(readLayer(layer, false));
        bundles.push_back(std::move(b));
    }
    return bundles;
}

NetworkEntry readEntry(const YAML::Node& node) {
    NetworkEntry e;
    if (node.IsMap() && node["bundle"].IsDefined()) {
        YamlFields f(node, "a bundle instance");
        e.isBundle = true;
        e.pos = f.pos();
        e.bundle = f.requiredString("bundle");
        e.channels = f.integer("channels", 0, 1, kMaxDim);
        e.repeat = f.integer("repeat", 1, 1, 1000);
        e.downsample = f.boolean("downsample", true);
        e.id = f.string("id");
        e.from = f.string("from");
        f.rejectUnknownKeys();
        return e;
    }
    e.layer = readLayer(node, true);
    e.pos = e.layer.pos;
    return e;
}

IntLadder readLadder(const YAML::Node& node, std::string_view what, IntLadder fallback, int lo,
                     int hi) {
    YamlFields f(node, std::string(what));
    IntLadder l;
    l.min = f.integer("min", fallback.min, lo, hi);
    l.max = f.integer("max", fallback.max, lo, hi);
    l.step = f.integer("step", fallback.step, 1, hi);
    if (l.max < l.min)
        failAt(node, std::string(what) + ": max " + std::to_string(l.max) + " is below min " +
                         std::to_string(l.min));
    f.rejectUnknownKeys();
    return l;
}

template <class T>
std::vector<T> readList(YamlFields& f, std::string_view key, std::string_view what, double lo,
                        double hi) {
    std::vector<T> values;
    if (!f.has(key)) {
        f.node(key);
        return values;
    }
    YAML::Node list = f.node(key);
    if (!list.IsSequence() || list.size() == 0)
        failAt(list, std::string(key) + " must be a non-empty list");
    for (const auto& item : list) {
        if constexpr (std::is_same_v<T, int>)
            values.push_back(scalarInteger(item, what, static_cast<int>(lo), static_cast<int>(hi)));
        else
            values.push_back(scalarNumber(item, what, lo, hi));
    }
    return values;
}

// search.architectures: the families the search may choose, each once.
std::vector<std::string> readArchitectures(YamlFields& f) {
    std::vector<std::string> archs;
    const YAML::Node list = f.node("architectures");
    if (!list.IsDefined())
        return archs;
    if (!list.IsSequence() || list.size() == 0)
        failAt(list, "search.architectures must be a non-empty list of arch names");
    for (const auto& item : list) {
        const std::string arch = scalarString(item, "an arch name");
        if (!findAcceleratorFormat(arch)) {
            std::string names;
            for (const AcceleratorFormat& format : acceleratorFormats())
                names += (names.empty() ? "" : ", ") + std::string(format.arch);
            failAt(item, "search.architectures: '" + arch + "' is not one of: " + names);
        }
        if (std::find(archs.begin(), archs.end(), arch) != archs.end())
            failAt(item, "search.architectures names '" + arch + "' twice");
        archs.push_back(arch);
    }
    return archs;
}

SearchSpec readSearch(const YAML::Node& node) {
    YamlFields f(node, "search");
    SearchSpec s;
    s.present = true;
    s.pos = f.pos();
    s.targetFps = f.number("target_fps", 0, 0, 1e9);
    s.resourceCap = f.number("resource_cap", 0.9, 0.01, 1.0);
    s.powerBudgetW = f.number("power_budget_w", 0, 0, 1e6);
    if (f.has("channels"))
        s.channels = readLadder(f.node("channels"), "search.channels", s.channels, 1, kMaxDim);
    else
        f.node("channels");
    if (f.has("repeat"))
        s.repeat = readLadder(f.node("repeat"), "search.repeat", s.repeat, 1, 1000);
    else
        f.node("repeat");
    s.downsample = f.boolean("downsample", false);
    s.weightBits = readList<int>(f, "weight_bits", "a bit width", kMinBits, kMaxBits);
    s.activationBits = readList<int>(f, "activation_bits", "a bit width", kMinBits, kMaxBits);
    s.resize = readList<double>(f, "resize", "a resize factor", 0.01, 1.0);
    if (f.has("bundles")) {
        YAML::Node list = f.node("bundles");
        if (!list.IsSequence() || list.size() == 0)
            failAt(list, "search.bundles must be a non-empty list of bundle names");
        for (const auto& item : list)
            s.bundles.push_back(scalarString(item, "a bundle name"));
    } else {
        f.node("bundles");
    }
    s.architectures = readArchitectures(f);
    f.rejectUnknownKeys();
    return s;
}

Project readProject(const YAML::Node& root) {
    if (!root.IsDefined() || root.IsNull())
        failAt(root, "the project file is empty");
    YamlFields f(root, "the project");
    Project p;
    p.name = f.string("name", "untitled");
    p.description = f.string("description");
    YAML::Node dev = f.node("device");
    if (!dev.IsDefined() || dev.IsNull())
        failAt(root, "missing the field 'device' in the project (a name such as pynq-z1, "
                     "or an inline description)");
    p.device.pos = positionOf(dev);
    if (dev.IsMap())
        p.device.inlineDevice = readDevice(dev);
    else
        p.device.name = scalarString(dev, "device");
    if (!f.has("input"))
        failAt(root, "missing the field 'input' in the project");
    p.input = readInput(f.node("input"));
    if (!f.has("precision"))
        failAt(root, "missing the field 'precision' in the project");
    p.precision = readPrecision(f.node("precision"));
    if (f.has("bundles"))
        p.bundles = readBundles(f.node("bundles"));
    else
        f.node("bundles");
    YAML::Node net = f.node("network");
    if (!net.IsDefined() || net.IsNull())
        failAt(root, "missing the field 'network' in the project");
    if (!net.IsSequence())
        failAt(net, "network must be a list of bundle instances and layers");
    for (const auto& entry : net)
        p.network.push_back(readEntry(entry));
    if (f.has("accelerator"))
        p.accelerator = readAccelerator(f.node("accelerator"));
    else
        f.node("accelerator");
    if (f.has("search"))
        p.search = readSearch(f.node("search"));
    else
        f.node("search");
    f.rejectUnknownKeys();
    return p;
}

// ---- writing ------------------------------------------------------------------------

void writeFixed(YAML::Emitter& out, const char* key, const FixedType& t) {
    out << YAML::Key << key << YAML::Value << formatFixedType(t);
}

void writeLayer(YAML::Emitter& out, const LayerSpec& l) {
    out << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "op" << YAML::Value << std::string(opName(l.op));
    if (!l.name.empty())
        out << YAML::Key << "name" << YAML::Value << l.name;
    if (l.channels > 0)
        out << YAML::Key << "channels" << YAML::Value << l.channels;
    if (l.kernelH > 0) {
        if (l.kernelW > 0 && l.kernelW != l.kernelH)
            out << YAML::Key << "kernel" << YAML::Value << YAML::Flow << YAML::BeginSeq << l.kernelH
                << l.kernelW << YAML::EndSeq;
        else
            out << YAML::Key << "kernel" << YAML::Value << l.kernelH;
    }
    if (l.stride > 0)
        out << YAML::Key << "stride" << YAML::Value << l.stride;
    if (l.padding >= 0)
        out << YAML::Key << "padding" << YAML::Value << l.padding;
    if (l.groups != 1)
        out << YAML::Key << "groups" << YAML::Value << l.groups;
    if (l.op == Op::Fuse)
        out << YAML::Key << "variant" << YAML::Value
            << (l.variant == FuseVariant::Full ? "full" : "half");
    if (l.factor > 0)
        out << YAML::Key << "factor" << YAML::Value << l.factor;
    if (l.op == Op::BboxHead || l.anchors != 2)
        out << YAML::Key << "anchors" << YAML::Value << l.anchors;
    if (!l.bias)
        out << YAML::Key << "bias" << YAML::Value << false;
    if (l.precision.weights)
        writeFixed(out, "weights", *l.precision.weights);
    if (l.precision.activations)
        writeFixed(out, "activations", *l.precision.activations);
    if (!l.id.empty())
        out << YAML::Key << "id" << YAML::Value << l.id;
    if (!l.from.empty())
        out << YAML::Key << "from" << YAML::Value << l.from;
    if (!l.inputs.empty()) {
        out << YAML::Key << "inputs" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const auto& i : l.inputs)
            out << i;
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;
}

void writeLadder(YAML::Emitter& out, const char* key, const IntLadder& l) {
    out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "min" << YAML::Value << l.min;
    out << YAML::Key << "max" << YAML::Value << l.max;
    out << YAML::Key << "step" << YAML::Value << l.step;
    out << YAML::EndMap;
}

void writeSearch(YAML::Emitter& out, const SearchSpec& s) {
    out << YAML::Key << "search" << YAML::Value << YAML::BeginMap;
    if (s.targetFps > 0)
        out << YAML::Key << "target_fps" << YAML::Value << yamlNumber(s.targetFps);
    out << YAML::Key << "resource_cap" << YAML::Value << yamlNumber(s.resourceCap);
    if (s.powerBudgetW > 0)
        out << YAML::Key << "power_budget_w" << YAML::Value << yamlNumber(s.powerBudgetW);
    writeLadder(out, "channels", s.channels);
    writeLadder(out, "repeat", s.repeat);
    out << YAML::Key << "downsample" << YAML::Value << s.downsample;
    auto list = [&](const char* key, const auto& values) {
        if (values.empty())
            return;
        out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (auto v : values) {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, double>)
                out << yamlNumber(v);
            else
                out << v;
        }
        out << YAML::EndSeq;
    };
    list("weight_bits", s.weightBits);
    list("activation_bits", s.activationBits);
    list("resize", s.resize);
    if (!s.bundles.empty()) {
        out << YAML::Key << "bundles" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const std::string& b : s.bundles)
            out << b;
        out << YAML::EndSeq;
    }
    if (!s.architectures.empty()) {
        out << YAML::Key << "architectures" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (const std::string& a : s.architectures)
            out << a;
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;
}

} // namespace

Result<Project> parseProject(std::string_view text, const std::string& fileName) {
    auto withFile = [&](Diagnostic d) {
        d.file = fileName;
        return d;
    };
    try {
        Project p = readProject(YAML::Load(std::string(text)));
        p.sourceFile = fileName;
        return p;
    } catch (const YamlError& e) {
        return withFile(e.diagnostic);
    } catch (const YAML::Exception& e) {
        return withFile(explainYamlSyntaxError(text, e.msg, {e.mark.line + 1, e.mark.column + 1}));
    }
}

Result<Project> loadProjectFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        Diagnostic d = makeError("cannot open the project file");
        d.file = path;
        return d;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return parseProject(text.str(), path);
}

std::string projectToYaml(const Project& p) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << p.name;
    if (!p.description.empty())
        out << YAML::Key << "description" << YAML::Value << p.description;
    out << YAML::Key << "device" << YAML::Value;
    if (p.device.inlineDevice)
        writeDevice(out, *p.device.inlineDevice);
    else
        out << p.device.name;

    out << YAML::Key << "input" << YAML::Value << YAML::Flow << YAML::BeginMap;
    out << YAML::Key << "channels" << YAML::Value << p.input.channels;
    out << YAML::Key << "height" << YAML::Value << p.input.height;
    out << YAML::Key << "width" << YAML::Value << p.input.width;
    if (p.input.resize != 1.0)
        out << YAML::Key << "resize" << YAML::Value << yamlNumber(p.input.resize);
    out << YAML::EndMap;

    out << YAML::Key << "precision" << YAML::Value << YAML::BeginMap;
    writeFixed(out, "weights", p.precision.weights);
    writeFixed(out, "activations", p.precision.activations);
    if (!(p.precision.quant == QuantMode{})) {
        out << YAML::Key << "rounding" << YAML::Value << roundingName(p.precision.quant.rounding);
        out << YAML::Key << "overflow" << YAML::Value << overflowName(p.precision.quant.overflow);
    }
    if (!p.precision.layers.empty()) {
        out << YAML::Key << "layers" << YAML::Value << YAML::BeginMap;
        for (const auto& [name, lp] : p.precision.layers) {
            out << YAML::Key << name << YAML::Value << YAML::Flow << YAML::BeginMap;
            if (lp.weights)
                writeFixed(out, "weights", *lp.weights);
            if (lp.activations)
                writeFixed(out, "activations", *lp.activations);
            out << YAML::EndMap;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap;

    if (!p.bundles.empty()) {
        out << YAML::Key << "bundles" << YAML::Value << YAML::BeginMap;
        for (const BundleDef& b : p.bundles) {
            out << YAML::Key << b.name << YAML::Value << YAML::BeginSeq;
            for (const LayerSpec& l : b.layers)
                writeLayer(out, l);
            out << YAML::EndSeq;
        }
        out << YAML::EndMap;
    }

    out << YAML::Key << "network" << YAML::Value << YAML::BeginSeq;
    for (const NetworkEntry& e : p.network) {
        if (e.isBundle) {
            out << YAML::Flow << YAML::BeginMap;
            out << YAML::Key << "bundle" << YAML::Value << e.bundle;
            if (e.channels > 0)
                out << YAML::Key << "channels" << YAML::Value << e.channels;
            if (e.repeat != 1)
                out << YAML::Key << "repeat" << YAML::Value << e.repeat;
            if (!e.downsample)
                out << YAML::Key << "downsample" << YAML::Value << false;
            if (!e.id.empty())
                out << YAML::Key << "id" << YAML::Value << e.id;
            if (!e.from.empty())
                out << YAML::Key << "from" << YAML::Value << e.from;
            out << YAML::EndMap;
        } else {
            writeLayer(out, e.layer);
        }
    }
    out << YAML::EndSeq;

    writeAccelerator(out, p.accelerator);
    if (p.search.present)
        writeSearch(out, p.search);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string_view defaultProjectText() {
    return embedded::embeddedFile("examples/dac19-dnn-a.yaml");
}

Project defaultProject() {
    Result<Project> p = parseProject(defaultProjectText(), "examples/dac19-dnn-a.yaml");
    // The embedded example is tested; failing here is a build defect, not user input.
    if (!p.ok())
        return Project{};
    return std::move(p).value();
}

} // namespace codesign
