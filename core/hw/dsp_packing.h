#pragma once

#include "device.h"

namespace codesign {

// DSP slices for `multipliers` parallel products of a weight (weightBits) and an activation
// (activationBits). Rule, in order (docs/estimator.md, "DSP packing"):
//  1. two products sharing a weight pack into one slice when
//     2 * activationBits + weightBits <= rule.packTwoMax  -> ceil(multipliers / 2)
//  2. a product whose operands fit the ports (wider <= portA, narrower <= portB) -> 1 each
//  3. an operand wider than its port is split into unsigned parts one bit narrower than
//     the port (UG479 cascades): parts(wide, portA) * parts(narrow, portB) each
int dspSlices(const DspRule& rule, int multipliers, int weightBits, int activationBits);

// Slices per product, as a fraction (0.5 when packed), for reports and the GUI.
double dspPerMultiplier(const DspRule& rule, int weightBits, int activationBits);

bool packsTwoPerSlice(const DspRule& rule, int weightBits, int activationBits);

} // namespace codesign
