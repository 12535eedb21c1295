#pragma once

#include "../model/graph.h"

#include <cstdint>
#include <string>

namespace codesign {

// The identity of a design for QoR purposes: the resolved network and its precision, not
// the device or the accelerator (they do not change accuracy). Two projects that expand to
// the same layers, shapes, connections and formats get the same hash, whatever their
// bundles, names or comments. 16 hex digits of a 64-bit hash of those fields;
// canonicalDesignText() prints the same fields for people.
std::string designHash(const Graph& graph);
std::string canonicalDesignText(const Graph& graph);

} // namespace codesign
