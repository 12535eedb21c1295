#include "dsp_packing.h"

#include <algorithm>

namespace codesign {
namespace {

int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
}

int slicesPerProduct(const DspRule& rule, int weightBits, int activationBits) {
    const int wide = std::max(weightBits, activationBits);
    const int narrow = std::min(weightBits, activationBits);
    if (wide <= rule.portA && narrow <= rule.portB)
        return 1;
    // An operand wider than its port is split; the low parts are unsigned, so each part
    // carries one bit less than the port (UG479 / UG579, wide multipliers by cascade).
    const int wideParts = wide <= rule.portA ? 1 : ceilDiv(wide, rule.portA - 1);
    const int narrowParts = narrow <= rule.portB ? 1 : ceilDiv(narrow, rule.portB - 1);
    return wideParts * narrowParts;
}

} // namespace

bool packsTwoPerSlice(const DspRule& rule, int weightBits, int activationBits) {
    return rule.packTwoMax > 0 && weightBits <= rule.portB &&
           2 * activationBits + weightBits <= rule.packTwoMax;
}

int dspSlices(const DspRule& rule, int multipliers, int weightBits, int activationBits) {
    if (multipliers <= 0)
        return 0;
    if (packsTwoPerSlice(rule, weightBits, activationBits))
        return ceilDiv(multipliers, 2);
    return multipliers * slicesPerProduct(rule, weightBits, activationBits);
}

double dspPerMultiplier(const DspRule& rule, int weightBits, int activationBits) {
    if (packsTwoPerSlice(rule, weightBits, activationBits))
        return 0.5;
    return slicesPerProduct(rule, weightBits, activationBits);
}

} // namespace codesign
