#pragma once

// The tiled bundle accelerator's export (docs/export.md): HLS C++ with its testbench and
// golden vectors, Vitis HLS and Vivado scripts, the PYNQ driver.
#include "accelerator_backend.h"

namespace codesign::hls {

class TiledBackend : public AcceleratorBackend {
public:
    std::string_view arch() const override { return "tiled"; }
    Result<std::unique_ptr<PlannedExport>> plan(const DesignEstimate& design) const override;
};

} // namespace codesign::hls
