#include "design_hash.h"

#include "../util/yaml_fields.h"

#include <bit>
#include <cstdio>

namespace codesign {

std::string canonicalDesignText(const Graph& g) {
    std::string t = "in " + formatShape(g.input) + "\n";
    for (std::size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        t += std::to_string(i) + " " + std::string(opName(n.op));
        t += " k" + std::to_string(n.kernelH) + "x" + std::to_string(n.kernelW);
        t += " s" + std::to_string(n.stride);
        t += " p" + std::to_string(n.padH) + "x" + std::to_string(n.padW);
        if (!n.symmetricPadding()) // written only when uneven: older hashes stay valid
            t += "+" + std::to_string(n.padBottom) + "x" + std::to_string(n.padRight);
        if (n.op == Op::LeakyRelu)
            t += " slope " + yamlNumber(n.slope);
        if (n.op == Op::Slice)
            t += " begin " + std::to_string(n.begin);
        t += " g" + std::to_string(n.groups);
        t += " f" + std::to_string(n.factor);
        t += " a" + std::to_string(n.anchors);
        t += n.variant == FuseVariant::Full ? " full" : " half";
        t += n.bias ? " b" : " nb";
        t += " out " + formatShape(n.out);
        t += " w " + formatFixedType(n.weights);
        t += " x " + formatFixedType(n.activations);
        t += std::string(" q ") + roundingName(n.quant.rounding) + "/" +
             overflowName(n.quant.overflow);
        t += " from";
        for (int in : n.inputs)
            t += " " + std::to_string(in);
        t += "\n";
    }
    return t;
}

namespace {

// A 64-bit multiply-xorshift hash over the same fields canonicalDesignText() prints,
// without building the text (the search hashes every design it evaluates).
class FieldHash {
public:
    void add(std::int64_t v) {
        h_ = (h_ ^ static_cast<std::uint64_t>(v)) * 0x9E3779B97F4A7C15ULL;
        h_ ^= h_ >> 29;
    }
    void add(std::string_view s) {
        add(static_cast<std::int64_t>(s.size()));
        for (char c : s)
            add(c);
    }
    std::uint64_t value() const { return h_; }

private:
    std::uint64_t h_ = 0xCBF29CE484222325ULL;
};

} // namespace

std::string designHash(const Graph& g) {
    FieldHash f;
    for (int v : {g.input.c, g.input.h, g.input.w})
        f.add(v);
    for (const Node& n : g.nodes) {
        f.add(static_cast<int>(n.op));
        for (int v :
             {n.kernelH, n.kernelW, n.stride, n.padH, n.padW, n.groups, n.factor, n.anchors,
              n.variant == FuseVariant::Full ? 1 : 0, n.bias ? 1 : 0, n.out.c, n.out.h, n.out.w,
              n.weights.width, n.weights.integer, n.activations.width, n.activations.integer,
              static_cast<int>(n.quant.rounding), static_cast<int>(n.quant.overflow)})
            f.add(v);
        if (!n.symmetricPadding()) { // added only when uneven: older hashes stay valid
            f.add(n.padBottom);
            f.add(n.padRight);
        }
        if (n.op == Op::LeakyRelu)
            f.add(std::bit_cast<std::int64_t>(n.slope));
        if (n.op == Op::Slice)
            f.add(n.begin);
        f.add(static_cast<std::int64_t>(n.inputs.size()));
        for (int in : n.inputs)
            f.add(in);
    }
    const std::uint64_t h = f.value();
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

} // namespace codesign
