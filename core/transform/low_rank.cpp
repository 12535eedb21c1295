#include "low_rank.h"

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <sstream>

namespace codesign::transform {

namespace {

bool decomposable(const Node& n) {
    return (n.op == Op::Conv && n.groups == 1) || n.op == Op::PwConv;
}

// Columns of the unfolded weights: C * Kh * Kw.
int unfoldedCols(const Node& n) {
    return n.in.c * n.kernelH * n.kernelW;
}

std::int64_t factoredMacs(const Node& n, int rank) {
    const std::int64_t pixels = std::int64_t(n.out.h) * n.out.w;
    return pixels * rank * (std::int64_t(unfoldedCols(n)) + n.out.c);
}

// The largest rank whose two layers cost at most `budget` of the layer's MACs (at least 1).
int rankForBudget(const Node& n, double budget) {
    const double rows = n.out.c, cols = unfoldedCols(n);
    return std::max(1, static_cast<int>(std::floor(budget * rows * cols / (rows + cols))));
}

// The two layers that replace `spec` (node `n`) in the project.
std::pair<LayerSpec, LayerSpec> splitSpec(const LayerSpec& spec, const Node& n, int rank) {
    LayerSpec first = spec;
    first.channels = rank;
    first.expand = 0;
    first.bias = false;
    first.id.clear();
    if (!spec.name.empty())
        first.name = spec.name + "_lr";
    LayerSpec second;
    second.op = Op::PwConv;
    second.name = spec.name;
    // An `expand` width is a multiple of the input, which is now the rank: write it out.
    second.channels = spec.expand > 0 ? n.out.c : spec.channels;
    second.bias = spec.bias;
    second.id = spec.id;
    second.precision = spec.precision;
    second.pos = spec.pos;
    return {first, second};
}

// Rewrites the project: each decomposed layer becomes two. A bundle instance with a
// decomposed layer gets a bundle definition of its own ("<bundle>_lr<k>"), since the
// ranks differ between instances; a repeated entry is written out instance by instance.
Result<Project> rewriteProject(const Project& project, const Graph& graph,
                               const std::map<int, int>& rankOf) {
    Project out = project;
    out.network.clear();
    int group = 0, defs = 0;
    const auto rankAt = [&](int node) {
        auto it = rankOf.find(node);
        return it == rankOf.end() ? 0 : it->second;
    };
    for (const NetworkEntry& entry : project.network) {
        if (!entry.isBundle) {
            const ExecGroup& g = graph.groups[std::size_t(group++)];
            const int rank = rankAt(g.first);
            if (rank == 0) {
                out.network.push_back(entry);
                continue;
            }
            auto [first, second] = splitSpec(entry.layer, graph.nodes[std::size_t(g.first)], rank);
            NetworkEntry a = entry, b = entry;
            a.layer = first;
            b.layer = second;
            b.layer.from.clear();
            out.network.push_back(a);
            out.network.push_back(b);
            continue;
        }
        const BundleDef* def = project.findBundle(entry.bundle);
        if (!def)
            return makeError("bundle '" + entry.bundle + "' is not defined", entry.pos);
        bool touched = false;
        for (int k = 0; k < entry.repeat; ++k) {
            const ExecGroup& g = graph.groups[std::size_t(group + k)];
            for (int i = g.first; i <= g.last; ++i)
                touched = touched || rankAt(i) > 0;
        }
        if (!touched) {
            out.network.push_back(entry);
            group += entry.repeat;
            continue;
        }
        for (int k = 0; k < entry.repeat; ++k) {
            const ExecGroup& g = graph.groups[std::size_t(group++)];
            NetworkEntry instance = entry;
            instance.repeat = 1;
            if (k > 0)
                instance.from.clear();
            if (k + 1 < entry.repeat)
                instance.id.clear();
            if (g.last - g.first + 1 != int(def->layers.size()))
                return makeError("bundle instance " + g.name +
                                     " drops layers of its bundle; the low-rank transform "
                                     "takes whole instances",
                                 entry.pos, g.name);
            BundleDef copy;
            copy.name = entry.bundle + "_lr" + std::to_string(++defs);
            bool changed = false;
            for (std::size_t l = 0; l < def->layers.size(); ++l) {
                const int node = g.first + int(l);
                const int rank = rankAt(node);
                if (rank == 0) {
                    copy.layers.push_back(def->layers[l]);
                    continue;
                }
                auto [first, second] =
                    splitSpec(def->layers[l], graph.nodes[std::size_t(node)], rank);
                copy.layers.push_back(first);
                copy.layers.push_back(second);
                changed = true;
            }
            if (changed) {
                instance.bundle = copy.name;
                out.bundles.push_back(copy);
            } else {
                --defs;
            }
            out.network.push_back(instance);
        }
    }
    return out;
}

// The new graph's weights: the old ones, and the factors in place of each decomposed layer.
Result<reference::WeightSet> rewriteWeights(const Graph& before, const Graph& after,
                                            const reference::WeightSet& weights,
                                            const std::map<int, Factors>& factors,
                                            std::vector<LowRankLayer>& layers) {
    reference::WeightSet out;
    out.origin = weights.origin;
    out.seed = weights.seed;
    std::size_t j = 0;
    for (std::size_t i = 0; i < before.nodes.size(); ++i, ++j) {
        const Node& old = before.nodes[i];
        if (j >= after.nodes.size())
            return makeError("the transformed network lost layers", {}, old.name);
        auto f = factors.find(int(i));
        const reference::LayerWeights* w = weights.find(old.name);
        if (f != factors.end()) {
            if (j + 1 >= after.nodes.size())
                return makeError("the transformed network lost layers", {}, old.name);
            for (LowRankLayer& l : layers)
                if (l.name == old.name) {
                    l.first = after.nodes[j].name;
                    l.second = after.nodes[j + 1].name;
                }
            out.layers.push_back({after.nodes[j].name, f->second.first, {}});
            ++j;
            out.layers.push_back(
                {after.nodes[j].name, f->second.second, w ? w->bias : std::vector<float>{}});
        } else if (reference::nodeHasParameters(old)) {
            if (!w)
                return makeError("the weights have no layer '" + old.name + "'", {}, old.name);
            out.layers.push_back({after.nodes[j].name, w->weights, w->bias});
        }
    }
    return out;
}

} // namespace

double tailError(const std::vector<double>& s, int rank) {
    double all = 0, tail = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        all += s[i] * s[i];
        if (int(i) >= rank)
            tail += s[i] * s[i];
    }
    return all > 0 ? std::sqrt(tail / all) : 0.0;
}

