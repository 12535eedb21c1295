#pragma once

// Setup shared by the tiled estimator's tests: a project's text parsed, built and
// estimated, stopping the test binary with the diagnostic when the text is wrong (the
// text is the test's own, so a failure there is a broken test, not a result).
#include "core/estimate/design_estimate.h"
#include "core/estimate/tiled/tiled_model.h"
#include "core/hw/device_library.h"
#include "test_support.h"

#include <string>
#include <utility>

namespace codesign::testing {

inline Project projectOrFatal(const std::string& text, const std::string& file = "t.yaml") {
    Result<Project> p = parseProject(text, file);
    if (!p.ok())
        qFatal("%s", p.error().format().c_str());
    return std::move(p).value();
}

// A network's graph and tiled model on a built-in device.
struct BuiltTiled {
    Graph graph;
    TiledModel model;
};

inline BuiltTiled buildTiledOrFatal(const std::string& text, const std::string& device) {
    Result<Graph> g = buildGraph(projectOrFatal(text));
    if (!g.ok())
        qFatal("%s", g.error().format().c_str());
    BuiltTiled b{std::move(g).value(), {}};
    b.model = buildTiledModel(b.graph, *DeviceLibrary::builtin().find(device));
    return b;
}

inline DesignEstimate estimateOrFatal(const std::string& text, const std::string& file = "t.yaml") {
    Result<DesignEstimate> e = estimateDesign(projectOrFatal(text, file), DeviceLibrary::builtin());
    if (!e.ok())
        qFatal("%s", e.error().format().c_str());
    return std::move(e).value();
}

// The `bundles:` section of the channel-blocking export tests: a DW/PW bundle whose prefix
// has a folded bn and relu6, and a pool -> strided DW/PW bundle.
inline const char* const kBlockedBundles = "bundles:\n"
                                           "  dw_pw:\n"
                                           "    - {op: dwconv, kernel: 3}\n"
                                           "    - {op: bn}\n"
                                           "    - {op: relu6}\n"
                                           "    - {op: pwconv}\n"
                                           "    - {op: relu}\n"
                                           "  pool_dw_pw:\n"
                                           "    - {op: maxpool, kernel: 3, stride: 2, padding: 1}\n"
                                           "    - {op: dwconv, kernel: 3, stride: 2}\n"
                                           "    - {op: relu}\n"
                                           "    - {op: pwconv}\n";

} // namespace codesign::testing
