#include "accelerator_backend.h"

#include "tiled_backend.h"

#include <array>

namespace codesign::hls {

const AcceleratorBackend* findAcceleratorBackend(std::string_view arch) {
    static const TiledBackend tiled;
    static const std::array<const AcceleratorBackend*, 1> all{&tiled};
    for (const AcceleratorBackend* b : all)
        if (b->arch() == arch)
            return b;
    return nullptr;
}

std::string exportUnavailableReason(std::string_view arch) {
    if (findAcceleratorBackend(arch))
        return {};
    return "the export writes tiled accelerators only; a " + std::string(arch) +
           " design has no export backend yet (estimate and explore it, or switch the "
           "project to arch: tiled to export)";
}

} // namespace codesign::hls