Factors factorize(const std::vector<float>& weights, int rows, int cols, int rank) {
    Eigen::MatrixXd w(rows, cols);
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c)
            w(r, c) = double(weights[std::size_t(r) * std::size_t(cols) + std::size_t(c)]);
    Eigen::BDCSVD<Eigen::MatrixXd> svd(w, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Eigen::VectorXd& s = svd.singularValues();
    Factors f;
    f.singularValues.assign(s.data(), s.data() + s.size());
    f.error = tailError(f.singularValues, rank);
    // The square root of each singular value on either side keeps the factors' ranges alike
    // (both go to fixed point).
    f.first.resize(std::size_t(rank) * std::size_t(cols));
    f.second.resize(std::size_t(rows) * std::size_t(rank));
    for (int k = 0; k < rank; ++k) {
        const double root = std::sqrt(s(k));
        for (int c = 0; c < cols; ++c)
            f.first[std::size_t(k) * std::size_t(cols) + std::size_t(c)] =
                float(root * svd.matrixV()(c, k));
        for (int r = 0; r < rows; ++r)
            f.second[std::size_t(r) * std::size_t(rank) + std::size_t(k)] =
                float(root * svd.matrixU()(r, k));
    }
    return f;
}

Result<LowRankResult> lowRankTransform(const Project& project, const Graph& graph,
                                       const reference::WeightSet& weights,
                                       const LowRankOptions& options) {
    for (const auto& [name, rank] : options.ranks) {
        const int i = graph.findNode(name);
        if (i < 0)
            return makeError("--ranks names '" + name + "', which the network does not have", {},
                             name);
        if (!decomposable(graph.nodes[std::size_t(i)]))
            return makeError("layer '" + name +
                                 "' is not a conv with one group or a pwconv; the low-rank "
                                 "transform decomposes those",
                             graph.nodes[std::size_t(i)].pos, name);
        if (rank < 1)
            return makeError("the rank of '" + name + "' must be at least 1", {}, name);
    }
    if (options.ranks.empty() && !(options.opsBudget > 0 && options.opsBudget < 1))
        return makeError("the OPs budget must be a fraction between 0 and 1 (exclusive)");
    LowRankResult result;
    std::map<int, int> rankOf;
    std::map<int, Factors> factors;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        if (!decomposable(n))
            continue;
        int rank = 0;
        if (!options.ranks.empty()) {
            auto it = options.ranks.find(n.name);
            if (it == options.ranks.end())
                continue;
            rank = it->second;
        } else {
            rank = rankForBudget(n, options.opsBudget);
        }
        const reference::LayerWeights* w = weights.find(n.name);
        const int rows = n.out.c, cols = unfoldedCols(n);
        if (!w || w->weights.size() != std::size_t(rows) * std::size_t(cols))
            return makeError("the weights of '" + n.name + "' are missing or do not fit", n.pos,
                             n.name);
        LowRankLayer layer;
        layer.name = n.name;
        layer.fullRank = std::min(rows, cols);
        layer.rank = std::min(rank, layer.fullRank);
        layer.macsBefore = n.macs;
        layer.macsAfter = factoredMacs(n, layer.rank);
        Factors f = factorize(w->weights, rows, cols, layer.rank);
        layer.error = f.error;
        if (layer.macsAfter >= layer.macsBefore) {
            layer.outcome = LayerOutcome::Reverted;
            layer.why = "two layers of rank " + std::to_string(layer.rank) + " cost " +
                        std::to_string(layer.macsAfter) + " MACs, the layer " +
                        std::to_string(layer.macsBefore);
            layer.macsAfter = layer.macsBefore;
            layer.error = 0;
        } else {
            rankOf[int(i)] = layer.rank;
            factors[int(i)] = std::move(f);
        }
        result.layers.push_back(layer);
    }
    Result<Project> rewritten = rewriteProject(project, graph, rankOf);
    if (!rewritten.ok())
        return rewritten.error();
    Result<Graph> after = buildGraph(*rewritten);
    if (!after.ok())
        return after.error();
    Result<reference::WeightSet> w = rewriteWeights(graph, *after, weights, factors, result.layers);
    if (!w.ok())
        return w.error();
    result.project = std::move(rewritten).value();
    result.weights = std::move(w).value();
    result.macsBefore = graph.totalMacs;
    result.macsAfter = after->totalMacs;
    return result;
}

Result<std::map<std::string, int>> parseRanks(const std::string& text, const std::string& file) {
    std::map<std::string, int> ranks;
    std::istringstream lines(text);
    std::string line;
    for (int number = 1; std::getline(lines, line); ++number) {
        const std::size_t hash = line.find('#');
        if (hash != std::string::npos)
            line.erase(hash);
        std::istringstream fields(line);
        std::string name, extra;
        long long rank = 0;
        if (!(fields >> name))
            continue;
        if (!(fields >> rank) || (fields >> extra) || rank < 1 || rank > 1 << 20) {
            Diagnostic d =
                makeError("expected 'LAYER RANK' with a rank of at least 1", SourcePos{number, 1});
            d.file = file;
            return d;
        }
        ranks[name] = int(rank);
    }
    return ranks;
}

} // namespace codesign::transform
