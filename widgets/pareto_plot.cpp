#include "pareto_plot.h"

#include "incremental_scatter.h"
#include "plot_style.h"
#include "qcustomplot_include.h"

#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

namespace codesign {
namespace {

constexpr double kPickPixels = 8;

IncrementalScatter* scatter(QCustomPlot* plot, const QString& name, QCPScatterStyle style) {
    auto* cloud = new IncrementalScatter(plot->xAxis, plot->yAxis, std::move(style));
    cloud->setName(name);
    return cloud;
}

} // namespace

ParetoPlot::ParetoPlot(const QString& xLabel, Front2d::XSense sense, QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), front_(sense) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumSize(320, 220);
    plot_->setBackground(palette().base());
    plot_->xAxis->setLabel(xLabel);
    plot_->yAxis->setLabel(QStringLiteral("QoR"));
    infeasible_ = scatter(plot_, QStringLiteral("infeasible"),
                          QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(185, 185, 185), 3));
    measured_ = scatter(plot_, QStringLiteral("measured"),
                        QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(52, 101, 164), 4));
    predicted_ = scatter(plot_, QStringLiteral("predicted"),
                         QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(52, 101, 164), 5));
    frontLine_ = plot_->addGraph();
    frontLine_->setName(QStringLiteral("Pareto front"));
    frontLine_->setPen(QPen(QColor(245, 121, 0), 2));
    frontLine_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssDiamond, QColor(206, 92, 0), QColor(252, 175, 62), 7));
    // Attainment staircase: best QoR reachable at this FPS (or within this power).
    frontLine_->setLineStyle(sense == Front2d::XSense::Maximise ? QCPGraph::lsStepRight
                                                                : QCPGraph::lsStepLeft);
    selected_ = plot_->addGraph();
    selected_->setLineStyle(QCPGraph::lsNone);
    selected_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(204, 0, 0), 2.5), Qt::NoBrush, 15));
    selected_->removeFromLegend();
    putLegendBelow(plot_);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setNoAntialiasingOnDrag(true);
    plot_->setToolTip(QString()); // tooltips come from hovering points
    connect(plot_, &QCustomPlot::mouseMove, this, &ParetoPlot::onMouseMove);
    connect(plot_, &QCustomPlot::mouseWheel, this, [this] { userZoomed_ = true; });
    connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        if (e->button() != Qt::LeftButton)
            return;
        if (auto id = idNear(e->position()))
            Q_EMIT pointClicked(*id);
        else
            userZoomed_ = true; // a drag of the range follows
    });
    connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] {
        userZoomed_ = false;
        shown_ = QRectF();
        rescale();
        plot_->replot(QCustomPlot::rpQueuedReplot);
    });
    rescale();
}

void ParetoPlot::clear() {
    for (IncrementalScatter* cloud : {infeasible_, measured_, predicted_})
        cloud->clearPoints();
    for (QCPGraph* g : {frontLine_, selected_})
        g->data()->clear();
    points_.clear();
    front_.clear();
    userZoomed_ = false;
    shown_ = QRectF();
    rescale();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::addPoints(const std::vector<Point>& batch) {
    if (batch.empty())
        return;
    std::vector<QPointF> byKind[3];
    bool frontChanged = false;
    for (const Point& p : batch) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            continue;
        if (points_.empty()) {
            minX_ = maxX_ = p.x;
            minY_ = maxY_ = p.y;
        }
        minX_ = std::min(minX_, p.x);
        maxX_ = std::max(maxX_, p.x);
        minY_ = std::min(minY_, p.y);
        maxY_ = std::max(maxY_, p.y);
        points_.push_back(p);
        const int kind = !p.feasible ? 0 : p.predicted ? 2 : 1;
        byKind[kind].emplace_back(p.x, p.y);
        if (p.feasible)
            frontChanged |= front_.insert(p.x, p.y, p.id);
    }
    IncrementalScatter* clouds[] = {infeasible_, measured_, predicted_};
    for (int k = 0; k < 3; ++k)
        if (!byKind[k].empty())
            clouds[k]->addPoints(byKind[k]);
    if (frontChanged)
        updateFront();
    rescale();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::updateFront() {
    QVector<double> x, y;
    for (const Front2d::Member& m : front_.members()) {
        x.push_back(m.x);
        y.push_back(m.y);
    }
    frontLine_->setData(x, y, true); // already sorted by x
}

void ParetoPlot::rescale() {
    if (userZoomed_)
        return;
    if (points_.empty()) {
        shown_ = QRectF();
        plot_->xAxis->setRange(0, 1);
        plot_->yAxis->setRange(0, 1);
        return;
    }
    // Only when a point falls outside: then grow with room to spare, so that the ranges
    // (and the cached drawing of the cloud) change a few times per search, not per batch.
    const QRectF extent(QPointF(minX_, minY_), QPointF(maxX_, maxY_));
    if (!shown_.isNull() && shown_.contains(extent))
        return;
    const double spanX = std::max(maxX_ - minX_, 1e-3 + std::abs(maxX_) * 0.05);
    const double spanY = std::max(maxY_ - minY_, 0.02);
    shown_ = QRectF(QPointF(std::max(0.0, minX_ - 0.1 * spanX), minY_ - 0.1 * spanY),
                    QPointF(maxX_ + 0.1 * spanX, maxY_ + 0.1 * spanY));
    plot_->xAxis->setRange(shown_.left(), shown_.right());
    plot_->yAxis->setRange(shown_.top(), shown_.bottom());
}

void ParetoPlot::setSelected(std::optional<int> id) {
    selected_->data()->clear();
    if (id)
        if (auto it = std::find_if(points_.begin(), points_.end(),
                                   [&](const Point& p) { return p.id == *id; });
            it != points_.end())
            selected_->addData(it->x, it->y);
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

std::optional<int> ParetoPlot::idNear(QPointF pixel) const {
    std::optional<int> best;
    double bestDistance = kPickPixels * kPickPixels;
    const QCPRange xr = plot_->xAxis->range();
    const QCPRange yr = plot_->yAxis->range();
    for (const Point& p : points_) {
        if (!xr.contains(p.x) || !yr.contains(p.y))
            continue;
        const double dx = plot_->xAxis->coordToPixel(p.x) - pixel.x();
        const double dy = plot_->yAxis->coordToPixel(p.y) - pixel.y();
        const double d = dx * dx + dy * dy;
        // Prefer feasible designs when points overlap: they are the ones worth picking.
        if (d < bestDistance || (d == bestDistance && p.feasible)) {
            bestDistance = d;
            best = p.id;
        }
    }
    return best;
}

std::optional<QPointF> ParetoPlot::pixelOf(int id) const {
    for (const Point& p : points_)
        if (p.id == id)
            return QPointF(plot_->xAxis->coordToPixel(p.x), plot_->yAxis->coordToPixel(p.y));
    return std::nullopt;
}

void ParetoPlot::onMouseMove(QMouseEvent* event) {
    if (event->buttons() != Qt::NoButton)
        return;
    const auto id = idNear(event->position());
    if (!id || !describe_) {
        QToolTip::hideText();
        plot_->setCursor(Qt::ArrowCursor);
        return;
    }
    plot_->setCursor(Qt::PointingHandCursor);
    QToolTip::showText(event->globalPosition().toPoint(), describe_(*id), plot_);
}

} // namespace codesign
