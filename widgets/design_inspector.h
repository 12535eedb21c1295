#pragma once

#include "core/search/design_space.h"
#include "core/search/evaluated_point.h"

#include <QWidget>
#include <optional>

class QLabel;
class QPushButton;

namespace codesign {

// The numbers of one design picked from the exploration plots, and "Apply" to make it the
// current design.
class DesignInspector : public QWidget {
    Q_OBJECT
public:
    explicit DesignInspector(QWidget* parent = nullptr);
    void showPoint(const EvaluatedPoint& point, const DesignSpace& space);
    void clear();
    std::optional<int> shownId() const { return id_; }

    // The text a tooltip shows for a design (the same facts, shorter).
    static QString summary(const EvaluatedPoint& point, const DesignSpace& space);

Q_SIGNALS:
    void applyRequested(int id);

private:
    QLabel* text_;
    QPushButton* apply_;
    std::optional<int> id_;
};

} // namespace codesign
