#pragma once

#include "front_2d.h"

#include <QWidget>
#include <functional>
#include <map>
#include <optional>

class QCustomPlot;
class QCPGraph;

namespace codesign {
class IncrementalScatter;
}
class QMouseEvent;

namespace codesign {

// One live scatter of the exploration: QoR (y) against FPS or power (x). Points come in
// batches and the plot is redrawn once per batch (a queued replot), never per point. Each
// plotted point keeps its design id (the map from plotted point to design), which hovering
// (a tooltip) and clicking (pointClicked) use. Measured QoR is drawn filled, predicted QoR
// hollow, designs that miss a constraint grey; the 2-D Pareto front is a step line. The
// legend lists what is drawn.
class ParetoPlot : public QWidget {
    Q_OBJECT
public:
    struct Point {
        double x = 0;
        double y = 0;
        int id = 0;
        bool feasible = false;
        bool predicted = false;
        int family = 0; // the design's accelerator family (index in architectures())
    };

    // Logarithmic: for an x that spans decades (energy per image: a slow design costs a
    // thousand times what a fast one does), so that one outlier does not squash the front.
    enum class XScale { Linear, Logarithmic };

    ParetoPlot(const QString& xLabel, Front2d::XSense sense, XScale scale = XScale::Linear,
               QWidget* parent = nullptr);

    void clear();
    void addPoints(const std::vector<Point>& batch);
    // What the filled points' QoR is ("measured" by default; a synthetic benchmark's QoR
    // is not a measurement and says so).
    void setKnownQorName(const QString& name);
    void setSelected(std::optional<int> id);
    // Hover text for a design id.
    void setDescriber(std::function<QString(int)> describe) { describe_ = std::move(describe); }

    int pointCount() const { return static_cast<int>(points_.size()); }
    // Feasible designs of a family other than the first (tiled) have a colour of their own
    // (a search over search.architectures); how many the plot shows of `family`.
    int familyPointCount(int family) const;
    QStringList legendNames() const;
    std::vector<Front2d::Member> front() const { return front_.members(); }
    // The design plotted nearest to a pixel of the plot, within a few pixels.
    std::optional<int> idNear(QPointF pixel) const;
    // The pixel a design is drawn at (tests click there).
    std::optional<QPointF> pixelOf(int id) const;
    QCustomPlot* plot() const { return plot_; }

Q_SIGNALS:
    void pointClicked(int id);

private:
    void updateFront();
    void updateLegend();
    IncrementalScatter* familyCloud(int family, bool predicted);
    void nameClouds();
    void rescale();
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* plot_;
    IncrementalScatter* infeasible_;
    IncrementalScatter* measured_;
    IncrementalScatter* predicted_;
    std::map<std::pair<int, bool>, IncrementalScatter*> familyClouds_; // (family, predicted)
    QString knownQorName_;
    QCPGraph* frontLine_;
    QCPGraph* selected_;
    Front2d front_;
    std::vector<Point> points_; // in arrival order; the plotted point -> design id map
    std::function<QString(int)> describe_;
    double minX_ = 0, maxX_ = 0, minY_ = 0, maxY_ = 0;
    QRectF shown_; // the axis ranges now: they grow with headroom, so they change rarely
    bool userZoomed_ = false;
    bool logX_ = false;
};

} // namespace codesign
