#include "streaming_design.h"

#include "../../util/yaml_fields.h"
#include "streaming_partition.h"

#include <algorithm>

namespace codesign {

std::vector<int> divisorsOf(int n) {
    std::vector<int> small, large;
    for (int d = 1; static_cast<long long>(d) * d <= n; ++d)
        if (n % d == 0) {
            small.push_back(d);
            if (d != n / d)
                large.push_back(n / d);
        }
    small.insert(small.end(), large.rbegin(), large.rend());
    return small;
}

StreamingDesign defaultStreamingDesign(const HwNetwork& net) {
    StreamingDesign d;
    d.folding.assign(net.layers.size(), LayerFolding{});
    d.partitions.push_back({0, static_cast<int>(net.layers.size()) - 1, 1});
    return d;
}

namespace {

std::string str(int v) {
    return std::to_string(v);
}

std::string divides(const char* what, int value, int n, const std::string& of) {
    if (value >= 1 && n % value == 0)
        return {};
    return std::string(what) + " " + str(value) + " does not divide " + of + " (" + str(n) +
           "; it may be one of its factors)";
}

} // namespace

std::string foldingProblem(const HwLayer& l, const LayerShape& s, const LayerFolding& f) {
    if (l.kind == HwKind::Conv) {
        const int taps = l.kernelH * l.kernelW;
        for (const std::string& p :
             {divides("coarse_in", f.coarseIn, s.channels / l.groups,
                      "the input channels per group"),
              divides("coarse_out", f.coarseOut, s.filters / l.groups,
                      "the output channels per group"),
              divides("coarse_group", f.coarseGroup, l.groups, "the groups")})
            if (!p.empty())
                return p;
        if (f.fine < 1 || taps % f.fine != 0) {
            std::string allowed;
            for (int d : divisorsOf(taps))
                allowed += (allowed.empty() ? "" : ", ") + str(d);
            return "fine " + str(f.fine) + " is not allowed for a " + str(l.kernelH) + "x" +
                   str(l.kernelW) + " kernel (one of " + allowed + ")";
        }
        return {};
    }
    if (l.kind == HwKind::InnerProduct) {
        if (f.fine != 1 || f.coarseGroup != 1)
            return "an fc layer takes fine 1 and coarse_group 1";
        std::string p = divides("coarse_in", f.coarseIn, s.channels, "the input features");
        return p.empty() ? divides("coarse_out", f.coarseOut, s.filters, "the output features") : p;
    }
    if (f.coarseIn != f.coarseOut || f.fine != 1 || f.coarseGroup != 1)
        return "a " + l.op + " layer takes one coarse factor";
    if (l.kind == HwKind::Concat) {
        for (int c : l.portChannels)
            if (std::string p = divides("coarse", f.coarseIn, c, "the channels of an input");
                !p.empty())
                return p;
        return {};
    }
    return divides("coarse", f.coarseIn, s.channels, "the channels");
}

namespace {

// Checks against the network that need a name -> layer table; shared by the spec and the
// in-code paths. Messages name layers; the spec path adds positions.
class DesignChecker {
public:
    explicit DesignChecker(const HwNetwork& net) : net_(net) {}

    // A partition must begin where one tensor flows (fpgaConvNet cuts no branch).
    std::string cutProblem(const StreamingPartition& p) const {
        if (p.first == 0)
            return {};
        const int crossing = net_.crossing[p.first - 1];
        if (crossing == 1)
            return {};
        return "it begins at '" + net_.layers[p.first].name + "', where " + str(crossing) +
               " tensors cross from the partitions before; a partition boundary must cut one "
               "tensor (not inside a branch)";
    }

