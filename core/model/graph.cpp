#include "graph.h"

#include "shape_rules.h"

#include <algorithm>
#include <map>
#include <unordered_set>

namespace codesign {

std::string formatShape(const Shape& s) {
    return std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
}

int Graph::findNode(const std::string& nodeName) const {
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].name == nodeName)
            return static_cast<int>(i);
    return -1;
}

namespace {

// "B3", "L5". (Appending avoids a GCC 12 -Wrestrict false positive on "B" + to_string.)
std::string groupName(char kind, std::size_t number) {
    std::string name(1, kind);
    name += std::to_string(number);
    return name;
}

class GraphBuilder {
public:
    explicit GraphBuilder(const Project& p) : project_(p) {}

    Result<Graph> build() {
        const InputSpec& in = project_.input;
        graph_.input = {in.channels, in.scaledHeight(), in.scaledWidth()};
        graph_.source = {in.channels, in.height, in.width};
        graph_.defaultWeights = project_.precision.weights;
        graph_.defaultActivations = project_.precision.activations;
        if (graph_.input.h < 1 || graph_.input.w < 1)
            return fail("resize " + std::to_string(in.resize) + " leaves no pixels", in.pos);
        if (project_.network.empty())
            return fail("the network is empty; add bundle instances or layers under 'network:'",
                        {});

        int bundleCount = 0;
        for (std::size_t e = 0; e < project_.network.size(); ++e) {
            const NetworkEntry& entry = project_.network[e];
            if (entry.isBundle) {
                const BundleDef* def = project_.findBundle(entry.bundle);
                if (!def)
                    return fail("unknown bundle '" + entry.bundle + "'", entry.pos);
                for (int r = 0; r < entry.repeat; ++r) {
                    ++bundleCount;
                    const std::string group = groupName('B', std::size_t(bundleCount));
                    const bool first = r == 0;
                    // Copy the layers only when this instance drops its pooling.
                    std::vector<LayerSpec> withoutPooling;
                    if (!entry.downsample) {
                        withoutPooling = def->layers;
                        std::erase_if(withoutPooling, [](const LayerSpec& l) {
                            return l.op == Op::MaxPool || l.op == Op::AvgPool;
                        });
                    }
                    const std::vector<LayerSpec>& layers =
                        entry.downsample ? def->layers : withoutPooling;
                    if (auto err = addGroup(group, def->name, layers, entry.channels,
                                            first ? entry.from : std::string(), entry.pos);
                        !err.message.empty())
                        return err;
                }
                if (!entry.id.empty())
                    if (auto err = defineId(entry.id, entry.pos); !err.message.empty())
                        return err;
            } else {
                const std::string group = groupName('L', e + 1);
                std::vector<LayerSpec> one{entry.layer};
                if (auto err = addGroup(group, {}, one, entry.layer.channels, entry.layer.from,
                                        entry.layer.pos);
                    !err.message.empty())
                    return err;
                if (!entry.layer.id.empty())
                    if (auto err = defineId(entry.layer.id, entry.layer.pos); !err.message.empty())
                        return err;
            }
        }
        if (auto err = applyPrecisionOverrides(); !err.message.empty())
            return err;
        for (const Node& n : graph_.nodes) {
            graph_.totalMacs += n.macs;
            graph_.totalParams += n.params;
        }
        return std::move(graph_);
    }

    // After a failed build(): the groups completed before the error.
    Graph resolvedGroups() const {
        Graph g = graph_;
        g.nodes.resize(g.groups.empty() ? 0 : std::size_t(g.groups.back().last) + 1);
        return g;
    }

private:
    Diagnostic fail(std::string message, SourcePos pos, std::string layer = {}) {
        Diagnostic d = makeError(std::move(message), pos, std::move(layer));
        d.file = project_.sourceFile;
        return d;
    }

    Diagnostic defineId(const std::string& id, SourcePos pos) {
        if (ids_.count(id))
            return fail("id '" + id + "' is defined twice", pos);
        ids_[id] = static_cast<int>(graph_.nodes.size()) - 1;
        return {};
    }

    // Returns a node index, or -2 with `error` set.
    int resolveId(const std::string& id, SourcePos pos, const std::string& layer,
                  Diagnostic& error) {
        auto it = ids_.find(id);
        if (it == ids_.end()) {
            std::string known;
            for (const auto& [k, v] : ids_)
                known += (known.empty() ? "" : ", ") + k;
            error = fail("unknown id '" + id + "'" +
                             (known.empty() ? std::string("; no id is defined before this point")
                                            : "; ids defined before this point: " + known),
                         pos, layer);
            return -2;
        }
        return it->second;
    }

