#include "plot_style.h"

#include "qcustomplot_include.h"

#include <algorithm>
#include <vector>

namespace codesign {
namespace {

// Whether the legend's entries fit the width in a grid of `columns` (filled row by row):
// a grid column is as wide as its widest entry.
bool fitsInColumns(const std::vector<int>& widths, int columns, int spacing, int available) {
    std::vector<int> columnWidth(std::size_t(columns), 0);
    for (std::size_t i = 0; i < widths.size(); ++i) {
        int& w = columnWidth[i % std::size_t(columns)];
        w = std::max(w, widths[i]);
    }
    int total = spacing * (columns - 1);
    for (int w : columnWidth)
        total += w;
    return total <= available;
}

} // namespace

void fitLegendToWidth(QCustomPlot* plot) {
    QCPLegend* legend = plot->legend;
    std::vector<int> widths;
    // The grid's cells, some empty once it wraps (itemCount() counts cells, not entries).
    for (int i = 0; i < legend->itemCount(); ++i)
        if (const QCPLayoutElement* item = legend->item(i)) // public in the base class
            widths.push_back(item->minimumOuterSizeHint().width());
    const int count = static_cast<int>(widths.size());
    if (count == 0)
        return;
    const QMargins m = legend->margins();
    const int available = plot->viewport().width() - m.left() - m.right();
    int columns = count;
    while (columns > 1 && !fitsInColumns(widths, columns, legend->columnSpacing(), available))
        --columns;
    if (columns == legend->columnCount() && legend->rowCount() * columns >= count)
        return;
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true); // re-lays out the entries
}

void putLegendBelow(QCustomPlot* plot) {
    plot->legend->setVisible(true);
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->addElement(1, 0, plot->legend);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setBrush(Qt::NoBrush);
    plot->legend->setMargins(QMargins(4, 0, 4, 2));
    plot->legend->setColumnSpacing(10);
    plot->legend->setIconSize(16, 10);
    plot->legend->setIconTextPadding(4);
    plot->plotLayout()->setRowStretchFactor(1, 0.001); // as tall as its text, no more
    plot->plotLayout()->setRowSpacing(0);
    // Before each layout: as many entries per row as the width holds, none cut short.
    QObject::connect(plot, &QCustomPlot::beforeReplot, plot, [plot] { fitLegendToWidth(plot); });
}

} // namespace codesign
