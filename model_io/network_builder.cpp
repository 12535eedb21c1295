#include "network_builder.h"

#include "bundle_folding.h"
#include "core/model/project_yaml.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace codesign::modelio {
namespace {

// Keeps the layers some output depends on, renumbered in order.
ImportedNetwork pruneDead(ImportedNetwork net) {
    std::vector<bool> live(net.layers.size(), false);
    for (int o : net.outputs)
        live[std::size_t(o)] = true;
    for (std::size_t i = net.layers.size(); i-- > 0;)
        if (live[i])
            for (int in : net.layers[i].inputs)
                if (in >= 0)
                    live[std::size_t(in)] = true;
    std::vector<int> index(net.layers.size(), -1);
    ImportedNetwork out;
    out.input = net.input;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        if (!live[i])
            continue;
        index[i] = static_cast<int>(out.layers.size());
        ImportedLayer l = std::move(net.layers[i]);
        for (int& in : l.inputs)
            in = in < 0 ? -1 : index[std::size_t(in)];
        out.layers.push_back(std::move(l));
    }
    for (int o : net.outputs)
        out.outputs.push_back(index[std::size_t(o)]);
    return out;
}

// Add and mul are commutative: the operand that is the layer before goes first, so that
// the layer needs no `from:`.
void preferPrevious(ImportedNetwork& net) {
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        ImportedLayer& l = net.layers[i];
        if (l.spec.op != Op::Add && l.spec.op != Op::Mul)
            continue;
        auto it = std::find(l.inputs.begin(), l.inputs.end(), static_cast<int>(i) - 1);
        if (it != l.inputs.end())
            std::iter_swap(l.inputs.begin(), it);
    }
}

// The output width a bundle instance gives: the last conv, pwconv or fc of the block.
int instanceChannels(const ImportedNetwork& net, const Block& b) {
    for (int i = b.last; i >= b.first; --i) {
        const LayerSpec& s = net.layers[std::size_t(i)].spec;
        if (s.op == Op::Conv || s.op == Op::PwConv || s.op == Op::Fc)
            return s.channels;
    }
    return 0;
}

// The block's layers as a bundle: the instance's channels left out, ids local to it.
std::vector<LayerSpec> bundleLayers(const ImportedNetwork& net, const Block& b, int channels) {
    std::map<int, std::string> localName; // layer -> its name in the group (op, op_2, ...)
    std::map<std::string, int> count;
    for (int i = b.first; i <= b.last; ++i) {
        const std::string base(opName(net.layers[std::size_t(i)].spec.op));
        const int k = ++count[base];
        localName[i] = k == 1 ? base : base + "_" + std::to_string(k);
    }
    const auto ref = [&](int i) {
        return i == b.entry ? std::string("input") : localName[i];
    };
    std::set<int> referenced;
    std::vector<LayerSpec> layers;
    for (int i = b.first; i <= b.last; ++i) {
        const ImportedLayer& l = net.layers[std::size_t(i)];
        LayerSpec s = l.spec;
        const bool widens = s.op == Op::Conv || s.op == Op::PwConv;
        const int inC =
            l.inputs.front() < 0 ? net.input.c : net.layers[std::size_t(l.inputs.front())].out.c;
        if (channels > 0 && s.channels == channels && (widens || s.op == Op::Fc)) {
            s.channels = 0;
        } else if (widens && s.channels > inC && s.channels % inC == 0) {
            s.expand = s.channels / inC; // an inverted residual's expansion follows its input
            s.channels = 0;
        }
        const int previous = i == b.first ? b.entry : i - 1;
        if (l.inputs.front() != previous) {
            s.from = ref(l.inputs.front());
            referenced.insert(l.inputs.front());
        }
        for (std::size_t k = 1; k < l.inputs.size(); ++k) {
            s.inputs.push_back(ref(l.inputs[k]));
            referenced.insert(l.inputs[k]);
        }
        layers.push_back(std::move(s));
    }
    for (int i : referenced)
        if (i != b.entry)
            layers[std::size_t(i - b.first)].id = localName[i];
    return layers;
}

