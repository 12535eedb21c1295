#pragma once

// LUT and FF of what wraps an accelerator's datapath on the fabric, whatever its family: its
// m_axi masters and AXI-Lite slave, and what the block design adds (an interconnect per HP
// port, one from the processor's master port to the control slave, a reset block). The
// coefficients are the device's `logic:` section (docs/estimator.md, "LUT and FF").
#include "device.h"

namespace codesign {

struct AxiLogic {
    double lut = 0;
    double ff = 0;
};

// `masters` m_axi masters of `bitsPerMaster` data bits each, one AXI-Lite control slave.
AxiLogic axiShellLogic(const LogicCoefficients& k, int masters, int bitsPerMaster);

} // namespace codesign
