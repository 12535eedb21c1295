#pragma once

#include "core/model/op.h"

#include <QIcon>

namespace codesign {

// A small rounded swatch in the op family's colour (layer_text.h, opColor).
QIcon opIcon(Op op);

} // namespace codesign