// One network entry per block; equal bundles shared, consecutive equal instances repeated.
class ProjectWriter {
public:
    ProjectWriter(const ImportedNetwork& net, Project& p) : net_(net), p_(p) {}

    void write(const std::vector<Block>& blocks) {
        for (const Block& b : blocks) {
            if (b.first == b.last)
                addSingle(b.first);
            else
                addInstance(b);
        }
        assignIds();
    }

    int bundleInstances() const {
        int n = 0;
        for (const NetworkEntry& e : p_.network)
            n += e.isBundle ? e.repeat : 0;
        return n;
    }

private:
    struct Pending {
        int first = 0;
        int last = 0;
        std::vector<int> reads; // the layers the entry reads from outside itself
    };

    void addSingle(int i) {
        const ImportedLayer& l = net_.layers[std::size_t(i)];
        NetworkEntry e;
        e.layer = l.spec;
        entries_.push_back({i, i, l.inputs});
        p_.network.push_back(std::move(e));
    }

    void addInstance(const Block& b) {
        const int channels = instanceChannels(net_, b);
        std::vector<LayerSpec> layers = bundleLayers(net_, b, channels);
        const std::string name = bundleFor(b.kind, layers);
        // The same bundle and channels again, chained and not read elsewhere: repeat.
        if (!p_.network.empty() && p_.network.back().isBundle && p_.network.back().bundle == name &&
            p_.network.back().channels == channels && b.entry == entries_.back().last &&
            onlyReadInside(entries_.back().last, b)) {
            ++p_.network.back().repeat;
            entries_.back().last = b.last;
            return;
        }
        NetworkEntry e;
        e.isBundle = true;
        e.bundle = name;
        e.channels = channels;
        entries_.push_back({b.first, b.last, {b.entry}});
        p_.network.push_back(std::move(e));
    }

    // Whether only the layers of block b read layer i's output (and it is no model output).
    bool onlyReadInside(int i, const Block& b) const {
        for (std::size_t j = 0; j < net_.layers.size(); ++j) {
            const std::vector<int>& in = net_.layers[j].inputs;
            if (std::find(in.begin(), in.end(), i) != in.end() &&
                (int(j) < b.first || int(j) > b.last))
                return false;
        }
        return std::find(net_.outputs.begin(), net_.outputs.end(), i) == net_.outputs.end();
    }

    std::string bundleFor(const std::string& kind, const std::vector<LayerSpec>& layers) {
        for (const BundleDef& d : p_.bundles)
            if (d.layers == layers)
                return d.name;
        std::string name = kind.empty() ? "block" : kind;
        for (int k = 2; p_.findBundle(name); ++k)
            name = (kind.empty() ? "block" : kind) + "_" + std::to_string(k);
        p_.bundles.push_back({name, layers, {}});
        return name;
    }

    // `from:`, `inputs:` and `id:` where an entry does not read the entry before it.
    void assignIds() {
        std::map<int, std::string> ids; // layer -> the id of the entry that ends with it
        const auto ref = [&](int layer) {
            if (layer < 0)
                return std::string("input");
            auto it = ids.find(layer);
            if (it == ids.end()) {
                const auto owner = std::find_if(entries_.begin(), entries_.end(),
                                                [&](const Pending& e) { return e.last == layer; });
                const std::string id = "t" + std::to_string(owner - entries_.begin() + 1);
                it = ids.emplace(layer, id).first;
            }
            return it->second;
        };
        for (std::size_t k = 0; k < entries_.size(); ++k) {
            const Pending& pe = entries_[k];
            NetworkEntry& e = p_.network[k];
            const int previous = k == 0 ? -1 : entries_[k - 1].last;
            if (pe.reads.front() != previous) {
                (e.isBundle ? e.from : e.layer.from) = ref(pe.reads.front());
            }
            if (!e.isBundle)
                for (std::size_t r = 1; r < pe.reads.size(); ++r)
                    e.layer.inputs.push_back(ref(pe.reads[r]));
        }
        for (std::size_t k = 0; k < entries_.size(); ++k)
            if (auto it = ids.find(entries_[k].last); it != ids.end()) {
                NetworkEntry& e = p_.network[k];
                (e.isBundle ? e.id : e.layer.id) = it->second;
            }
    }

