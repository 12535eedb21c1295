#pragma once

#include "core/estimate/tiled/storage_formats.h"

#include <QString>

namespace codesign {

// How the accelerator's shared storage formats are told to the user (QoS panel,
// quantization view). Plain text.
QString formatsShort(const EffectiveFormats& formats); // "W16/A12": the widths in use
// Empty when the formats are the project's; else which format every layer is stored in and
// which layers asked for it, e.g. "Activations are stored as fixed<12,6> in every layer
// (the accelerator shares one activation format): B1.pwconv, L5.pwconv ask for more than
// the project's fixed<8,4>."
QString formatsNote(const EffectiveFormats& formats);

} // namespace codesign
