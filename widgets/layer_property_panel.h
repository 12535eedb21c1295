#pragma once

#include "core/model/project.h"
#include "edit_target.h"

#include <QWidget>
#include <functional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace codesign {

class ProjectDocument;

// The parameters of the selected bundle layer or network entry. Every change is an undo
// command; turning one spin box merges into a single step.
class LayerPropertyPanel : public QWidget {
    Q_OBJECT
public:
    explicit LayerPropertyPanel(ProjectDocument* document, QWidget* parent = nullptr);

    void setTarget(const EditTarget& target);
    const EditTarget& target() const { return target_; }

private:
    void refresh();
    const LayerSpec* targetLayer() const;
    const NetworkEntry* targetInstance() const;
    QString targetName() const;
    void editLayer(const QString& field, const std::function<void(LayerSpec&)>& change);
    void editInstance(const QString& field, const std::function<void(NetworkEntry&)>& change);
    void setRowVisible(QWidget* field, bool visible);
    QSpinBox* spin(int min, int max, const QString& special = {});

    ProjectDocument* document_;
    EditTarget target_;
    QFormLayout* form_;
    QLabel* heading_;
    QLabel* opLabel_;
    QComboBox* bundle_;
    QLineEdit* name_;
    QSpinBox* channels_;
    QSpinBox* repeat_;
    QCheckBox* downsample_;
    QSpinBox* kernelH_;
    QSpinBox* kernelW_;
    QSpinBox* stride_;
    QSpinBox* padding_;
    QSpinBox* groups_;
    QComboBox* variant_;
    QSpinBox* factor_;
    QSpinBox* anchors_;
    QCheckBox* bias_;
    QSpinBox* weightBits_;
    QSpinBox* activationBits_;
    QLineEdit* id_;
    QLineEdit* from_;
    QLineEdit* inputs_;
};

} // namespace codesign
