#include "low_rank.h"

#include "low_rank_cycles.h"
#include "low_rank_schemes.h"

#include <Eigen/SVD>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
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

// A layer's decomposition: the scheme and the rank (per matrix of the unfolding).
struct Choice {
    Scheme scheme = Scheme::S1;
    int rank = 0;
};

// The channels between the two layers.
int middleChannels(Scheme s, const Node& n, int rank) {
    return rank * (s == Scheme::S0 ? n.out.c : s == Scheme::S3 ? n.in.c : 1);
}

// The two layers that replace `spec` (node `n`) in the project.
std::pair<LayerSpec, LayerSpec> splitSpec(const LayerSpec& spec, const Node& n, Choice c) {
    LayerSpec first = spec;
    first.channels = middleChannels(c.scheme, n, c.rank);
    first.expand = 0;
    first.bias = false;
    first.id.clear();
    if (!spec.name.empty())
        first.name = spec.name + "_lr";
    LayerSpec second;
    second.op = Op::PwConv;
    second.name = spec.name;
    // An `expand` width is a multiple of the input, which is now the middle: write it out.
    second.channels = spec.expand > 0 ? n.out.c : spec.channels;
    second.bias = spec.bias;
    second.id = spec.id;
    second.precision = spec.precision;
    second.pos = spec.pos;
    switch (c.scheme) {
    case Scheme::S1:
        break;
    case Scheme::S2: // 1 x Kw with the horizontal padding, then Kh x 1 with the vertical
        first.op = Op::Conv;
        first.kernelH = 1;
        first.kernelW = n.kernelW;
        first.stride = 1;
        first.padding = -1; // the list says it
        first.pads = {0, n.padW, 0, n.padRight};
        second.op = Op::Conv;
        second.kernelH = n.kernelH;
        second.kernelW = 1;
        second.stride = 1;
        second.pads = {n.padH, 0, n.padBottom, 0};
        break;
    case Scheme::S3: // the window per input channel, then 1x1
        first.groups = n.in.c;
        break;
    case Scheme::S0: // 1x1 first, then the window per output channel
        first.op = Op::PwConv;
        first.kernelH = first.kernelW = 0;
        first.stride = 1;
        first.padding = -1;
        first.pads.clear();
        first.groups = 1;
        second.op = Op::Conv;
        second.kernelH = n.kernelH;
        second.kernelW = n.kernelW;
        second.stride = n.stride;
        second.pads = {n.padH, n.padW, n.padBottom, n.padRight};
        second.groups = n.out.c;
        break;
    }
    return {first, second};
}

