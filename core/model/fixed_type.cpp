#include "fixed_type.h"

#include <cctype>
#include <charconv>

namespace codesign {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

bool parseInt(std::string_view s, int& out) {
    s = trim(s);
    if (s.empty())
        return false;
    const auto* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, out);
    return ec == std::errc() && ptr == end;
}

Result<FixedType> checked(FixedType t, std::string_view text) {
    if (t.width < kMinBits || t.width > kMaxBits)
        return makeError("bit width " + std::to_string(t.width) + " in '" + std::string(text) +
                         "' is out of range; use " + std::to_string(kMinBits) + " to " +
                         std::to_string(kMaxBits));
    if (t.integer > t.width || t.integer < -t.width)
        return makeError("integer bits " + std::to_string(t.integer) + " in '" + std::string(text) +
                         "' do not fit in " + std::to_string(t.width) + " bits");
    return t;
}

} // namespace

const char* roundingName(Rounding r) {
    switch (r) {
    case Rounding::Round:
        return "round";
    case Rounding::Truncate:
        return "truncate";
    case Rounding::Convergent:
        return "convergent";
    }
    return "round";
}

const char* overflowName(Overflow o) {
    return o == Overflow::Wrap ? "wrap" : "saturate";
}

int defaultWeightIntegerBits(int width) {
    return width >= 2 ? 2 : 1;
}
int defaultActivationIntegerBits(int width) {
    return (width + 1) / 2;
}

Result<FixedType> parseFixedType(std::string_view text, int (*defaultInteger)(int)) {
    std::string_view s = trim(text);
    int width = 0;
    if (parseInt(s, width)) {
        // The default split only of a width in range (it would overflow at INT_MAX);
        // checked() names the width otherwise.
        const bool inRange = width >= kMinBits && width <= kMaxBits;
        return checked(FixedType{width, inRange ? defaultInteger(width) : 0}, text);
    }
    for (std::string_view prefix : {"ap_fixed<", "fixed<"}) {
        if (s.substr(0, prefix.size()) == prefix && s.back() == '>') {
            std::string_view inner = s.substr(prefix.size(), s.size() - prefix.size() - 1);
            auto comma = inner.find(',');
            FixedType t;
            if (comma == std::string_view::npos || !parseInt(inner.substr(0, comma), t.width) ||
                !parseInt(inner.substr(comma + 1), t.integer))
                break;
            return checked(t, text);
        }
    }
    std::string hint;
    if (s.find('<') != std::string_view::npos && s.find('>') == std::string_view::npos)
        hint = " (inside { } the comma splits the value: quote it, \"fixed<8,3>\")";
    return makeError("cannot read precision '" + std::string(text) +
                     "'; write a bit count such as 8 or fixed<W,I> such as fixed<8,3>" + hint);
}

std::string formatFixedType(const FixedType& t) {
    return "fixed<" + std::to_string(t.width) + "," + std::to_string(t.integer) + ">";
}

} // namespace codesign
