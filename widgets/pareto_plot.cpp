#include "pareto_plot.h"

#include "core/estimate/architecture.h"
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

// Ticks of a logarithmic axis: at 1, 2 and 5 times the powers of ten when the range spans
// a decade or two (QCPAxisTickerLog would label one or two ticks then), at the powers of ten
// alone over more; minor ticks at the other multiples.
class DecadeTicker : public QCPAxisTicker {
public:
    void generate(const QCPRange& range, const QLocale& locale, QChar formatChar, int precision,
                  QVector<double>& ticks, QVector<double>* subTicks,
                  QVector<QString>* labels) override {
        ticks.clear();
        if (subTicks)
            subTicks->clear();
        if (labels)
            labels->clear();
        if (range.lower <= 0 || range.upper <= range.lower)
            return;
        const int first = static_cast<int>(std::floor(std::log10(range.lower)));
        const int last = static_cast<int>(std::ceil(std::log10(range.upper)));
        const bool fine = last - first <= 2;
        for (int exponent = first; exponent <= last; ++exponent)
            for (int m = 1; m <= 9; ++m) {
                const double v = m * std::pow(10.0, exponent);
                if (v < range.lower || v > range.upper)
                    continue;
                if (m == 1 || (fine && (m == 2 || m == 5)))
                    ticks.push_back(v);
                else if (subTicks)
                    subTicks->push_back(v);
            }
        if (labels)
            for (double t : ticks)
                labels->push_back(locale.toString(t, formatChar.toLatin1(), precision));
    }
};

QString familyName(int family) {
    const auto all = architectures();
    return family >= 0 && std::size_t(family) < all.size()
               ? QString::fromUtf8(all[std::size_t(family)]->name().data(),
                                   qsizetype(all[std::size_t(family)]->name().size()))
               : QStringLiteral("family %1").arg(family);
}

QColor familyColour(int family) {
    return family == 1 ? QColor(78, 154, 6) : QColor(117, 80, 123); // streaming green, plum
}

} // namespace

ParetoPlot::ParetoPlot(const QString& xLabel, Front2d::XSense sense, XScale scale, QWidget* parent)
    : QWidget(parent), plot_(new QCustomPlot(this)), front_(sense),
      logX_(scale == XScale::Logarithmic) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    setMinimumSize(320, 220);
    plot_->setBackground(palette().base());
    plot_->xAxis->setLabel(xLabel);
    if (logX_) {
        plot_->xAxis->setScaleType(QCPAxis::stLogarithmic);
        plot_->xAxis->setTicker(QSharedPointer<DecadeTicker>(new DecadeTicker));
    }
    plot_->yAxis->setLabel(QStringLiteral("QoR"));
    infeasible_ = scatter(plot_, QStringLiteral("infeasible"),
                          QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(185, 185, 185), 3));
    measured_ = scatter(plot_, QStringLiteral("measured"),
                        QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(52, 101, 164), 4));
    predicted_ = scatter(plot_, QStringLiteral("predicted"),
                         QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(52, 101, 164), 5));
    knownQorName_ = measured_->name();
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
    putLegendBelow(plot_);
    updateLegend();
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
    for (auto& [key, cloud] : familyClouds_)
        plot_->removePlottable(cloud);
    familyClouds_.clear();
    nameClouds();
    points_.clear();
    front_.clear();
    userZoomed_ = false;
    shown_ = QRectF();
    rescale();
    updateLegend();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

