#pragma once

#include "diagnostic.h"

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <yaml-cpp/yaml.h>

namespace codesign {

// Thrown inside the YAML readers only; the public loaders catch it and return a Diagnostic.
struct YamlError {
    Diagnostic diagnostic;
};

SourcePos positionOf(const YAML::Node& node);
[[noreturn]] void failAt(const YAML::Node& node, std::string message);

// yaml-cpp accepts a key given twice in one mapping and keeps one value; this says so at
// the second. `what` names the mapping ("a layer", "precision.layers").
void rejectDuplicateKeys(const YAML::Node& map, std::string_view what);

// Typed, range-checked access to one YAML mapping that remembers which keys were read, so
// that a misspelt key is reported instead of silently ignored.
class YamlFields {
public:
    YamlFields(const YAML::Node& node, std::string what);

    bool has(std::string_view key) const;
    YAML::Node node(std::string_view key); // undefined node when absent
    SourcePos pos() const { return positionOf(node_); }
    const YAML::Node& self() const { return node_; }

    int integer(std::string_view key, int fallback, int min, int max);
    int requiredInteger(std::string_view key, int min, int max);
    double number(std::string_view key, double fallback, double min, double max);
    double requiredNumber(std::string_view key, double min, double max);
    bool boolean(std::string_view key, bool fallback);
    std::string string(std::string_view key, std::string fallback = {});
    std::string requiredString(std::string_view key);
    std::string oneOf(std::string_view key, std::string fallback,
                      std::initializer_list<std::string_view> choices);

    // Reports the first key that no getter asked for, with a close match when there is one.
    void rejectUnknownKeys() const;

private:
    YAML::Node require(std::string_view key);

    YAML::Node node_;
    std::string what_;
    std::set<std::string, std::less<>> read_;
};

int scalarInteger(const YAML::Node& node, std::string_view what, int min, int max);
double scalarNumber(const YAML::Node& node, std::string_view what, double min, double max);
std::string scalarString(const YAML::Node& node, std::string_view what);

// Shortest text that reads back to the same double (0.85, not 0.84999999999999998).
std::string yamlNumber(double v);

// Edit distance, for "did you mean" suggestions.
std::size_t editDistance(std::string_view a, std::string_view b);
std::string closestMatch(std::string_view word, std::initializer_list<std::string_view> words);

} // namespace codesign
