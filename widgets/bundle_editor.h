#pragma once

#include "core/model/op.h"
#include "core/model/project.h"
#include "edit_target.h"

#include <QWidget>

class QListView;
class QLabel;
class QPushButton;

namespace codesign {

class BundleLayersModel;
class BundleListModel;
class ProjectDocument;
class TransientMessage;

// The bundle definitions (left: drag one onto the network; FuSe rewrites the selected one's
// depthwise layers) and the layers of the selected bundle (right: drop palette layers in,
// drag to reorder, Delete to remove).
class BundleEditor : public QWidget {
    Q_OBJECT
public:
    explicit BundleEditor(ProjectDocument* document, QWidget* parent = nullptr);

    BundleLayersModel* layersModel() const { return layers_; }
    BundleListModel* bundlesModel() const { return bundles_; }
    int currentBundle() const;
    void selectBundle(int bundle);
    // Selects a layer of the current bundle (and shows it in the property panel).
    void selectLayer(int row);
    // Inserts `op` after the selected layer (palette double-click).
    void addLayer(Op op);
    void removeSelectedLayer();
    // The selected bundle's depthwise layers into FuSe form (seed 003), as one undoable edit:
    // every instance of it in the network (fuseBundle, fuse_transform.h); a message when it
    // cannot (no depthwise layer, a network the result does not fit).
    void fuseSelectedBundle(FuseVariant variant);

Q_SIGNALS:
    void targetSelected(const EditTarget& target);

private:
    void newBundle();
    void removeBundle();
    void moveSelectedLayer(int delta);
    void restoreLayerSelection();
    void updateTitle();
    int selectedLayerRow() const;

    ProjectDocument* document_;
    BundleListModel* bundles_;
    BundleLayersModel* layers_;
    QListView* bundleView_;
    QListView* layerView_;
    QLabel* layersTitle_;
    TransientMessage* message_;
    int rememberedRow_ = -1;
    int rememberedBundle_ = 0;
};

} // namespace codesign
