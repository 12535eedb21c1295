#pragma once

#include "core/model/project.h"
#include "edit_target.h"
#include "estimate_service.h"

#include <QWidget>
#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace codesign {

class ProjectDocument;

// The parameters of the selected bundle layer or network entry. Every change is an undo
// command; turning one spin box merges into a single step. For a single layer of a streaming
// design it also edits the layer's folding (that of the last estimate's design, which the
// edit fixes: auto off).
class LayerPropertyPanel : public QWidget {
    Q_OBJECT
public:
    explicit LayerPropertyPanel(ProjectDocument* document, QWidget* parent = nullptr);

    void setTarget(const EditTarget& target);
    const EditTarget& target() const { return target_; }
    // The last estimate (null: none yet, or another project's): its streaming design gives
    // the folding shown.
    void setEstimate(std::shared_ptr<const EstimateOutcome> outcome);

private:
    void refresh();
    const LayerSpec* targetLayer() const;
    const NetworkEntry* targetInstance() const;
    QString targetName() const;
    void editLayer(const QString& field, const std::function<void(LayerSpec&)>& change);
    void editInstance(const QString& field, const std::function<void(NetworkEntry&)>& change);
    void setRowVisible(QWidget* field, bool visible);
    QSpinBox* spin(int min, int max, const QString& special = {});
    void refreshFolding(const LayerSpec& layer);
    void editFolding(const QString& field, const std::function<void(StreamingFolding&)>& change);

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
    QSpinBox* coarseIn_; // streaming folding (conv, fc)
    QSpinBox* coarseOut_;
    QSpinBox* fine_;
    QSpinBox* coarse_; // streaming folding (every other layer)
    QLabel* foldingNote_;
    std::shared_ptr<const EstimateOutcome> estimate_;
    std::string foldingLayer_; // the layer whose folding the boxes show; empty: none
};

} // namespace codesign
