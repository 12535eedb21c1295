#include "weight_set.h"

#include "core/util/splitmix64.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace codesign::reference {
namespace {

constexpr char kMagic[8] = {'C', 'S', 'W', 'E', 'I', 'G', 'H', 'T'};
constexpr std::uint32_t kVersion = 1;

// Little-endian writer and reader of the file's scalar fields.
void putU32(std::string& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void putU64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void putF32(std::string& out, float f) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    putU32(out, bits);
}
void putString(std::string& out, std::string_view s) {
    putU32(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

class Reader {
public:
    explicit Reader(std::string_view bytes) : bytes_(bytes) {}
    bool u32(std::uint32_t& v) { return scalar(v, 4); }
    bool u64(std::uint64_t& v) { return scalar(v, 8); }
    bool text(std::string& s) {
        std::uint32_t n = 0;
        if (!u32(n) || n > bytes_.size() - pos_)
            return false;
        s.assign(bytes_.substr(pos_, n));
        pos_ += n;
        return true;
    }
    bool floats(std::vector<float>& v, std::uint64_t n) {
        if (n > (bytes_.size() - pos_) / 4)
            return false;
        v.resize(n);
        for (auto& f : v) {
            std::uint32_t bits = 0;
            scalar(bits, 4);
            std::memcpy(&f, &bits, sizeof f);
        }
        return true;
    }
    bool bytes(const char* want, std::size_t n) {
        if (bytes_.size() - pos_ < n || bytes_.substr(pos_, n) != std::string_view(want, n))
            return false;
        pos_ += n;
        return true;
    }
    bool atEnd() const { return pos_ == bytes_.size(); }
    std::size_t offset() const { return pos_; }

private:
    template <class T> bool scalar(T& v, int n) {
        if (bytes_.size() - pos_ < std::size_t(n))
            return false;
        v = 0;
        for (int i = 0; i < n; ++i)
            v |= T(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
        pos_ += n;
        return true;
    }
    std::string_view bytes_;
    std::size_t pos_ = 0;
};

Diagnostic fileError(const std::string& what, std::size_t offset) {
    return makeError("weights file: " + what + " (at byte " + std::to_string(offset) + ")");
}

} // namespace

const LayerWeights* WeightSet::find(std::string_view name) const {
    for (const LayerWeights& l : layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

WeightCounts weightCounts(const Node& n) {
    WeightCounts c;
    switch (n.op) {
    case Op::Conv:
    case Op::DwConv:
    case Op::PwConv:
    case Op::Fuse:
    case Op::Fc:
        c.weights = n.params - (n.bias ? n.out.c : 0);
        c.bias = n.bias ? n.out.c : 0;
        break;
    case Op::Bn:
        c.weights = n.in.c;
        c.bias = n.in.c;
        break;
    default:
        break;
    }
    return c;
}

bool nodeHasParameters(const Node& n) {
    return weightCounts(n).weights > 0;
}

WeightSet seededWeights(const Graph& graph, std::uint64_t seed) {
    WeightSet set;
    set.origin = "seeded";
    set.seed = seed;
    for (const Node& n : graph.nodes) {
        if (!nodeHasParameters(n))
            continue;
        const WeightCounts counts = weightCounts(n);
        SplitMix64 rng(seed ^ fnv1a(n.name));
        LayerWeights l;
        l.name = n.name;
        l.weights.resize(static_cast<std::size_t>(counts.weights));
        l.bias.resize(static_cast<std::size_t>(counts.bias));
        if (n.op == Op::Bn) {
            // A folded batch norm near identity: scale in [0.75, 1.25), shift in +-0.125.
            for (auto& w : l.weights)
                w = static_cast<float>(0.75 + 0.5 * rng.uniform());
            for (auto& b : l.bias)
                b = static_cast<float>(0.25 * rng.uniform() - 0.125);
        } else {
            // He-uniform: keeps the activation scale through ReLU layers, so the fixed-point
            // formats see values across their range rather than zeros.
            const double limit = std::sqrt(6.0 / static_cast<double>(fanIn(n)));
            for (auto& w : l.weights)
                w = static_cast<float>((2 * rng.uniform() - 1) * limit);
            for (auto& b : l.bias)
                b = static_cast<float>(0.2 * rng.uniform() - 0.1);
        }
        set.layers.push_back(std::move(l));
    }
    return set;
}

std::vector<double> seededInput(const Shape& shape, std::uint64_t seed) {
    SplitMix64 rng(seed ^ 0x696e707574ULL); // "input"
    std::vector<double> v(static_cast<std::size_t>(shape.elements()));
    for (auto& x : v)
        x = rng.uniform();
    return v;
}

int copyMatchingLayers(const WeightSet& from, WeightSet& to) {
    int copied = 0;
    for (LayerWeights& layer : to.layers) {
        const LayerWeights* source = from.find(layer.name);
        if (!source || source->weights.size() != layer.weights.size() ||
            source->bias.size() != layer.bias.size())
            continue;
        layer.weights = source->weights;
        layer.bias = source->bias;
        ++copied;
    }
    return copied;
}

Status checkWeightsFit(const WeightSet& set, const Graph& graph) {
    for (const Node& n : graph.nodes) {
        if (!nodeHasParameters(n))
            continue;
        const LayerWeights* l = set.find(n.name);
        if (!l)
            return makeError("the weight set has no weights for this layer", n.pos, n.name);
        const WeightCounts c = weightCounts(n);
        if (std::int64_t(l->weights.size()) != c.weights || std::int64_t(l->bias.size()) != c.bias)
            return makeError("the weight set has " + std::to_string(l->weights.size()) + "+" +
                                 std::to_string(l->bias.size()) + " values; the layer needs " +
                                 std::to_string(c.weights) + "+" + std::to_string(c.bias),
                             n.pos, n.name);
    }
    return okStatus();
}

std::string serializeWeightSet(const WeightSet& set) {
    std::string out(kMagic, sizeof kMagic);
    putU32(out, kVersion);
    putU32(out, static_cast<std::uint32_t>(set.layers.size()));
    putU64(out, set.seed);
    putString(out, set.origin);
    for (const LayerWeights& l : set.layers) {
        putString(out, l.name);
        putU64(out, l.weights.size());
        putU64(out, l.bias.size());
        for (float f : l.weights)
            putF32(out, f);
        for (float f : l.bias)
            putF32(out, f);
    }
    return out;
}

Result<WeightSet> parseWeightSet(std::string_view bytes) {
    Reader r(bytes);
    if (!r.bytes(kMagic, sizeof kMagic))
        return fileError("not a Codesign Studio weights file (no CSWEIGHT header)", 0);
    std::uint32_t version = 0;
    std::uint32_t count = 0;
    WeightSet set;
    if (!r.u32(version) || version != kVersion)
        return fileError("unsupported version " + std::to_string(version), r.offset());
    if (!r.u32(count) || !r.u64(set.seed) || !r.text(set.origin))
        return fileError("truncated header", r.offset());
    for (std::uint32_t i = 0; i < count; ++i) {
        LayerWeights l;
        std::uint64_t nw = 0;
        std::uint64_t nb = 0;
        if (!r.text(l.name) || !r.u64(nw) || !r.u64(nb) || !r.floats(l.weights, nw) ||
            !r.floats(l.bias, nb))
            return fileError("truncated layer " + std::to_string(i + 1), r.offset());
        set.layers.push_back(std::move(l));
    }
    if (!r.atEnd())
        return fileError("unexpected bytes after the last layer", r.offset());
    return set;
}

Result<WeightSet> readWeightSetFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError("cannot read the weights file " + path);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    Result<WeightSet> set = parseWeightSet(bytes.str());
    if (!set.ok()) {
        Diagnostic d = set.error();
        d.file = path;
        return d;
    }
    return set;
}

std::int64_t fanIn(const Node& n) {
    switch (n.op) {
    case Op::Conv:
        return std::int64_t(n.in.c / std::max(1, n.groups)) * n.kernelH * n.kernelW;
    case Op::DwConv:
        return std::int64_t(n.kernelH) * n.kernelW;
    case Op::PwConv:
        return n.in.c;
    case Op::Fuse:
        return n.kernelH;
    case Op::Fc:
        return n.in.elements();
    default:
        return 1;
    }
}

} // namespace codesign::reference
