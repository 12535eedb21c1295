#include "incremental_scatter.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace codesign {

IncrementalScatter::IncrementalScatter(QCPAxis* keyAxis, QCPAxis* valueAxis, QCPScatterStyle style)
    : QCPAbstractPlottable(keyAxis, valueAxis), style_(std::move(style)) {
    setPen(style_.pen());
    setSelectable(QCP::stNone); // picking is the plot's job (ParetoPlot::idNear)
}

void IncrementalScatter::addPoints(const std::vector<QPointF>& points) {
    for (const QPointF& p : points) {
        if (!haveRange_) {
            keys_ = QCPRange(p.x(), p.x());
            values_ = QCPRange(p.y(), p.y());
            haveRange_ = true;
        }
        keys_.expand(p.x());
        values_.expand(p.y());
    }
    points_.insert(points_.end(), points.begin(), points.end());
}

void IncrementalScatter::clearPoints() {
    points_.clear();
    haveRange_ = false;
    drawn_ = 0;
    cache_ = QImage();
}

double IncrementalScatter::selectTest(const QPointF&, bool, QVariant*) const {
    return -1;
}

QCPRange IncrementalScatter::getKeyRange(bool& foundRange, QCP::SignDomain) const {
    foundRange = !points_.empty();
    return keys_;
}

QCPRange IncrementalScatter::getValueRange(bool& foundRange, QCP::SignDomain,
                                           const QCPRange&) const {
    foundRange = !points_.empty();
    return values_;
}

void IncrementalScatter::draw(QCPPainter* painter) {
    QCPAxis* keyAxis = mKeyAxis.data();
    QCPAxis* valueAxis = mValueAxis.data();
    if (!keyAxis || !valueAxis)
        return;
    const QRect rect = clipRect();
    const qreal ratio = painter->device() ? painter->device()->devicePixelRatioF() : 1.0;
    const bool stale = cache_.isNull() || rect != cachedRect_ || keyAxis->range() != cachedKeys_ ||
                       valueAxis->range() != cachedValues_ ||
                       !qFuzzyCompare(cache_.devicePixelRatioF(), ratio) || drawn_ > points_.size();
    if (stale) {
        cache_ = QImage(rect.size() * ratio, QImage::Format_ARGB32_Premultiplied);
        cache_.setDevicePixelRatio(ratio);
        cache_.fill(Qt::transparent);
        cachedRect_ = rect;
        cachedKeys_ = keyAxis->range();
        cachedValues_ = valueAxis->range();
        drawn_ = 0;
        stamped_.assign(std::size_t(rect.width()) * std::size_t(std::max(0, rect.height())), 0);
    }
    if (drawn_ < points_.size()) {
        if (stamp_.isNull() || !qFuzzyCompare(stamp_.devicePixelRatioF(), ratio))
            renderStamp(ratio);
        QPainter cachePainter(&cache_);
        const double half = style_.size() / 2 + 1;
        const int width = rect.width(), height = rect.height();
        for (std::size_t i = drawn_; i < points_.size(); ++i) {
            const double x = keyAxis->coordToPixel(points_[i].x()) - rect.left();
            const double y = valueAxis->coordToPixel(points_[i].y()) - rect.top();
            if (x < -half || y < -half || x > width + half || y > height + half)
                continue;
            // A pixel already stamped looks the same stamped again: skip it.
            const int px = static_cast<int>(x), py = static_cast<int>(y);
            if (px >= 0 && py >= 0 && px < width && py < height) {
                std::uint8_t& seen = stamped_[std::size_t(py) * std::size_t(width) + px];
                if (seen)
                    continue;
                seen = 1;
            }
            cachePainter.drawImage(QPointF(x - half, y - half), stamp_);
        }
        drawn_ = points_.size();
    }
    painter->drawImage(rect.topLeft(), cache_);
}

void IncrementalScatter::renderStamp(qreal ratio) {
    // The marker drawn once, antialiased; each point is then one small image copy.
    const double half = style_.size() / 2 + 1;
    const int side = static_cast<int>(std::ceil(2 * half));
    stamp_ = QImage(QSize(side, side) * ratio, QImage::Format_ARGB32_Premultiplied);
    stamp_.setDevicePixelRatio(ratio);
    stamp_.fill(Qt::transparent);
    QCPPainter painter(&stamp_);
    painter.setAntialiasing(true);
    style_.applyTo(&painter, mPen);
    style_.drawShape(&painter, half, half);
}

void IncrementalScatter::drawLegendIcon(QCPPainter* painter, const QRectF& rect) const {
    style_.applyTo(painter, mPen);
    style_.drawShape(painter, rect.center());
}

} // namespace codesign