// Rewrites the project: each decomposed layer becomes two. A bundle instance with a
// decomposed layer gets a bundle definition of its own ("<bundle>_lr<k>"), since the
// ranks differ between instances; a repeated entry is written out instance by instance.
Result<Project> rewriteProject(const Project& project, const Graph& graph,
                               const std::map<int, Choice>& choiceOf) {
    Project out = project;
    out.network.clear();
    int group = 0, defs = 0;
    const auto rankAt = [&](int node) {
        auto it = choiceOf.find(node);
        return it == choiceOf.end() ? 0 : it->second.rank;
    };
    for (const NetworkEntry& entry : project.network) {
        if (!entry.isBundle) {
            const ExecGroup& g = graph.groups[std::size_t(group++)];
            const int rank = rankAt(g.first);
            if (rank == 0) {
                out.network.push_back(entry);
                continue;
            }
            auto [first, second] =
                splitSpec(entry.layer, graph.nodes[std::size_t(g.first)], choiceOf.at(g.first));
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
                    splitSpec(def->layers[l], graph.nodes[std::size_t(node)], choiceOf.at(node));
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
                                            const std::map<int, SchemeFactors>& factors,
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

namespace {

Status checkOptions(const Graph& graph, const LowRankOptions& options) {
    Scheme scheme;
    if (options.scheme != "auto" && !parseScheme(options.scheme, scheme))
        return makeError("unknown scheme '" + options.scheme + "'; give auto, s0, s1, s2 or s3");
    for (const auto& [name, rank] : options.ranks) {
        const int i = graph.findNode(name);
        if (i < 0)
            return makeError("--ranks names '" + name + "', which the network does not have", {},
                             name);
        const Node& n = graph.nodes[std::size_t(i)];
        if (!decomposable(n))
            return makeError("layer '" + name +
                                 "' is not a conv with one group or a pwconv; the low-rank "
                                 "transform decomposes those",
                             n.pos, name);
        if (rank < 1)
            return makeError("the rank of '" + name + "' must be at least 1", {}, name);
        if (options.scheme != "auto")
            if (std::string why = schemeRefusal(scheme, n); !why.empty())
                return makeError("layer '" + name + "': " + why, n.pos, name);
    }
    for (const std::string& name : options.layers)
        if (graph.findNode(name) < 0)
            return makeError("no layer '" + name + "' in the network", {}, name);
    if (options.gradients && !options.ranks.empty())
        return makeError("the gradients choose the ranks and --ranks gives them: give one");
    if (options.ranks.empty() && !(options.opsBudget > 0 && options.opsBudget < 1))
        return makeError("the OPs budget must be a fraction between 0 and 1 (exclusive)");
    return okStatus();
}

void revert(LowRankLayer& layer, std::string why) {
    layer.outcome = LayerOutcome::Reverted;
    layer.why = std::move(why);
    layer.macsAfter = layer.macsBefore;
    layer.error = 0;
    layer.importance = 0; // nothing dropped
}

// The budgets `--scheme auto` votes over.
constexpr double kVoteBudgets[] = {0.2, 0.35, 0.5, 0.65, 0.8};

// `--scheme auto`: at each budget the scheme of the lowest error at its rank for that
// budget gets a vote; the most votes win (a tie: the lower error at `budget`, the layer's
// own). Errors within 1e-9 are equal, and then the scheme that reaches that error with
// fewer MACs wins (weights low-rank in one unfolding are often low-rank, at a higher rank,
// in others). Only the schemes that can decompose the layer take part.
Scheme voteScheme(const Node& n, const std::vector<float>& weights, double budget) {
    struct Candidate {
        Scheme scheme;
        std::vector<std::vector<double>> values;
    };
    std::vector<Candidate> candidates;
    for (Scheme s : kSchemes)
        if (schemeRefusal(s, n).empty())
            candidates.push_back({s, schemeSingularValues(s, n, weights)});
    // The error at budget b, and the MACs of the smallest rank that gives it.
    const auto at = [&](const Candidate& c, double b) {
        const int rank = schemeRankForBudget(c.scheme, n, b);
        const double error = tailError(c.values, rank);
        int least = rank;
        while (least > 1 && tailError(c.values, least - 1) <= error + 1e-9)
            --least;
        return std::pair<double, std::int64_t>{error, schemeMacs(c.scheme, n, least)};
    };
    const auto better = [&](const Candidate& x, const Candidate& y, double b) {
        const auto [ex, mx] = at(x, b);
        const auto [ey, my] = at(y, b);
        return std::fabs(ex - ey) <= 1e-9 ? mx < my : ex < ey;
    };
    std::vector<int> votes(candidates.size(), 0);
    for (double b : kVoteBudgets) {
        std::size_t best = 0;
        for (std::size_t k = 1; k < candidates.size(); ++k)
            if (better(candidates[k], candidates[best], b))
                best = k;
        ++votes[best];
    }
    std::size_t winner = 0;
    for (std::size_t k = 1; k < candidates.size(); ++k)
        if (votes[k] > votes[winner] ||
            (votes[k] == votes[winner] && better(candidates[k], candidates[winner], budget)))
            winner = k;
    return candidates[winner].scheme;
}

// The smallest rank from `rank` up whose middle channels the streaming design's coarse_in
// and coarse_out divide (the second layer takes them in coarse_in at a time, the first
// gives them out coarse_out at a time); `rank` when none up to the largest does.
int padToFolding(Scheme s, const Node& n, int rank, std::pair<int, int> coarse) {
    const int step = std::lcm(coarse.first, coarse.second);
    if (step <= 1)
        return rank;
    for (int r = rank; r <= unfoldingOf(s, n).maxRank(); ++r)
        if (middleChannels(s, n, r) % step == 0)
            return r;
    return rank;
}

// With the design: every candidate judged by its cycles on it.
Status judgeByCycles(const Project& project, const Graph& graph, const DesignEstimate& design,
                     std::map<int, Choice>& choiceOf, std::map<int, SchemeFactors>& factors,
                     LowRankResult& result) {
    if (choiceOf.empty())
        return okStatus();
    Result<Project> rewritten = rewriteProject(project, graph, choiceOf);
    if (!rewritten.ok())
        return rewritten.error();
    std::vector<int> decomposed;
    for (const auto& [node, choice] : choiceOf)
        decomposed.push_back(node);
    Result<FactorCycles> cycles = factorCycles(design, graph, *rewritten, decomposed);
    if (!cycles.ok())
        return cycles.error();
    for (LowRankLayer& layer : result.layers) {
        if (layer.outcome == LayerOutcome::Reverted)
            continue;
        const int i = graph.findNode(layer.name);
        layer.cyclesBefore = cycles->before.at(i);
        layer.cyclesAfter = cycles->after.at(i);
        if (layer.cyclesAfter < layer.cyclesBefore)
            continue;
        revert(layer, "two layers of rank " + std::to_string(layer.rank) + " take " +
                          std::to_string(layer.cyclesAfter) + " cycles on " + result.design +
                          ", the layer " + std::to_string(layer.cyclesBefore));
        choiceOf.erase(i);
        factors.erase(i);
    }
    return okStatus();
}

// The weights of decomposable layer `n`, or the error naming it.
Result<const reference::LayerWeights*> layerWeights(const Node& n,
                                                    const reference::WeightSet& weights) {
    const reference::LayerWeights* w = weights.find(n.name);
    if (!w || w->weights.size() != std::size_t(n.out.c) * std::size_t(unfoldedCols(n)))
        return makeError("the weights of '" + n.name + "' are missing or do not fit", n.pos,
                         n.name);
    return w;
}

Scheme layerScheme(const Node& n, const std::vector<float>& weights,
                   const LowRankOptions& options) {
    Scheme s = Scheme::S1;
    if (options.scheme == "auto")
        s = voteScheme(n, weights, options.ranks.empty() ? options.opsBudget : 0.5);
    else
        parseScheme(options.scheme, s);
    return s;
}

// RankRule::Taylor: each layer's importance curve, and the greedy choice under the joint
// budget (0: the layer stays whole).
struct TaylorChoice {
    std::map<int, int> rank;
    std::map<int, std::vector<double>> importance;
    std::int64_t budget = 0, chosen = 0;
};

Result<TaylorChoice> chooseTaylorRanks(const Graph& graph, const reference::WeightSet& weights,
                                       const LowRankOptions& options) {
    TaylorChoice out;
    std::vector<int> nodes;
    std::vector<RankCandidates> candidates;
    std::int64_t before = 0;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        if (!decomposable(n) || (!options.layers.empty() && !options.layers.count(n.name)))
            continue;
        Result<const reference::LayerWeights*> w = layerWeights(n, weights);
        if (!w.ok())
            return w.error();
        const Scheme scheme = layerScheme(n, (*w)->weights, options);
        if (!schemeRefusal(scheme, n).empty())
            continue;
        auto g = options.gradients->find(n.name);
        if (g == options.gradients->end() || g->second.empty())
            return makeError("no gradients for layer '" + n.name + "'", n.pos, n.name);
        for (const std::vector<float>& batch : g->second)
            if (batch.size() != (*w)->weights.size())
                return makeError("the gradients of '" + n.name + "' have " +
                                     std::to_string(batch.size()) + " values; its weights " +
                                     std::to_string((*w)->weights.size()),
                                 n.pos, n.name);
        RankCandidates c;
        c.macsBefore = n.macs;
        c.importance = layerTaylorImportance(scheme, n, (*w)->weights, g->second);
        for (int r = 1; r <= int(c.importance.size()); ++r)
            c.macs.push_back(schemeMacs(scheme, n, r));
        before += n.macs;
        out.importance[int(i)] = c.importance;
        nodes.push_back(int(i));
        candidates.push_back(std::move(c));
    }
    out.budget = std::int64_t(std::floor(options.opsBudget * double(before)));
    const std::vector<int> ranks = chooseRanksGreedy(candidates, out.budget);
    for (std::size_t k = 0; k < nodes.size(); ++k) {
        out.rank[nodes[k]] = ranks[k];
        out.chosen += ranks[k] == 0 ? candidates[k].macsBefore
                                    : candidates[k].macs[std::size_t(ranks[k] - 1)];
    }
    return out;
}

} // namespace

const char* rankRuleName(RankRule rule) {
    switch (rule) {
    case RankRule::Budget:
        return "budget per layer";
    case RankRule::Taylor:
        return "taylor importance";
    case RankRule::Given:
        return "given";
    }
    return "";
}

Result<LowRankResult> lowRankTransform(const Project& project, const Graph& graph,
                                       const reference::WeightSet& weights,
                                       const LowRankOptions& options) {
    if (Status s = checkOptions(graph, options); !s.ok())
        return s.error();
    LowRankResult result;
    std::optional<DesignEstimate> design;
    if (options.devices) {
        Result<DesignEstimate> d = estimateDesign(project, *options.devices);
        if (!d.ok())
            return d.error();
        design = std::move(d).value();
        result.design = std::string(design->architecture->name()) + " " +
                        design->architecture->designSummary(design->estimate.detail, &graph);
    }
    std::optional<TaylorChoice> taylor;
    result.rule = !options.ranks.empty() ? RankRule::Given
                  : options.gradients    ? RankRule::Taylor
                                         : RankRule::Budget;
    if (result.rule == RankRule::Taylor) {
        Result<TaylorChoice> t = chooseTaylorRanks(graph, weights, options);
        if (!t.ok())
            return t.error();
        taylor = std::move(t).value();
        result.budgetMacs = taylor->budget;
        result.chosenMacs = taylor->chosen;
    }
    std::map<int, Choice> choiceOf;
    std::map<int, SchemeFactors> factors;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const Node& n = graph.nodes[i];
        if (!decomposable(n))
            continue;
        int asked = 0;
        if (!options.ranks.empty()) {
            auto it = options.ranks.find(n.name);
            if (it == options.ranks.end())
                continue;
            asked = it->second;
        } else if (!options.layers.empty() && !options.layers.count(n.name)) {
            continue;
        }
        Result<const reference::LayerWeights*> found = layerWeights(n, weights);
        if (!found.ok())
            return found.error();
        const reference::LayerWeights* w = *found;
        LowRankLayer layer;
        layer.name = n.name;
        layer.macsBefore = n.macs;
        Choice c;
        c.scheme = layerScheme(n, w->weights, options);
        layer.scheme = schemeName(c.scheme);
        if (std::string why = schemeRefusal(c.scheme, n); !why.empty()) {
            revert(layer, why); // a budget over every layer: the scheme leaves this one
            result.layers.push_back(layer);
            continue;
        }
        layer.fullRank = unfoldingOf(c.scheme, n).maxRank();
        if (taylor && taylor->rank.at(int(i)) == 0) {
            layer.rank = layer.fullRank;
            revert(layer, "kept whole: the Taylor rule met the budget in other layers, at less "
                          "importance per MAC saved");
            result.layers.push_back(layer);
            continue;
        }
        if (taylor)
            asked = taylor->rank.at(int(i));
        c.rank = asked > 0 ? asked : schemeRankForBudget(c.scheme, n, options.opsBudget);
        if (design)
            c.rank = padToFolding(c.scheme, n, c.rank, streamingCoarse(*design, n.name));
        c.rank = std::min(c.rank, layer.fullRank);
        layer.rank = c.rank;
        layer.macsAfter = schemeMacs(c.scheme, n, c.rank);
        if (taylor)
            layer.importance = taylor->importance.at(int(i))[std::size_t(c.rank - 1)];
        SchemeFactors f = factorizeScheme(c.scheme, n, w->weights, c.rank);
        layer.error = f.error;
        if (!design && layer.macsAfter >= layer.macsBefore) {
            revert(layer, "two layers of rank " + std::to_string(layer.rank) + " cost " +
                              std::to_string(layer.macsAfter) + " MACs, the layer " +
                              std::to_string(layer.macsBefore));
        } else {
            choiceOf[int(i)] = c;
            factors[int(i)] = std::move(f);
        }
        result.layers.push_back(layer);
    }
    if (design)
        if (Status s = judgeByCycles(project, graph, *design, choiceOf, factors, result); !s.ok())
            return s.error();
    Result<Project> rewritten = rewriteProject(project, graph, choiceOf);
    if (!rewritten.ok())
        return rewritten.error();
    Result<Graph> after = buildGraph(*rewritten);
    if (!after.ok())
        return after.error();
    Result<reference::WeightSet> w = rewriteWeights(graph, *after, weights, factors, result.layers);
    if (!w.ok())
        return w.error();
    std::vector<int> decomposed;
    for (const auto& [node, choice] : choiceOf)
        decomposed.push_back(node);
    rewritten->accelerator = specForRewritten(rewritten->accelerator, graph, *after, decomposed);
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
