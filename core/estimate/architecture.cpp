#include "architecture.h"

#include "streaming/streaming_architecture.h"
#include "tiled/tiled_architecture.h"

#include <array>

namespace codesign {

std::span<const Architecture* const> architectures() {
    static const TiledArchitecture tiled;
    static const StreamingArchitecture streaming;
    static const std::array<const Architecture*, 2> all{&tiled, &streaming};
    static_assert(all.size() == std::variant_size_v<FamilySpec> &&
                      all.size() == std::variant_size_v<EstimateDetail>,
                  "one architecture per family of the project format and of the estimate");
    return all;
}

const Architecture* findArchitecture(std::string_view name) {
    for (const Architecture* a : architectures())
        if (a->name() == name)
            return a;
    return nullptr;
}

const Architecture& architectureOf(const AcceleratorSpec& spec) {
    return *architectures()[spec.family.index()];
}

const Architecture& architectureOf(const EstimateDetail& design) {
    return *architectures()[design.index()];
}

} // namespace codesign
