#pragma once

#include "core/model/project.h"

#include <QColor>
#include <QString>

namespace codesign {

// How layers are named and summarised in the palette, the editor and the network view.
QString opLabel(Op op);       // "dwconv"
QString opDescription(Op op); // one line, for tooltips
QColor opColor(Op op);        // a colour per family (weights, pooling, activation, ...)
QString layerSummary(const LayerSpec& layer);    // "pwconv  64 ch", "maxpool 2x2 /2"
QString entrySummary(const NetworkEntry& entry); // "dw_pw_pool x2, 96 ch"

} // namespace codesign
