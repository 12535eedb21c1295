#include "plot_style.h"

#include "qcustomplot_include.h"

namespace codesign {

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
}

} // namespace codesign
