#include "bundle_folding.h"

#include <algorithm>

namespace codesign::modelio {
namespace {

// Blocks larger than this stay single layers: a skip that spans a whole stage of a
// detector is not a block a user would reuse.
constexpr int kMaxBlockLayers = 40;
constexpr int kMaxBlockWeighted = 8;

bool isWeighted(Op op) {
    return op == Op::Conv || op == Op::DwConv || op == Op::PwConv || op == Op::Fc;
}

bool isPooling(Op op) {
    return op == Op::MaxPool || op == Op::AvgPool;
}

// Layers between two cuts: every edge into it comes from the layer before it (`first - 1`,
// or the network's input), every edge out of it leaves from its last layer.
struct Region {
    int first = 0;
    int last = 0;
};

// A main region (one layer, or a branching block) with the regions that trail it:
// activations, pooling, a shuffle, and gating regions (x * sigmoid(x), squeeze-excite).
struct Unit {
    int first = 0;
    int last = 0;
    int mainLast = 0; // the main region's last layer
    bool branchy = false;
    bool activated = false;
    bool pooled = false;
    bool squeezeExcite = false;
    bool shuffled = false;
    std::vector<std::string> trailNames;
};

class Folder {
public:
    explicit Folder(const ImportedNetwork& net) : net_(net), n_(int(net.layers.size())) {}

    std::vector<Block> run() {
        std::vector<Unit> units = makeUnits(makeRegions());
        std::vector<Block> blocks;
        for (std::size_t i = 0; i < units.size();) {
            const std::size_t taken = matchPattern(units, i, blocks);
            i += taken;
        }
        return limitSizes(blocks);
    }

private:
    const ImportedLayer& layer(int i) const { return net_.layers[std::size_t(i)]; }
    Op op(int i) const { return layer(i).spec.op; }

    std::vector<Region> makeRegions() const {
        // blocked[p]: an edge crosses the cut after layer p.
        std::vector<int> delta(std::size_t(n_) + 1, 0);
        const auto block = [&](int from, int to) { // edges from -> to block cuts (from, to)
            const int lo = from + 1, hi = to - 1;
            if (lo <= hi) {
                ++delta[std::size_t(lo)];
                --delta[std::size_t(hi) + 1];
            }
        };
        for (int j = 0; j < n_; ++j)
            for (int i : layer(j).inputs)
                block(i, j);
        for (int o : net_.outputs)
            block(o, n_);
        std::vector<Region> regions;
        int running = 0, start = 0;
        for (int p = 0; p < n_; ++p) {
            running += delta[std::size_t(p)];
            if (running == 0 || p == n_ - 1) {
                regions.push_back({start, p});
                start = p + 1;
            }
        }
        return regions;
    }

    // x * f(x): a region whose last layer multiplies the tensor it starts from.
    bool gating(const Region& r) const {
        if (r.first == r.last || op(r.last) != Op::Mul || r.first == 0)
            return false;
        const std::vector<int>& in = layer(r.last).inputs;
        return std::find(in.begin(), in.end(), r.first - 1) != in.end();
    }

    bool hasOp(const Region& r, Op o) const {
        for (int i = r.first; i <= r.last; ++i)
            if (op(i) == o)
                return true;
        return false;
    }

    bool trailing(const Region& r) const {
        if (gating(r))
            return true;
        if (r.first != r.last)
            return false;
        const Op o = op(r.first);
        return opIsElementwise(o) || isPooling(o) || o == Op::Shuffle;
    }

    std::vector<Unit> makeUnits(const std::vector<Region>& regions) const {
        std::vector<Unit> units;
        for (const Region& r : regions) {
            if (units.empty() || !trailing(r)) {
                Unit u;
                u.first = r.first;
                u.last = u.mainLast = r.last;
                u.branchy = r.first != r.last;
                units.push_back(u);
                continue;
            }
            Unit& u = units.back();
            u.last = r.last;
            if (gating(r)) {
                const bool se = hasOp(r, Op::GlobalAvgPool);
                u.squeezeExcite = u.squeezeExcite || se;
                u.activated = u.activated || !se;
                u.trailNames.push_back(se ? "se" : hasOp(r, Op::Sigmoid) ? "silu" : "gate");
                continue;
            }
            const Op o = op(r.first);
            u.activated = u.activated || (opIsElementwise(o) && o != Op::Bn);
            u.pooled = u.pooled || isPooling(o);
            u.shuffled = u.shuffled || o == Op::Shuffle;
            u.trailNames.emplace_back(opName(o));
        }
        return units;
    }

