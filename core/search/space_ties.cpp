#include "space_ties.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace codesign {
namespace {

enum class VarKind { Channels, Downsample, Repeat };
using Var = std::pair<VarKind, int>; // a coordinate of one network entry

// constant + sum of coefficient x variable
struct Form {
    std::map<Var, long long> terms;
    long long constant = 0;

    void add(const Form& o, long long scale = 1) {
        for (const auto& [v, k] : o.terms)
            terms[v] += scale * k;
        constant += scale * o.constant;
    }
    static Form of(long long c) { return Form{{}, c}; }
    static Form of(Var v) { return Form{{{v, 1}}, 0}; }
};

Form difference(const Form& a, const Form& b) {
    Form d = a;
    d.add(b, -1);
    return d;
}

// A tensor as the search sees it: its width, and the pooling of searched instances (and
// the repeats of instances that change the size) it went through since the input.
struct Tensor {
    Form channels;
    Form size;
};

bool isPooling(Op op) {
    return op == Op::MaxPool || op == Op::AvgPool;
}

bool changesSize(const LayerSpec& l) {
    return isPooling(l.op) || l.stride > 1 || l.op == Op::Reorg || l.op == Op::Upsample ||
           l.op == Op::GlobalAvgPool || l.op == Op::Fc || l.op == Op::BboxHead;
}

// The network walked with symbolic shapes; collects the forms that must be zero.
class SymbolicWalk {
public:
    explicit SymbolicWalk(const Project& p) : project_(p) {}

    // `bundle`: the bundle every instance uses (search.bundles), or empty for the written ones.
    void run(const std::string& bundle) {
        ids_.clear();
        Tensor current{Form::of(project_.input.channels), {}};
        ids_["input"] = current;
        for (std::size_t e = 0; e < project_.network.size(); ++e) {
            const NetworkEntry& entry = project_.network[e];
            if (!entry.isBundle) {
                current = layer(entry.layer, current, Form::of(entry.layer.channels), {}, -1,
                                constraints);
                if (!entry.layer.id.empty())
                    ids_[entry.layer.id] = current;
                continue;
            }
            const BundleDef* def = project_.findBundle(bundle.empty() ? entry.bundle : bundle);
            if (!def)
                continue;
            current = instance(static_cast<int>(e), *def, current);
            if (!entry.id.empty())
                ids_[entry.id] = current;
        }
    }

    bool isVar(const Var& v) const {
        const NetworkEntry& entry = project_.network[static_cast<std::size_t>(v.second)];
        const SearchSpec& spec = project_.search;
        switch (v.first) {
        case VarKind::Channels:
            return entry.isBundle && entry.channels > 0;
        case VarKind::Downsample: {
            const BundleDef* def = project_.findBundle(entry.bundle);
            return entry.isBundle && spec.downsample && def && bundlePools(*def);
        }
        case VarKind::Repeat:
            return entry.isBundle && spec.repeat.max > spec.repeat.min;
        }
        return false;
    }

    std::vector<Form> constraints; // each must be zero at every point
    std::vector<Form> opaque;      // forms whose variables must stay as written
    std::set<int> repeatChangesWidth;

private:
    Tensor instance(int e, const BundleDef& def, Tensor in) {
        const NetworkEntry& entry = project_.network[static_cast<std::size_t>(e)];
        const Form width = isVar({VarKind::Channels, e}) ? Form::of(Var{VarKind::Channels, e})
                                                         : Form::of(entry.channels);
        const bool searchedPooling = isVar({VarKind::Downsample, e});
        for (int r = 0; r < entry.repeat; ++r) {
            in = copy(def, in, width, r == 0 ? entry.from : std::string(), e, searchedPooling,
                      constraints);
            if (r == 0 && isVar({VarKind::Repeat, e})) {
                // A repeat count is searched only where it cannot change the width.
                std::vector<Form> scratch;
                const Tensor again = copy(def, in, width, {}, e, searchedPooling, scratch);
                if (again.channels.terms != in.channels.terms ||
                    again.channels.constant != in.channels.constant)
                    repeatChangesWidth.insert(e);
            }
        }
        const bool pools = searchedPooling || entry.downsample;
        const bool sized =
            std::any_of(def.layers.begin(), def.layers.end(), [&](const LayerSpec& l) {
                return changesSize(l) && (pools || !isPooling(l.op));
            });
        if (sized && isVar({VarKind::Repeat, e}))
            in.size.add(Form::of(Var{VarKind::Repeat, e}));
        return in;
    }

