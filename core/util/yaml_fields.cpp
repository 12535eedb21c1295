#include "yaml_fields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <vector>

namespace codesign {

SourcePos positionOf(const YAML::Node& node) {
    if (!node.IsDefined())
        return {};
    const YAML::Mark mark = node.Mark();
    if (mark.line < 0 || mark.column < 0)
        return {};
    return {mark.line + 1, mark.column + 1};
}

void failAt(const YAML::Node& node, std::string message) {
    throw YamlError{makeError(std::move(message), positionOf(node))};
}

std::string yamlNumber(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string closestMatch(std::string_view word, std::initializer_list<std::string_view> words) {
    std::string best;
    std::size_t bestDistance = 3; // only suggest close matches
    for (std::string_view w : words) {
        const std::size_t d = editDistance(word, w);
        if (d < bestDistance) {
            bestDistance = d;
            best = std::string(w);
        }
    }
    return best;
}

int scalarInteger(const YAML::Node& node, std::string_view what, int min, int max) {
    if (!node.IsScalar())
        failAt(node, std::string(what) + " must be an integer");
    const std::string& text = node.Scalar();
    long long value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec == std::errc::result_out_of_range)
        failAt(node, std::string(what) + " " + text + " is out of range");
    if (ec != std::errc() || ptr != end)
        failAt(node, std::string(what) + " must be an integer, not '" + text + "'");
    if (value < min || value > max)
        failAt(node, std::string(what) + " is " + text + "; it must be between " +
                         std::to_string(min) + " and " + std::to_string(max));
    return static_cast<int>(value);
}

double scalarNumber(const YAML::Node& node, std::string_view what, double min, double max) {
    if (!node.IsScalar())
        failAt(node, std::string(what) + " must be a number");
    const std::string& text = node.Scalar();
    double value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
        failAt(node, std::string(what) + " must be a number, not '" + text + "'");
    if (value < min || value > max) {
        auto fmt = [](double v) {
            std::string s = std::to_string(v);
            s.erase(s.find_last_not_of('0') + 1);
            if (!s.empty() && s.back() == '.')
                s.pop_back();
            return s;
        };
        failAt(node, std::string(what) + " is " + text + "; it must be between " + fmt(min) +
                         " and " + fmt(max));
    }
    return value;
}

std::string scalarString(const YAML::Node& node, std::string_view what) {
    if (!node.IsScalar())
        failAt(node, std::string(what) + " must be a plain value");
    return node.Scalar();
}

void rejectDuplicateKeys(const YAML::Node& map, std::string_view what) {
    std::map<std::string, SourcePos> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node key = it->first; // a copy: `it->` yields a temporary proxy
        if (!key.IsScalar())
            continue;
        const auto [first, added] = seen.try_emplace(key.Scalar(), positionOf(key));
        if (!added)
            failAt(key, "'" + key.Scalar() + "' is given twice in " + std::string(what) +
                            " (first at line " + std::to_string(first->second.line) + ", column " +
                            std::to_string(first->second.column) +
                            "); YAML would keep only one of them");
    }
}

YamlFields::YamlFields(const YAML::Node& node, std::string what)
    : node_(node), what_(std::move(what)) {
    if (!node_.IsMap())
        failAt(node_, what_ + " must be a mapping of 'key: value' entries");
    rejectDuplicateKeys(node_, what_);
}

bool YamlFields::has(std::string_view key) const {
    return node_[std::string(key)].IsDefined() && !node_[std::string(key)].IsNull();
}

YAML::Node YamlFields::node(std::string_view key) {
    read_.emplace(key);
    return node_[std::string(key)];
}

YAML::Node YamlFields::require(std::string_view key) {
    YAML::Node n = node(key);
    if (!n.IsDefined() || n.IsNull())
        failAt(node_, "missing the field '" + std::string(key) + "' in " + what_);
    return n;
}

int YamlFields::integer(std::string_view key, int fallback, int min, int max) {
    if (!has(key)) {
        read_.emplace(key);
        return fallback;
    }
    return scalarInteger(node(key), std::string(key), min, max);
}

int YamlFields::requiredInteger(std::string_view key, int min, int max) {
    return scalarInteger(require(key), std::string(key), min, max);
}

double YamlFields::number(std::string_view key, double fallback, double min, double max) {
    if (!has(key)) {
        read_.emplace(key);
        return fallback;
    }
    return scalarNumber(node(key), std::string(key), min, max);
}

double YamlFields::requiredNumber(std::string_view key, double min, double max) {
    return scalarNumber(require(key), std::string(key), min, max);
}

bool YamlFields::boolean(std::string_view key, bool fallback) {
    if (!has(key)) {
        read_.emplace(key);
        return fallback;
    }
    YAML::Node n = node(key);
    const std::string text = scalarString(n, key);
    if (text == "true" || text == "yes" || text == "on")
        return true;
    if (text == "false" || text == "no" || text == "off")
        return false;
    failAt(n, std::string(key) + " must be true or false, not '" + text + "'");
}

std::string YamlFields::string(std::string_view key, std::string fallback) {
    if (!has(key)) {
        read_.emplace(key);
        return fallback;
    }
    return scalarString(node(key), key);
}

std::string YamlFields::requiredString(std::string_view key) {
    return scalarString(require(key), key);
}

std::string YamlFields::oneOf(std::string_view key, std::string fallback,
                              std::initializer_list<std::string_view> choices) {
    std::string value = string(key, fallback);
    for (std::string_view c : choices)
        if (c == value)
            return value;
    std::string list;
    for (std::string_view c : choices)
        list += (list.empty() ? "" : ", ") + std::string(c);
    failAt(node(key), std::string(key) + " '" + value + "' is not one of: " + list);
}

void YamlFields::rejectUnknownKeys() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
        const YAML::Node keyNode = it->first; // a copy: `it->` yields a temporary proxy
        const std::string key = keyNode.as<std::string>();
        if (read_.count(key))
            continue;
        std::string message = "unknown field '" + key + "' in " + what_;
        std::string best;
        std::size_t bestDistance = 3;
        for (const std::string& known : read_) {
            const std::size_t d = editDistance(key, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        if (!best.empty())
            message += "; did you mean '" + best + "'?";
        failAt(keyNode, message);
    }
}

} // namespace codesign
