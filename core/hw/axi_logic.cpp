#include "axi_logic.h"

namespace codesign {

AxiLogic axiShellLogic(const LogicCoefficients& k, int masters, int bitsPerMaster) {
    const double bits = bitsPerMaster;
    AxiLogic p;
    p.lut = masters * (k.lutPerAxiMaster + bits * k.lutPerAxiMasterBit) + k.lutAxiLite +
            masters * k.lutPerPortInterconnect + k.lutControlInterconnect + k.lutReset;
    p.ff = masters * (k.ffPerAxiMaster + bits * k.ffPerAxiMasterBit) + k.ffAxiLite +
           masters * k.ffPerPortInterconnect + k.ffControlInterconnect + k.ffReset;
    return p;
}

} // namespace codesign