    bool single(const Unit& u) const { return !u.branchy; }
    bool pointwise(const Unit& u) const {
        return single(u) && (op(u.first) == Op::PwConv ||
                             (op(u.first) == Op::Conv && layer(u.first).spec.kernelH == 1 &&
                              layer(u.first).spec.kernelW == 1 && layer(u.first).spec.groups == 1));
    }
    bool depthwise(const Unit& u) const { return single(u) && op(u.first) == Op::DwConv; }
    bool convLike(const Unit& u) const {
        return single(u) && (op(u.first) == Op::Conv || op(u.first) == Op::PwConv);
    }

    // A fire module's expand: a branching region merged by concat, not reading its entry
    // at the merge.
    bool expandsEntry(const Unit& u) const {
        if (!u.branchy || op(u.mainLast) != Op::Concat)
            return false;
        const std::vector<int>& in = layer(u.mainLast).inputs;
        return std::find(in.begin(), in.end(), u.first - 1) == in.end();
    }

    std::string unitName(const Unit& u) const {
        if (u.branchy) {
            const Region main{u.first, u.mainLast};
            const bool se = hasOp(main, Op::GlobalAvgPool) || u.squeezeExcite;
            if (op(u.mainLast) == Op::Add)
                return std::string(hasOp(main, Op::DwConv) ? "inverted_residual" : "residual") +
                       (se ? "_se" : "");
            if (op(u.mainLast) == Op::Concat)
                return u.shuffled ? "shuffle_unit" : "branch_concat";
            return "block";
        }
        std::string name(opName(op(u.first)));
        for (const std::string& t : u.trailNames)
            name += "_" + t;
        return name;
    }

    std::size_t matchPattern(const std::vector<Unit>& u, std::size_t i,
                             std::vector<Block>& out) const {
        const auto emit = [&](std::size_t count, std::string kind) {
            Block b;
            b.first = u[i].first;
            b.last = u[i + count - 1].last;
            b.entry = b.first - 1;
            b.kind = std::move(kind);
            out.push_back(std::move(b));
            return count;
        };
        const std::size_t left = u.size() - i;
        bool se = false;
        for (std::size_t k = i; k < std::min(u.size(), i + 3); ++k)
            se = se || u[k].squeezeExcite;
        if (left >= 3 && pointwise(u[i]) && u[i].activated && !u[i].pooled && depthwise(u[i + 1]) &&
            u[i + 1].activated && !u[i + 1].pooled && pointwise(u[i + 2]) && !u[i + 2].activated &&
            !u[i + 2].pooled)
            return emit(3, se ? "inverted_residual_se" : "inverted_residual");
        if (left >= 2 && depthwise(u[i]) && !u[i].pooled && pointwise(u[i + 1]))
            return emit(2, u[i].squeezeExcite || u[i + 1].squeezeExcite ? "dw_pw_se" : "dw_pw");
        if (left >= 2 && pointwise(u[i]) && u[i].activated && !u[i].pooled &&
            expandsEntry(u[i + 1]))
            return emit(2, "fire");
        return emit(1, unitName(u[i]));
    }

    std::vector<Block> limitSizes(const std::vector<Block>& blocks) const {
        std::vector<Block> out;
        for (const Block& b : blocks) {
            int weighted = 0;
            for (int i = b.first; i <= b.last; ++i)
                weighted += isWeighted(op(i)) ? 1 : 0;
            if (b.last - b.first + 1 <= kMaxBlockLayers && weighted <= kMaxBlockWeighted) {
                out.push_back(b);
                continue;
            }
            for (int i = b.first; i <= b.last; ++i) // too large: its layers one by one
                out.push_back({i, i, i - 1, std::string(opName(op(i)))});
        }
        return out;
    }

    const ImportedNetwork& net_;
    int n_;
};

} // namespace

std::vector<Block> findBlocks(const ImportedNetwork& net) {
    if (net.layers.empty())
        return {};
    return Folder(net).run();
}

} // namespace codesign::modelio
