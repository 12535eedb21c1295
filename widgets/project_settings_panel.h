#pragma once

#include "core/model/project.h"

#include <QWidget>
#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace codesign {

class ProjectDocument;

// The project-wide settings: name, device, input, global precision, the accelerator family
// (tiled or streaming) and how the accelerator is sized. Every change is an undo command; turning
// one spin box merges into one step.
class ProjectSettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ProjectSettingsPanel(ProjectDocument* document, QWidget* parent = nullptr);
    QComboBox* familyBox() const { return family_; }

private:
    void refresh();
    void edit(const QString& field, const std::function<void(Project&)>& change);

    ProjectDocument* document_;
    QLineEdit* name_;
    QComboBox* device_;
    QSpinBox* channels_;
    QSpinBox* height_;
    QSpinBox* width_;
    QDoubleSpinBox* resize_;
    QSpinBox* weightBits_;
    QSpinBox* activationBits_;
    QComboBox* family_;
    QCheckBox* autoSize_;
    QDoubleSpinBox* clock_;
    QDoubleSpinBox* cap_;
};

} // namespace codesign