    const ImportedNetwork& net_;
    Project& p_;
    std::vector<Pending> entries_;
};

// Integer bits for the largest weight: fixed<16, I> holds [-2^(I-1), 2^(I-1)). Biases have
// a format of their own (reference::biasFormat) and do not count, but for a kept bn's
// shift, which shares its scale's format.
FixedType weightFormat(const ImportedNetwork& net) {
    double largest = 0;
    for (const ImportedLayer& l : net.layers) {
        for (float w : l.weights)
            largest = std::max(largest, std::abs(double(w)));
        if (l.spec.op == Op::Bn)
            for (float b : l.bias)
                largest = std::max(largest, std::abs(double(b)));
    }
    int integer = 2;
    if (largest >= 1 && std::isfinite(largest))
        integer = std::max(2, static_cast<int>(std::floor(std::log2(largest))) + 2);
    return {16, std::min(integer, 16)};
}

Diagnostic internal(const std::string& what) {
    return makeError("internal: the imported project does not match the model (" + what +
                     "); please report it with the model");
}

} // namespace

Result<ImportedModel> buildImportedProject(ImportedNetwork net, const BuildSettings& settings,
                                           ImportReport report) {
    net = pruneDead(std::move(net));
    if (net.layers.empty())
        return makeError("the model computes nothing the project can hold");
    preferPrevious(net);
    if (net.outputs.size() > 1)
        report.notes.push_back(
            "the model has " + std::to_string(net.outputs.size()) +
            " outputs; the project's output is its last layer, the others are computed as "
            "layers nothing reads");

    ImportedModel model;
    Project& p = model.project;
    p.name = settings.name.empty() ? std::string("imported") : settings.name;
    p.description = settings.description;
    p.device.name = settings.deviceName;
    p.input = {net.input.c, net.input.h, net.input.w, 1.0, {}};
    p.precision.weights = weightFormat(net);
    p.precision.activations = FixedType{16, 8};
    p.weights = settings.weightsFile;
    ProjectWriter writer(net, p);
    writer.write(findBlocks(net));

    // Round trip through the project's text: the graph is the one a reader of the file gets.
    Result<Project> reread = parseProject(projectToYaml(p), settings.name + ".yaml");
    if (!reread.ok())
        return internal(reread.error().message);
    Result<Graph> graph = buildGraph(*reread);
    if (!graph.ok())
        return internal(graph.error().format());
    if (graph->nodes.size() != net.layers.size())
        return internal(std::to_string(graph->nodes.size()) + " layers for " +
                        std::to_string(net.layers.size()));
    model.weights.origin = settings.origin;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const Node& node = graph->nodes[i];
        ImportedLayer& l = net.layers[i];
        if (node.op != l.spec.op || !(node.out == l.out))
            return internal("layer " + node.name + " is " + std::string(opName(node.op)) + " " +
                            formatShape(node.out) + ", the model's " + l.source + " " +
                            formatShape(l.out));
        if (!reference::nodeHasParameters(node))
            continue;
        model.weights.layers.push_back({node.name, std::move(l.weights), std::move(l.bias)});
    }
    if (Status s = reference::checkWeightsFit(model.weights, *graph); !s.ok())
        return internal(s.error().format());

    report.layers = static_cast<int>(graph->nodes.size());
    report.bundles = static_cast<int>(p.bundles.size());
    report.bundleInstances = writer.bundleInstances();
    report.singleLayers = static_cast<int>(
        std::count_if(p.network.begin(), p.network.end(), [](auto& e) { return !e.isBundle; }));
    report.macs = graph->totalMacs;
    report.params = graph->totalParams;
    model.report = std::move(report);
    return model;
}

} // namespace codesign::modelio
