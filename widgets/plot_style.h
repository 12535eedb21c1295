#pragma once

class QCustomPlot;

namespace codesign {

// Moves a plot's legend out of the data area under the axis, so that it never hides points
// or bars. Its entries go in one row when the plot is wide enough, else in as many rows as
// it takes to show each one whole (fitLegendToWidth, before every replot).
void putLegendBelow(QCustomPlot* plot);

// Chooses the legend's entries per row for the plot's present width.
void fitLegendToWidth(QCustomPlot* plot);

} // namespace codesign
