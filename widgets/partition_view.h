#pragma once

#include "core/estimate/estimate.h"

#include <QTreeWidget>

namespace codesign {

// A streaming design's partitions (docs/gui.md): one row per partition (its interval, cycles,
// weights reloading and resources; the partition that limits the design in bold), under it
// one row per layer and squeeze with its interval and folding, the slowest marked. Empty
// for estimates of other families.
class PartitionView : public QTreeWidget {
    Q_OBJECT
public:
    enum Column { Name, Interval, Folding, Dsp, Bram18, Note, ColumnCount };

    explicit PartitionView(QWidget* parent = nullptr);

    // False (and the view empty) when the estimate is not a streaming one.
    bool setEstimate(const Estimate& estimate);
    void setStale(bool stale);
    int partitionCount() const { return topLevelItemCount(); }
    // The layer (or squeeze) that sets partition p's interval; empty when none is marked.
    QString slowestLayer(int partition) const;
};

} // namespace codesign
