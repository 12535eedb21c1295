#include "accelerator_formats.h"

#include <array>

namespace codesign {

std::span<const AcceleratorFormat> acceleratorFormats() {
    static const std::array formats{tiledAcceleratorFormat(), streamingAcceleratorFormat()};
    static_assert(formats.size() == std::variant_size_v<FamilySpec>,
                  "one format per alternative of FamilySpec, in its order");
    return formats;
}

const AcceleratorFormat* findAcceleratorFormat(std::string_view arch) {
    for (const AcceleratorFormat& f : acceleratorFormats())
        if (f.arch == arch)
            return &f;
    return nullptr;
}

std::string_view AcceleratorSpec::arch() const {
    return acceleratorFormats()[family.index()].arch;
}

double effectiveClockMhz(const AcceleratorSpec& spec, double deviceDefaultMhz) {
    return spec.clockMhz > 0 ? spec.clockMhz : deviceDefaultMhz;
}

} // namespace codesign
