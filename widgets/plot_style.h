#pragma once

class QCustomPlot;

namespace codesign {

// Moves a plot's legend out of the data area into one row under the axis, so that it never
// hides points or bars.
void putLegendBelow(QCustomPlot* plot);

} // namespace codesign