    Tensor copy(const BundleDef& def, Tensor in, const Form& width, const std::string& from, int e,
                bool searchedPooling, std::vector<Form>& out) {
        const NetworkEntry& entry = project_.network[static_cast<std::size_t>(e)];
        // The instance's layers see its own ids only: `input` and those they define.
        std::map<std::string, Tensor> global = std::exchange(ids_, {});
        in = from.empty() ? in : resolveIn(global, from, in);
        ids_["input"] = in;
        for (std::size_t i = 0; i < def.layers.size(); ++i) {
            const LayerSpec& spec = def.layers[i];
            if (isPooling(spec.op) && !searchedPooling && !entry.downsample)
                continue; // dropped as written
            in = layer(spec, in, width, {}, searchedPooling ? e : -1, out);
            if (!spec.id.empty())
                ids_[spec.id] = in;
        }
        ids_ = std::move(global);
        return in;
    }

    static Tensor resolveIn(const std::map<std::string, Tensor>& ids, const std::string& id,
                            const Tensor& fallback) {
        auto it = ids.find(id);
        return it == ids.end() ? fallback : it->second;
    }

    Tensor resolve(const std::string& id, const Tensor& fallback) const {
        if (id.empty())
            return fallback;
        auto it = ids_.find(id);
        return it == ids_.end() ? Tensor{} : it->second; // an unknown id fails the build itself
    }

    // One layer; `width` is what a layer without channels of its own gets, `poolVar` the
    // instance whose pooling is searched (-1: none).
    Tensor layer(const LayerSpec& spec, const Tensor& previous, const Form& width,
                 const std::string& from, int poolVar, std::vector<Form>& out) {
        std::vector<Tensor> inputs{resolve(!from.empty() ? from : spec.from, previous)};
        for (const std::string& id : spec.inputs)
            inputs.push_back(resolve(id, previous));
        const Tensor& in = inputs.front();
        Tensor t = in;
        Form requested = spec.channels > 0 ? Form::of(spec.channels) : width;
        if (spec.channels <= 0 && spec.expand > 0) {
            requested = {};
            requested.add(in.channels, spec.expand);
        }
        switch (spec.op) {
        case Op::Conv:
            if (spec.groups > 1) {
                opaque.push_back(in.channels);
                opaque.push_back(requested);
            }
            t.channels = requested;
            break;
        case Op::PwConv:
            t.channels = requested;
            break;
        case Op::Fc:
            t.channels = requested;
            t.size = {};
            break;
        case Op::DwConv:
            if (spec.channels > 0)
                out.push_back(difference(in.channels, Form::of(spec.channels)));
            break;
        case Op::Fuse:
            if (spec.variant == FuseVariant::Full)
                t.channels.add(in.channels); // 2C
            if (spec.channels > 0)
                out.push_back(difference(t.channels, Form::of(spec.channels)));
            break;
        case Op::MaxPool:
        case Op::AvgPool:
            if (poolVar >= 0) // weighted by its stride: only like poolings tie
                t.size.add(Form::of(Var{VarKind::Downsample, poolVar}),
                           spec.stride > 0 ? spec.stride : std::max(spec.kernelH, 2));
            break;
        case Op::GlobalAvgPool:
            t.size = {};
            break;
        case Op::Reorg: {
            const long long f = spec.factor > 0 ? spec.factor : 2;
            t.channels = {};
            t.channels.add(in.channels, f * f);
            break;
        }
        case Op::Add:
            for (std::size_t k = 1; k < inputs.size(); ++k) {
                out.push_back(difference(inputs[k].channels, in.channels));
                out.push_back(difference(inputs[k].size, in.size));
            }
            break;
        case Op::Mul: // the operands' channels agree; one may be a 1x1 channel scale
            for (std::size_t k = 1; k < inputs.size(); ++k)
                out.push_back(difference(inputs[k].channels, in.channels));
            for (const Tensor& operand : inputs)
                if (!operand.size.terms.empty() || operand.size.constant != 0)
                    t.size = operand.size;
            break;
        case Op::Shuffle:
            opaque.push_back(in.channels); // its groups must keep dividing them
            break;
        case Op::Slice:
            opaque.push_back(in.channels);
            t.channels = Form::of(spec.channels);
            break;
        case Op::Concat:
            for (std::size_t k = 1; k < inputs.size(); ++k) {
                out.push_back(difference(inputs[k].size, in.size));
                t.channels.add(inputs[k].channels);
            }
            break;
        case Op::BboxHead:
            out.push_back(difference(in.channels, Form::of(5LL * spec.anchors)));
            t.channels = Form::of(5);
            t.size = {};
            break;
        case Op::Relu:
        case Op::Relu6:
        case Op::Bn:
        case Op::Upsample:
        case Op::LeakyRelu:
        case Op::Sigmoid:
        case Op::HardSigmoid:
        case Op::HardSwish:
            break;
        }
        return t;
    }

