#pragma once

// A systolic design as the engine times it: the family's keys (core/model/systolic_spec.h)
// with the clock and batch that every family shares (AcceleratorSpec).
#include "../../model/accelerator_spec.h"

namespace codesign {

struct SystolicConfig : SystolicSpec {
    double clockMhz = 0; // 0: the device's default clock
    int batch = 1;

    friend bool operator==(const SystolicConfig&, const SystolicConfig&) = default;
};

// The project's systolic accelerator as a config (spec.family must hold a SystolicSpec).
inline SystolicConfig systolicConfigOf(const AcceleratorSpec& spec) {
    SystolicConfig c;
    static_cast<SystolicSpec&>(c) = std::get<SystolicSpec>(spec.family);
    c.clockMhz = spec.clockMhz;
    c.batch = spec.batch;
    return c;
}

} // namespace codesign
