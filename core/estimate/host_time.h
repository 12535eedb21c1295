#pragma once

// The processor's time per frame by step (host_model.h computes it).
namespace codesign {

struct HostTime {
    double decodeMs = 0;
    double resizeMs = 0;
    double packMs = 0;
    double cacheMs = 0;
    double postMs = 0;
    double driverMs = 0;
    double totalMs() const { return decodeMs + resizeMs + packMs + cacheMs + postMs + driverMs; }
};

} // namespace codesign
