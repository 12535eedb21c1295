#pragma once

#include "../hw/device.h"
#include "../util/diagnostic.h"
#include "accelerator_spec.h"
#include "fixed_type.h"
#include "op.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codesign {

enum class FuseVariant { Half, Full };

// Per-layer precision; unset fields take the project default.
struct LayerPrecision {
    std::optional<FixedType> weights;
    std::optional<FixedType> activations;
    friend bool operator==(const LayerPrecision&, const LayerPrecision&) = default;
};

// One layer as written in a bundle or in the network list. Zero / negative fields mean
// "use the op's default" (see shape_rules.cpp and docs/project-format.md).
struct LayerSpec {
    Op op = Op::Relu;
    std::string name; // optional explicit name
    int channels = 0; // output channels of conv/pwconv/fc; 0 = the bundle instance's
    int kernelH = 0;
    int kernelW = 0;
    int stride = 0;
    int padding = -1;
    int groups = 1;
    FuseVariant variant = FuseVariant::Half;
    int factor = 0;  // reorg / upsample scale
    int anchors = 2; // bbox_head
    bool bias = true;
    std::string id;                  // network-level: name this layer's output
    std::string from;                // network-level: take input from this id
    std::vector<std::string> inputs; // add/concat: further operands, by id
    LayerPrecision precision;
    SourcePos pos;

    friend bool operator==(const LayerSpec& a, const LayerSpec& b) {
        return a.op == b.op && a.name == b.name && a.channels == b.channels &&
               a.kernelH == b.kernelH && a.kernelW == b.kernelW && a.stride == b.stride &&
               a.padding == b.padding && a.groups == b.groups && a.variant == b.variant &&
               a.factor == b.factor && a.anchors == b.anchors && a.bias == b.bias && a.id == b.id &&
               a.from == b.from && a.inputs == b.inputs && a.precision == b.precision;
    }
};

struct BundleDef {
    std::string name;
    std::vector<LayerSpec> layers;
    SourcePos pos;
    friend bool operator==(const BundleDef& a, const BundleDef& b) {
        return a.name == b.name && a.layers == b.layers;
    }
};

// An entry of `network:`: either an instance of a bundle or a single layer.
struct NetworkEntry {
    bool isBundle = false;
    // bundle instance
    std::string bundle;
    int channels = 0;
    int repeat = 1;
    bool downsample = true; // false: this instance drops the bundle's pooling layers
    std::string id;
    std::string from;
    // single layer
    LayerSpec layer;
    SourcePos pos;

    friend bool operator==(const NetworkEntry& a, const NetworkEntry& b) {
        return a.isBundle == b.isBundle && a.bundle == b.bundle && a.channels == b.channels &&
               a.repeat == b.repeat && a.downsample == b.downsample && a.id == b.id &&
               a.from == b.from && a.layer == b.layer;
    }
};

struct InputSpec {
    int channels = 3;
    int height = 224;
    int width = 224;
    double resize = 1.0; // scales height and width: round(h * resize)
    SourcePos pos;

    int scaledHeight() const;
    int scaledWidth() const;
    friend bool operator==(const InputSpec& a, const InputSpec& b) {
        return a.channels == b.channels && a.height == b.height && a.width == b.width &&
               a.resize == b.resize;
    }
};

struct PrecisionSpec {
    FixedType weights{16, 2};
    FixedType activations{16, 8};
    QuantMode quant; // how every value is rounded and clipped to its format
    std::map<std::string, LayerPrecision> layers; // overrides by resolved layer name
    SourcePos pos;
    std::map<std::string, SourcePos> layerPos; // where each override was written
    friend bool operator==(const PrecisionSpec& a, const PrecisionSpec& b) {
        return a.weights == b.weights && a.activations == b.activations && a.quant == b.quant &&
               a.layers == b.layers;
    }
};

// A ladder of integer values: min, min + step, ..., max.
struct IntLadder {
    int min = 0;
    int max = 0;
    int step = 1;
    friend bool operator==(const IntLadder&, const IntLadder&) = default;
};

// What the co-design search may change and what it must respect (docs/search.md).
// Empty lists and zero ladders mean "keep the project's value".
struct SearchSpec {
    bool present = false;     // the project has a `search:` section
    double targetFps = 0;     // constraint fps >= target; 0: none
    double resourceCap = 0.9; // every resource <= cap x device
    double powerBudgetW = 0;  // constraint power <= budget; 0: none
    IntLadder channels{16, 512, 16};
    IntLadder repeat{1, 1, 1};
    bool downsample = false; // search which bundle instances pool
    std::vector<int> weightBits;
    std::vector<int> activationBits;
    std::vector<double> resize;
    std::vector<std::string> bundles;       // candidate bundles every instance may switch to
    std::vector<std::string> architectures; // accelerator families (arch names) to choose from
    SourcePos pos;
    friend bool operator==(const SearchSpec& a, const SearchSpec& b) {
        return a.present == b.present && a.targetFps == b.targetFps &&
               a.resourceCap == b.resourceCap && a.powerBudgetW == b.powerBudgetW &&
               a.channels == b.channels && a.repeat == b.repeat && a.downsample == b.downsample &&
               a.weightBits == b.weightBits && a.activationBits == b.activationBits &&
               a.resize == b.resize && a.bundles == b.bundles && a.architectures == b.architectures;
    }
};

struct DeviceRef {
    std::string name; // a library name, or empty when inline
    std::optional<Device> inlineDevice;
    SourcePos pos;
    friend bool operator==(const DeviceRef& a, const DeviceRef& b) {
        return a.name == b.name && a.inlineDevice.has_value() == b.inlineDevice.has_value();
    }
};

// Whether a layer takes its bundle instance's `channels:` (a conv, pwconv or fc without
// channels of its own), and whether any layer of a bundle does: an instance of a bundle
// that has none cannot be given channels (docs/project-format.md).
bool takesInstanceChannels(const LayerSpec& layer);
bool bundleTakesChannels(const BundleDef& bundle);

// A whole project file.
struct Project {
    std::string name;
    std::string description;
    DeviceRef device;
    InputSpec input;
    PrecisionSpec precision;
    std::vector<BundleDef> bundles;
    std::vector<NetworkEntry> network;
    AcceleratorSpec accelerator;
    SearchSpec search;
    std::string sourceFile; // where it was loaded from, for messages

    const BundleDef* findBundle(const std::string& bundleName) const;

    friend bool operator==(const Project& a, const Project& b) {
        return a.name == b.name && a.description == b.description && a.device == b.device &&
               a.input == b.input && a.precision == b.precision && a.bundles == b.bundles &&
               a.network == b.network && a.accelerator == b.accelerator && a.search == b.search;
    }
};

// What a valid project says that has no effect, one notice each (the CLI prints them as
// notes, not errors): today the fields of a fixed design under `auto: true`, which sizes
// the accelerator itself (the auto sizer takes no fixed factors).
std::vector<Diagnostic> projectNotices(const Project& project);

} // namespace codesign
