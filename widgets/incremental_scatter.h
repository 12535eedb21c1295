#pragma once

#include "qcustomplot_include.h"

#include <QImage>
#include <cstdint>
#include <vector>

namespace codesign {

// A scatter plottable for point clouds that only grow. It keeps the points it has drawn in
// an image and, while the axes and the plot's size stay as they are, a replot paints only
// the points added since the last one and copies the image: the cost of a replot follows
// the batch, not the hundreds of thousands of points already on screen. Any change of
// range or size repaints the cloud once.
class IncrementalScatter : public QCPAbstractPlottable {
public:
    IncrementalScatter(QCPAxis* keyAxis, QCPAxis* valueAxis, QCPScatterStyle style);

    void addPoints(const std::vector<QPointF>& points);
    void clearPoints();
    std::size_t pointCount() const { return points_.size(); }

    double selectTest(const QPointF& pos, bool onlySelectable,
                      QVariant* details = nullptr) const override;
    QCPRange getKeyRange(bool& foundRange,
                         QCP::SignDomain inSignDomain = QCP::sdBoth) const override;
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain inSignDomain = QCP::sdBoth,
                           const QCPRange& inKeyRange = QCPRange()) const override;

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override;

private:
    void renderStamp(qreal ratio);

    QCPScatterStyle style_;
    QImage stamp_;                      // the marker, drawn once
    std::vector<std::uint8_t> stamped_; // pixels of the cache already stamped
    std::vector<QPointF> points_;
    QCPRange keys_, values_;
    bool haveRange_ = false;
    // What the image shows: the points [0, drawn_) at these ranges and this size.
    QImage cache_;
    std::size_t drawn_ = 0;
    QCPRange cachedKeys_, cachedValues_;
    QRect cachedRect_;
};

} // namespace codesign