void ParetoPlot::setKnownQorName(const QString& name) {
    knownQorName_ = name;
    nameClouds();
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

// With designs of several families on the plot, every feasible cloud names its family.
void ParetoPlot::nameClouds() {
    const QString first = familyClouds_.empty() ? QString() : familyName(0) + QStringLiteral(", ");
    measured_->setName(first + knownQorName_);
    predicted_->setName(first + QStringLiteral("predicted"));
    for (auto& [key, cloud] : familyClouds_)
        cloud->setName(familyName(key.first) + QStringLiteral(", ") +
                       (key.second ? QStringLiteral("predicted") : knownQorName_));
}

IncrementalScatter* ParetoPlot::familyCloud(int family, bool predicted) {
    IncrementalScatter*& cloud = familyClouds_[{family, predicted}];
    if (!cloud) {
        const QColor c = familyColour(family);
        cloud = scatter(plot_, QString(),
                        predicted ? QCPScatterStyle(QCPScatterStyle::ssCircle, c, 5)
                                  : QCPScatterStyle(QCPScatterStyle::ssDisc, c, 4));
        cloud->setLayer(measured_->layer());
        nameClouds();
    }
    return cloud;
}

int ParetoPlot::familyPointCount(int family) const {
    int n = 0;
    for (const auto& [key, cloud] : familyClouds_)
        if (key.first == family)
            n += int(cloud->pointCount());
    return n;
}

QStringList ParetoPlot::legendNames() const {
    QStringList names;
    for (int i = 0; i < plot_->legend->itemCount(); ++i)
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot_->legend->item(i)))
            names << item->plottable()->name();
    return names;
}

// Only the kinds of point the plot holds: a benchmark run has no predicted QoR, a surrogate
// run no measured one, and an empty plot needs no legend.
void ParetoPlot::updateLegend() {
    std::vector<QCPAbstractPlottable*> shown;
    for (IncrementalScatter* cloud : {infeasible_, measured_, predicted_})
        if (cloud->pointCount() > 0)
            shown.push_back(cloud);
    for (auto& [key, cloud] : familyClouds_)
        if (cloud->pointCount() > 0)
            shown.push_back(cloud);
    if (!frontLine_->data()->isEmpty())
        shown.push_back(frontLine_);
    std::vector<QCPAbstractPlottable*> listed;
    for (int i = 0; i < plot_->legend->itemCount(); ++i) // cells; empty ones once wrapped
        if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot_->legend->item(i)))
            listed.push_back(item->plottable());
    if (listed == shown)
        return;
    plot_->legend->clearItems();
    for (QCPAbstractPlottable* p : shown)
        p->addToLegend();
}

void ParetoPlot::addPoints(const std::vector<Point>& batch) {
    if (batch.empty())
        return;
    std::vector<QPointF> byKind[3];
    std::map<IncrementalScatter*, std::vector<QPointF>> byFamily; // families after the first
    bool frontChanged = false;
    for (const Point& p : batch) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || (logX_ && p.x <= 0))
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
        if (p.feasible && p.family > 0)
            byFamily[familyCloud(p.family, p.predicted)].emplace_back(p.x, p.y);
        else
            byKind[kind].emplace_back(p.x, p.y);
        if (p.feasible)
            frontChanged |= front_.insert(p.x, p.y, p.id);
    }
    IncrementalScatter* clouds[] = {infeasible_, measured_, predicted_};
    for (int k = 0; k < 3; ++k)
        if (!byKind[k].empty())
            clouds[k]->addPoints(byKind[k]);
    for (auto& [cloud, points] : byFamily)
        cloud->addPoints(points);
    if (frontChanged)
        updateFront();
    updateLegend();
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
        plot_->xAxis->setRange(logX_ ? 1 : 0, logX_ ? 1000 : 1);
        plot_->yAxis->setRange(0, 1);
        return;
    }
    // Only when a point falls outside: then grow with room to spare, so that the ranges
    // (and the cached drawing of the cloud) change a few times per search, not per batch.
    const QRectF extent(QPointF(minX_, minY_), QPointF(maxX_, maxY_));
    if (!shown_.isNull() && shown_.contains(extent))
        return;
    const double spanY = std::max(maxY_ - minY_, 0.02);
    double left = 0, right = 0;
    if (logX_) { // room by factors: the same look at every decade
        left = minX_ / 1.25;
        right = std::max(maxX_ * 1.25, left * 4);
    } else {
        const double spanX = std::max(maxX_ - minX_, 1e-3 + std::abs(maxX_) * 0.05);
        left = std::max(0.0, minX_ - 0.1 * spanX);
        right = maxX_ + 0.1 * spanX;
    }
    shown_ = QRectF(QPointF(left, minY_ - 0.1 * spanY), QPointF(right, maxY_ + 0.1 * spanY));
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