    Diagnostic addGroup(const std::string& group, const std::string& bundle,
                        const std::vector<LayerSpec>& layers, int channels, const std::string& from,
                        SourcePos entryPos) {
        if (layers.empty())
            return fail("bundle '" + bundle + "' has no layers", entryPos);
        if (channels > 0 && !bundle.empty() &&
            std::none_of(layers.begin(), layers.end(), takesInstanceChannels))
            return fail("'channels: " + std::to_string(channels) +
                            "' has no effect here: bundle '" + bundle +
                            "' has no conv, pwconv or fc without channels of its own, so its "
                            "output keeps its input's channels; remove channels from this instance",
                        entryPos);
        ExecGroup g;
        g.name = group;
        g.bundle = bundle;
        g.first = static_cast<int>(graph_.nodes.size());
        // How often each base name occurred in this group, for the _2, _3 suffixes.
        std::vector<std::pair<std::string_view, int>> opCount;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const LayerSpec& spec = layers[i];
            Node n;
            const std::string_view baseName = spec.name.empty() ? opName(spec.op) : spec.name;
            auto counted = std::find_if(opCount.begin(), opCount.end(),
                                        [&](const auto& c) { return c.first == baseName; });
            if (counted == opCount.end())
                counted = opCount.insert(opCount.end(), {baseName, 0});
            const int count = ++counted->second;
            std::string base(baseName);
            if (count > 1) {
                base += '_';
                base += std::to_string(count);
            }
            if (bundle.empty() && !spec.name.empty()) {
                n.name = spec.name;
            } else {
                n.name.reserve(group.size() + 1 + base.size());
                n.name = group;
                n.name += '.';
                n.name += base;
            }
            if (!names_.insert(n.name).second)
                return fail("two layers are named '" + n.name + "'", spec.pos, n.name);
            n.pos = spec.pos.known() ? spec.pos : entryPos;
            n.group = static_cast<int>(graph_.groups.size());
            applyOpDefaults(spec, channels, n);
            n.weights = spec.precision.weights.value_or(project_.precision.weights);
            n.activations = spec.precision.activations.value_or(project_.precision.activations);
            n.quant = project_.precision.quant;

            // Inputs: the previous layer (or `from`), then `inputs:` for add/concat.
            const int previous = static_cast<int>(graph_.nodes.size()) - 1;
            int primary = previous;
            const std::string& source = i == 0 && !from.empty() ? from : spec.from;
            if (!source.empty()) {
                Diagnostic err;
                primary = resolveId(source, n.pos, n.name, err);
                if (primary == -2)
                    return err;
            }
            n.inputs.push_back(primary);
            if (!spec.inputs.empty() && !opIsMultiInput(spec.op))
                return fail(std::string(opName(spec.op)) +
                                " takes one input; 'inputs:' is for add and concat",
                            n.pos, n.name);
            for (const std::string& id : spec.inputs) {
                Diagnostic err;
                const int idx = resolveId(id, n.pos, n.name, err);
                if (idx == -2)
                    return err;
                n.inputs.push_back(idx);
            }
            if (opIsMultiInput(spec.op) && n.inputs.size() < 2)
                return fail(std::string(opName(spec.op)) +
                                " needs a second operand: list ids under 'inputs:'",
                            n.pos, n.name);
            shapes_.clear();
            for (int idx : n.inputs)
                shapes_.push_back(idx < 0 ? graph_.input : graph_.nodes[idx].out);
            // The instance's channels go to the layers that choose an output width.
            const int requested = spec.channels > 0             ? spec.channels
                                  : takesInstanceChannels(spec) ? channels
                                                                : 0;
            const std::string problem = inferShape(n, shapes_, requested);
            if (!problem.empty())
                return fail(problem, n.pos, n.name);
            if (n.out.c < 1 || n.out.h < 1 || n.out.w < 1)
                return fail("the layer has an empty output " + formatShape(n.out), n.pos, n.name);
            graph_.nodes.push_back(std::move(n));
        }
        g.last = static_cast<int>(graph_.nodes.size()) - 1;
        graph_.groups.push_back(std::move(g));
        return {};
    }

    Diagnostic applyPrecisionOverrides() {
        for (const auto& [layerName, prec] : project_.precision.layers) {
            const int idx = graph_.findNode(layerName);
            SourcePos pos = project_.precision.pos;
            if (auto it = project_.precision.layerPos.find(layerName);
                it != project_.precision.layerPos.end())
                pos = it->second;
            if (idx < 0)
                return fail("precision override for unknown layer '" + layerName +
                                "' (layer names look like B1.pwconv or L4.pwconv)",
                            pos);
            Node& n = graph_.nodes[idx];
            if (prec.weights)
                n.weights = *prec.weights;
            if (prec.activations)
                n.activations = *prec.activations;
        }
        return {};
    }

    const Project& project_;
    Graph graph_;
    std::map<std::string, int> ids_;
    std::unordered_set<std::string> names_;
    std::vector<Shape> shapes_; // scratch: the input shapes of the layer being added
};

} // namespace

Result<Graph> buildGraph(const Project& project) {
    return GraphBuilder(project).build();
}

Result<Graph> buildGraph(const Project& project, Graph* resolved) {
    GraphBuilder builder(project);
    Result<Graph> graph = builder.build();
    if (!graph.ok() && resolved)
        *resolved = builder.resolvedGroups();
    return graph;
}

} // namespace codesign