    const Project& project_;
    std::map<std::string, Tensor> ids_;
};

// Union-find over the variables, with a "kept as written" mark on each group.
class Solver {
public:
    explicit Solver(const SymbolicWalk& walk, const Project& p) : walk_(walk), project_(p) {}

    Var root(Var v) {
        auto it = parent_.find(v);
        if (it == parent_.end() || it->second == v)
            return v;
        const Var r = root(it->second);
        parent_[v] = r;
        return r;
    }
    bool frozen(Var v) { return frozen_.count(root(v)) > 0; }
    bool freeze(Var v) { return frozen_.insert(root(v)).second; }

    void solve() {
        for (bool changed = true; changed;) {
            changed = false;
            for (const Form& f : walk_.opaque)
                for (const auto& [v, k] : f.terms)
                    if (k != 0 && walk_.isVar(v))
                        changed = freeze(v) || changed;
            for (int e : walk_.repeatChangesWidth)
                changed = freeze({VarKind::Repeat, e}) || changed;
            for (const Form& c : walk_.constraints)
                changed = apply(c) || changed;
        }
    }

private:
    // A constraint "form = 0" on the groups still free: one variable is held at its value;
    // two with opposite coefficients and one value in the project are tied; more, kept.
    bool apply(const Form& c) {
        std::map<Var, long long> live;
        for (const auto& [v, k] : c.terms)
            if (k != 0 && walk_.isVar(v) && !frozen(v))
                live[root(v)] += k;
        std::erase_if(live, [](const auto& t) { return t.second == 0; });
        if (live.empty())
            return false;
        if (live.size() == 2) {
            const auto [a, ka] = *live.begin();
            const auto [b, kb] = *std::next(live.begin());
            if (ka == -kb && a.first == b.first && a.first != VarKind::Repeat &&
                value(a) == value(b)) {
                const Var first = std::min(a, b), second = std::max(a, b);
                parent_[second] = first;
                return true;
            }
        }
        bool changed = false;
        for (const auto& t : live)
            changed = freeze(t.first) || changed;
        return changed;
    }

    int value(const Var& v) const {
        const NetworkEntry& e = project_.network[static_cast<std::size_t>(v.second)];
        switch (v.first) {
        case VarKind::Channels:
            return e.channels;
        case VarKind::Downsample:
            return e.downsample ? 1 : 0;
        case VarKind::Repeat:
            return e.repeat;
        }
        return 0;
    }

    const SymbolicWalk& walk_;
    const Project& project_;
    std::map<Var, Var> parent_;
    std::set<Var> frozen_;
};

TiedEntries entriesOf(VarKind kind, const Project& p, const SymbolicWalk& walk, Solver& solver) {
    TiedEntries t;
    for (std::size_t e = 0; e < p.network.size(); ++e) {
        const Var v{kind, static_cast<int>(e)};
        if (!walk.isVar(v))
            continue;
        t.leader[v.second] = solver.root(v).second; // roots are the smallest entry of a group
        if (solver.frozen(v))
            t.frozen.insert(v.second);
    }
    return t;
}

} // namespace

std::vector<int> TiedEntries::group(int entry) const {
    std::vector<int> members;
    const int l = leaderOf(entry);
    for (const auto& [e, lead] : leader)
        if (lead == l)
            members.push_back(e);
    if (members.empty())
        members.push_back(entry);
    return members;
}

bool bundlePools(const BundleDef& bundle) {
    return std::any_of(bundle.layers.begin(), bundle.layers.end(),
                       [](const LayerSpec& l) { return isPooling(l.op); });
}

SpaceTies findSpaceTies(const Project& project) {
    SymbolicWalk walk(project);
    if (project.search.bundles.empty())
        walk.run({});
    for (const std::string& b : project.search.bundles)
        walk.run(b);
    Solver solver(walk, project);
    solver.solve();
    SpaceTies ties;
    ties.channels = entriesOf(VarKind::Channels, project, walk, solver);
    ties.downsample = entriesOf(VarKind::Downsample, project, walk, solver);
    const TiedEntries repeat = entriesOf(VarKind::Repeat, project, walk, solver);
    ties.frozenRepeat = repeat.frozen;
    return ties;
}

} // namespace codesign
