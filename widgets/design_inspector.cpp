#include "design_inspector.h"

#include "core/estimate/architecture.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace codesign {
namespace {

QString qorText(const QorValue& q) {
    if (!q.ok())
        return QStringLiteral("not evaluated (%1)").arg(QString::fromStdString(q.error));
    QString text = QString::number(q.qor, 'f', 3);
    // The benchmark is a formula standing in for training (core/qor/benchmark_qor.h).
    if (q.source == "benchmark")
        return text + QStringLiteral(" synthetic (benchmark QoR, not a measurement)");
    if (q.predicted)
        text += QStringLiteral(" &plusmn; %1 predicted").arg(q.uncertainty, 0, 'f', 3);
    else
        text += QStringLiteral(" measured");
    return text + QStringLiteral(" (%1)").arg(QString::fromStdString(q.source));
}

} // namespace

DesignInspector::DesignInspector(QWidget* parent)
    : QWidget(parent), text_(new QLabel), apply_(new QPushButton(QStringLiteral("Apply"))) {
    text_->setWordWrap(true);
    text_->setTextFormat(Qt::RichText);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    text_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    apply_->setToolTip(QStringLiteral("Make this the current design (one undo step): its network, "
                                      "precision and accelerator"));
    apply_->setEnabled(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(text_, 1);
    layout->addWidget(apply_);
    connect(apply_, &QPushButton::clicked, this, [this] {
        if (id_)
            Q_EMIT applyRequested(*id_);
    });
    clear();
}

void DesignInspector::clear() {
    id_.reset();
    apply_->setEnabled(false);
    text_->setText(QStringLiteral("<i>Click a point of a plot to inspect that design.</i>"));
}

QString DesignInspector::summary(const EvaluatedPoint& p, const DesignSpace& space) {
    return QStringLiteral("<b>design %1</b>%2<br>QoR %3<br>%4 FPS, %5 W, %9 mJ per image<br>"
                          "DSP %6, BRAM18 %7<br><small>%8</small>")
        .arg(p.id)
        .arg(p.feasible ? QString() : QStringLiteral(" (misses a constraint)"))
        .arg(qorText(p.qor))
        .arg(p.fps, 0, 'f', 1)
        .arg(p.powerW, 0, 'f', 2)
        .arg(p.used.dsp)
        .arg(p.used.bram18)
        .arg(QString::fromStdString(space.describe(p.point)).toHtmlEscaped())
        .arg(p.energyPerImageMj, 0, 'f', 1);
}

void DesignInspector::showPoint(const EvaluatedPoint& p, const DesignSpace& space) {
    id_ = p.id;
    apply_->setEnabled(p.valid);
    QString violations;
    for (const std::string& v : p.violations)
        violations += QStringLiteral("<li>%1</li>").arg(QString::fromStdString(v).toHtmlEscaped());
    const Architecture& arch = architectureOf(p.design);
    text_->setText(
        QStringLiteral("<b>Design %1</b> %2<table cellspacing='2'>"
                       "<tr><td>QoR</td><td>%3</td></tr>"
                       "<tr><td>FPS</td><td>%4 (latency %5 ms)</td></tr>"
                       "<tr><td>power</td><td>%6 W (%19 mJ per image)</td></tr>"
                       "<tr><td>resources</td><td>DSP %7, BRAM18 %8, LUT %9, FF %10</td></tr>"
                       "<tr><td>accelerator</td><td>%11</td></tr></table>"
                       "<p><small>%12</small></p>%13")
            .arg(p.id)
            .arg(p.feasible ? QStringLiteral("<span style='color:#2e7d32'>meets the "
                                             "constraints</span>")
                            : QStringLiteral("<span style='color:#a40000'>misses a "
                                             "constraint</span>"))
            .arg(qorText(p.qor))
            .arg(p.fps, 0, 'f', 1)
            .arg(p.latencyMs, 0, 'f', 2)
            .arg(p.powerW, 0, 'f', 2)
            .arg(p.used.dsp)
            .arg(p.used.bram18)
            .arg(p.used.lut)
            .arg(p.used.ff)
            .arg(QString::fromStdString(arch.designSummary(p.design, nullptr)).toHtmlEscaped())
            .arg(QString::fromStdString(space.describe(p.point)).toHtmlEscaped())
            .arg(violations.isEmpty() ? QString() : QStringLiteral("<ul>%1</ul>").arg(violations))
            .arg(p.energyPerImageMj, 0, 'f', 1));
}

} // namespace codesign