    // Weights reloading divides the filters of the partition's last conv / fc, after its
    // coarse_out; the layers after it then see filters / wr channels.
    std::string reloadingProblem(const StreamingPartition& p,
                                 const std::vector<LayerFolding>& folding) const {
        if (p.weightsReloading <= 1)
            return {};
        const int wrLayer = weightsReloadingLayer(net_, p);
        if (wrLayer < 0)
            return "weights_reloading " + str(p.weightsReloading) +
                   " needs a conv or fc layer that ends the partition (none before its output, "
                   "or a split, add or concat in between)";
        const HwLayer& l = net_.layers[wrLayer];
        const int perGroup = l.filters / l.groups;
        const int step = p.weightsReloading * folding[wrLayer].coarseOut;
        if (perGroup % step != 0)
            return "weights_reloading " + str(p.weightsReloading) + " x coarse_out " +
                   str(folding[wrLayer].coarseOut) + " does not divide the " + str(perGroup) +
                   " output channels (per group) of '" + l.name + "'";
        const int reduced = l.filters / p.weightsReloading;
        for (int v = wrLayer; v < p.last;) {
            v = net_.consumers[v][0];
            const HwLayer& after = net_.layers[v];
            if (after.channels != l.filters || hasConvFolding(after.kind))
                continue;
            LayerShape s = baseShape(after);
            s.channels = s.channelsOut = reduced;
            if (std::string problem = foldingProblem(after, s, folding[v]); !problem.empty())
                return "with weights_reloading " + str(p.weightsReloading) + ", '" + after.name +
                       "' gets " + str(reduced) + " channels: " + problem;
        }
        return {};
    }

private:
    const HwNetwork& net_;
};

Diagnostic errorAt(const HwNetwork& net, SourcePos pos, std::string message,
                   std::string layer = {}) {
    Diagnostic d = makeError(std::move(message), pos, std::move(layer));
    d.file = net.sourceFile;
    return d;
}

std::string suggestion(const HwNetwork& net, const std::string& name) {
    std::string best;
    std::size_t bestDistance = 3;
    auto consider = [&](const std::string& candidate) {
        const std::size_t d = editDistance(name, candidate);
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    };
    for (const HwLayer& l : net.layers)
        consider(l.name);
    for (const HwAlias& a : net.aliases)
        consider(a.name);
    return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// A name as the user writes it: a hardware layer, or a graph layer (its hardware layers).
std::vector<int> resolve(const HwNetwork& net, const std::string& name, bool& host) {
    host = false;
    if (const int i = net.find(name); i >= 0)
        return {i};
    if (const HwAlias* a = net.findAlias(name)) {
        host = a->host;
        return a->layers;
    }
    return {};
}

Result<std::vector<LayerFolding>> foldingFromSpec(const HwNetwork& net, const StreamingSpec& spec) {
    std::vector<LayerFolding> folding(net.layers.size());
    for (const StreamingFolding& d : spec.folding) {
        bool host = false;
        const std::vector<int> layers = resolve(net, d.layer, host);
        if (layers.size() != 1) {
            std::string why = host ? "runs on the processor and has no folding"
                              : layers.empty()
                                  ? "is not a layer of the network" + suggestion(net, d.layer)
                                  : "maps to several hardware layers; fold each of them by name";
            return errorAt(net, d.pos, "folding: '" + d.layer + "' " + why, d.layer);
        }
        const HwLayer& l = net.layers[layers[0]];
        const bool convStyle = d.coarseIn || d.coarseOut || d.fine || d.coarseGroup;
        if (hasConvFolding(l.kind) ? d.coarse > 0 : convStyle)
            return errorAt(net, d.pos,
                           "folding of '" + l.name + "' (" + l.op + "): " +
                               (hasConvFolding(l.kind)
                                    ? "conv and fc layers take coarse_in, coarse_out, fine, "
                                      "coarse_group"
                                    : "this layer takes one coarse factor: {coarse: N}"),
                           l.name);
        LayerFolding& f = folding[layers[0]];
        if (hasConvFolding(l.kind)) {
            f = {std::max(1, d.coarseIn), std::max(1, d.coarseOut), std::max(1, d.coarseGroup),
                 std::max(1, d.fine)};
        } else {
            f.coarseIn = f.coarseOut = std::max(1, d.coarse);
        }
        if (std::string p = foldingProblem(l, baseShape(l), f); !p.empty())
            return errorAt(net, d.pos, "folding of '" + l.name + "': " + p, l.name);
    }
    return folding;
}

// Which partition each hardware layer is in, from the names listed; -1 where none.
Result<std::vector<int>> assignPartitions(const HwNetwork& net, const StreamingSpec& spec) {
    std::vector<int> owner(net.layers.size(), -1);
    int lastIndex = -1;
    std::string lastName;
    for (std::size_t p = 0; p < spec.partitions.size(); ++p) {
        const StreamingPartitionSpec& part = spec.partitions[p];
        for (std::size_t k = 0; k < part.layers.size(); ++k) {
            const std::string& name = part.layers[k];
            const SourcePos pos = k < part.layerPos.size() ? part.layerPos[k] : part.pos;
            bool host = false;
            const std::vector<int> layers = resolve(net, name, host);
            if (host)
                return errorAt(net, pos,
                               "'" + name +
                                   "' runs on the processor; leave it out of "
                                   "the partitions",
                               name);
            if (layers.empty())
                return errorAt(net, pos,
                               "partition " + str(int(p) + 1) + ": '" + name +
                                   "' is not a layer of the network" + suggestion(net, name),
                               name);
            for (int i : layers) {
                if (owner[i] >= 0 && owner[i] != int(p))
                    return errorAt(net, pos,
                                   "'" + net.layers[i].name + "' is in partitions " +
                                       str(owner[i] + 1) + " and " + str(int(p) + 1),
                                   net.layers[i].name);
                if (i < lastIndex)
                    return errorAt(net, pos,
                                   "partition " + str(int(p) + 1) + ": '" + name +
                                       "' comes before '" + lastName +
                                       "' in the network; list the layers in network order",
                                   name);
                owner[i] = static_cast<int>(p);
                lastIndex = std::max(lastIndex, i);
                lastName = name;
            }
        }
    }
    // layers the mapping added (splits) go with the layer after them
    for (int i = static_cast<int>(owner.size()) - 2; i >= 0; --i)
        if (owner[i] < 0 && net.layers[i].node < 0 && net.layers[i].kind == HwKind::Split)
            owner[i] = owner[i + 1];
    return owner;
}

Result<std::vector<StreamingPartition>> partitionsFromSpec(const HwNetwork& net,
                                                           const StreamingSpec& spec) {
    const int n = static_cast<int>(net.layers.size());
    if (spec.partitions.empty())
        return std::vector<StreamingPartition>{{0, n - 1, 1}};
    Result<std::vector<int>> owner = assignPartitions(net, spec);
    if (!owner.ok())
        return owner.error();
    std::vector<StreamingPartition> parts(spec.partitions.size(), {n, -1, 1});
    for (int i = 0; i < n; ++i) {
        const int p = (*owner)[i];
        if (p < 0)
            return errorAt(net, spec.partitionsPos,
                           "'" + net.layers[i].name +
                               "' is in no partition; the partitions "
                               "must cover the network",
                           net.layers[i].name);
        if (i > 0 && p < (*owner)[i - 1])
            return errorAt(net, spec.partitions[p].pos,
                           "partition " + str(p + 1) + " holds '" + net.layers[i].name +
                               "', which comes after layers of partition " +
                               str((*owner)[i - 1] + 1) + "; partitions follow the network order",
                           net.layers[i].name);
        parts[p].first = std::min(parts[p].first, i);
        parts[p].last = std::max(parts[p].last, i);
    }
    for (std::size_t p = 0; p < parts.size(); ++p)
        parts[p].weightsReloading = spec.partitions[p].weightsReloading;
    return parts;
}

} // namespace

Result<StreamingDesign> streamingDesignFromSpec(const HwNetwork& net, const StreamingSpec& spec) {
    StreamingDesign design;
    Result<std::vector<LayerFolding>> folding = foldingFromSpec(net, spec);
    if (!folding.ok())
        return folding.error();
    design.folding = std::move(folding).value();
    Result<std::vector<StreamingPartition>> parts = partitionsFromSpec(net, spec);
    if (!parts.ok())
        return parts.error();
    design.partitions = std::move(parts).value();
    const DesignChecker check(net);
    for (std::size_t p = 0; p < design.partitions.size(); ++p) {
        const SourcePos pos = spec.partitions.empty() ? spec.pos : spec.partitions[p].pos;
        for (const std::string& problem :
             {check.cutProblem(design.partitions[p]),
              check.reloadingProblem(design.partitions[p], design.folding)})
            if (!problem.empty())
                return errorAt(net, pos, "partition " + str(int(p) + 1) + ": " + problem);
    }
    return design;
}

Status checkStreamingDesign(const HwNetwork& net, const StreamingDesign& design) {
    const int n = static_cast<int>(net.layers.size());
    if (static_cast<int>(design.folding.size()) != n)
        return makeError("the design folds " + str(int(design.folding.size())) +
                         " layers, the "
                         "network has " +
                         str(n));
    for (int i = 0; i < n; ++i)
        if (std::string p =
                foldingProblem(net.layers[i], baseShape(net.layers[i]), design.folding[i]);
            !p.empty())
            return makeError("folding of '" + net.layers[i].name + "': " + p, {},
                             net.layers[i].name);
    int next = 0;
    const DesignChecker check(net);
    for (std::size_t p = 0; p < design.partitions.size(); ++p) {
        const StreamingPartition& part = design.partitions[p];
        std::string problem = part.first != next || part.last < part.first || part.last >= n
                                  ? "the partitions must cover the layers in order, without gaps"
                                  : check.cutProblem(part);
        if (problem.empty())
            problem = check.reloadingProblem(part, design.folding);
        if (!problem.empty())
            return makeError("partition " + str(int(p) + 1) + ": " + problem);
        next = part.last + 1;
    }
    if (next != n)
        return makeError("the partitions must cover the layers in order, without gaps");
    return okStatus();
}

void streamingDesignToSpec(const HwNetwork& net, const StreamingDesign& design,
                           StreamingSpec& spec) {
    spec.partitions.clear();
    spec.folding.clear();
    for (const StreamingPartition& p : design.partitions) {
        StreamingPartitionSpec s;
        for (int i = p.first; i <= p.last; ++i)
            if (net.layers[i].node >= 0 || net.layers[i].kind != HwKind::Split)
                s.layers.push_back(net.layers[i].name);
        s.weightsReloading = p.weightsReloading;
        spec.partitions.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const LayerFolding& f = design.folding[i];
        if (f == LayerFolding{})
            continue;
        StreamingFolding d;
        d.layer = net.layers[i].name;
        if (hasConvFolding(net.layers[i].kind)) {
            d.coarseIn = f.coarseIn;
            d.coarseOut = f.coarseOut;
            d.fine = f.fine;
            d.coarseGroup = f.coarseGroup;
        } else {
            d.coarse = f.coarseIn;
        }
        spec.folding.push_back(std::move(d));
    }
}

} // namespace codesign
