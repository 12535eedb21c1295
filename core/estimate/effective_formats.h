#pragma once

#include "../model/graph.h"

#include <string>
#include <vector>

namespace codesign {

// The storage formats the tiled accelerator really uses for a network. Its units share one
// activation format and one weight format (tiled_model.cpp, unionFormat): the union of the
// layers' own formats, with the most integer bits and the most fractional bits of any. So a
// per-layer override wider than the project's format widens every layer's storage (FPS, DDR
// traffic and DSP follow), which the GUI shows next to the project's W/A.
//
// The GUI's helper until the core reports the same (issue 12, item 6); it must agree with
// buildTiledModel (test_estimator checks that it does).
struct SharedFormat {
    FixedType format;    // what every layer is stored in
    FixedType requested; // the project's global format
    // The layers whose own format set the union's integer or fractional bits above the
    // project's, in network order.
    std::vector<std::string> widenedBy;

    bool differs() const { return !(format == requested); }
};

struct EffectiveFormats {
    SharedFormat weights; // of the layers with parameters
    SharedFormat activations;
};

EffectiveFormats effectiveFormats(const Graph& graph, const PrecisionSpec& precision);

} // namespace codesign
