#include "bundle_editor.h"

#include "bundle_layers_model.h"
#include "bundle_list_model.h"
#include "core/model/project_edits.h"
#include "core/model/systolic_spec.h"
#include "core/model/transforms/fuse_transform.h"
#include "layer_mime.h"
#include "project_document.h"
#include "transient_message.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <memory>

namespace codesign {
namespace {

QPushButton* smallButton(const QString& text, const QString& tip) {
    auto* b = new QPushButton(text);
    b->setToolTip(tip);
    b->setAutoDefault(false);
    return b;
}

} // namespace

BundleEditor::BundleEditor(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), bundles_(new BundleListModel(document, this)),
      layers_(new BundleLayersModel(document, this)), bundleView_(new QListView),
      layerView_(new QListView), layersTitle_(new QLabel), message_(new TransientMessage) {
    bundleView_->setModel(bundles_);
    bundleView_->setDragEnabled(true);
    bundleView_->setDragDropMode(QAbstractItemView::DragOnly);
    bundleView_->setEditTriggers(QAbstractItemView::DoubleClicked |
                                 QAbstractItemView::EditKeyPressed);
    layerView_->setModel(layers_);
    layerView_->setDragEnabled(true);
    layerView_->setAcceptDrops(true);
    layerView_->setDropIndicatorShown(true);
    layerView_->setDragDropMode(QAbstractItemView::DragDrop);
    layerView_->setDefaultDropAction(Qt::MoveAction);
    layerView_->setSelectionMode(QAbstractItemView::SingleSelection);
    layerView_->setToolTip(QStringLiteral("Drop layers from the palette here; drag to reorder; "
                                          "Delete removes the selected layer"));

    auto* addBundle = smallButton(QStringLiteral("New"), QStringLiteral("A new, empty bundle"));
    auto* delBundle = smallButton(QStringLiteral("Remove"),
                                  QStringLiteral("Remove the selected bundle (when unused)"));
    auto* fuse = new QToolButton;
    fuse->setObjectName(QStringLiteral("fuseButton"));
    fuse->setText(QStringLiteral("FuSe"));
    fuse->setToolTip(QStringLiteral("Rewrite the bundle's depthwise layers into FuSeConv's 1xK + "
                                    "Kx1 form (seed 003), in every instance"));
    fuse->setPopupMode(QToolButton::InstantPopup);
    auto* fuseMenu = new QMenu(fuse);
    QAction* fuseHalf = fuseMenu->addAction(QStringLiteral("FuSe half"));
    fuseHalf->setObjectName(QStringLiteral("fuseHalfAction"));
    fuseHalf->setToolTip(QStringLiteral("1xK on half the channels, Kx1 on the other half"));
    QAction* fuseFull = fuseMenu->addAction(QStringLiteral("FuSe full"));
    fuseFull->setObjectName(QStringLiteral("fuseFullAction"));
    fuseFull->setToolTip(QStringLiteral("1xK and Kx1 on every channel (the next 1x1 takes 2C)"));
    fuse->setMenu(fuseMenu);
    bundleView_->setContextMenuPolicy(Qt::ActionsContextMenu);
    bundleView_->addAction(fuseHalf);
    bundleView_->addAction(fuseFull);
    auto* delLayer = smallButton(QStringLiteral("Remove"), QStringLiteral("Remove the layer"));
    auto* upLayer = smallButton(QStringLiteral("Up"), QStringLiteral("Move the layer up"));
    auto* downLayer = smallButton(QStringLiteral("Down"), QStringLiteral("Move the layer down"));

    auto* left = new QVBoxLayout;
    auto* bundlesTitle = new QLabel(QStringLiteral("<b>Bundles</b>"));
    left->addWidget(bundlesTitle);
    left->addWidget(bundleView_, 1);
    auto* leftButtons = new QHBoxLayout;
    leftButtons->addWidget(addBundle);
    leftButtons->addWidget(delBundle);
    leftButtons->addWidget(fuse);
    leftButtons->addStretch();
    left->addLayout(leftButtons);

    auto* right = new QVBoxLayout;
    right->addWidget(layersTitle_);
    right->addWidget(layerView_, 1);
    auto* rightButtons = new QHBoxLayout;
    rightButtons->addWidget(upLayer);
    rightButtons->addWidget(downLayer);
    rightButtons->addWidget(delLayer);
    rightButtons->addStretch();
    right->addLayout(rightButtons);

    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 2);
    columns->addLayout(right, 3);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(4, 4, 4, 4);
    outer->addLayout(columns, 1);
    outer->addWidget(message_);

    auto* deleteAction = new QAction(QStringLiteral("Remove layer"), layerView_);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    layerView_->addAction(deleteAction);
    connect(deleteAction, &QAction::triggered, this, &BundleEditor::removeSelectedLayer);
    connect(delLayer, &QPushButton::clicked, this, &BundleEditor::removeSelectedLayer);
    connect(upLayer, &QPushButton::clicked, this, [this] { moveSelectedLayer(-1); });
    connect(downLayer, &QPushButton::clicked, this, [this] { moveSelectedLayer(+1); });
    connect(addBundle, &QPushButton::clicked, this, &BundleEditor::newBundle);
    connect(delBundle, &QPushButton::clicked, this, &BundleEditor::removeBundle);
    connect(fuseHalf, &QAction::triggered, this, [this] { fuseSelectedBundle(FuseVariant::Half); });
    connect(fuseFull, &QAction::triggered, this, [this] { fuseSelectedBundle(FuseVariant::Full); });
    connect(layers_, &BundleLayersModel::dropRefused, message_,
            [this](const QString& why) { message_->showMessage(why); });
    connect(bundles_, &BundleListModel::editRefused, message_,
            [this](const QString& why) { message_->showMessage(why); });

    connect(bundleView_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid() || current.row() == layers_->bundle())
                    return;
                rememberedBundle_ = current.row();
                rememberedRow_ = -1;
                layers_->setBundle(current.row());
                updateTitle();
                Q_EMIT targetSelected({});
            });
    connect(layerView_->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid())
                    return;
                rememberedRow_ = current.row();
                Q_EMIT targetSelected(
                    {EditTarget::Kind::BundleLayer, layers_->bundle(), current.row()});
            });
    connect(layerView_, &QListView::clicked, this, [this](const QModelIndex& index) {
        Q_EMIT targetSelected({EditTarget::Kind::BundleLayer, layers_->bundle(), index.row()});
    });
    // The models reset on every change of the document: put the selection back.
    connect(bundles_, &QAbstractItemModel::modelReset, this, [this] {
        const int count = bundles_->rowCount();
        const int row = std::min(rememberedBundle_, count - 1);
        if (row >= 0)
            bundleView_->setCurrentIndex(bundles_->index(row));
        if (layers_->bundle() != row)
            layers_->setBundle(row);
        updateTitle();
    });
    connect(layers_, &QAbstractItemModel::modelReset, this, &BundleEditor::restoreLayerSelection);

    layers_->setBundle(document_->project().bundles.empty() ? -1 : 0);
    if (bundles_->rowCount() > 0)
        bundleView_->setCurrentIndex(bundles_->index(0));
    updateTitle();
}

int BundleEditor::currentBundle() const {
    return layers_->bundle();
}

void BundleEditor::selectBundle(int bundle) {
    if (bundle >= 0 && bundle < bundles_->rowCount())
        bundleView_->setCurrentIndex(bundles_->index(bundle));
}

void BundleEditor::selectLayer(int row) {
    if (row >= 0 && row < layers_->rowCount())
        layerView_->setCurrentIndex(layers_->index(row));
}

int BundleEditor::selectedLayerRow() const {
    const QModelIndex current = layerView_->currentIndex();
    return current.isValid() && layerView_->selectionModel()->isSelected(current) ? current.row()
                                                                                  : -1;
}

void BundleEditor::restoreLayerSelection() {
    int row = layers_->takeLastDropRow();
    if (row < 0)
        row = rememberedRow_;
    row = std::min(row, layers_->rowCount() - 1);
    if (row >= 0) {
        layerView_->setCurrentIndex(layers_->index(row));
        Q_EMIT targetSelected({EditTarget::Kind::BundleLayer, layers_->bundle(), row});
    }
    updateTitle();
}

void BundleEditor::updateTitle() {
    const Project& p = document_->project();
    if (!edits::hasBundle(p, layers_->bundle())) {
        layersTitle_->setText(QStringLiteral("<b>Layers</b> (no bundle)"));
        return;
    }
    layersTitle_->setText(
        QStringLiteral("<b>Layers of %1</b>")
            .arg(QString::fromStdString(p.bundles[std::size_t(layers_->bundle())].name)));
}

void BundleEditor::addLayer(Op op) {
    const int selected = selectedLayerRow();
    const std::unique_ptr<QMimeData> payload(mime::encodeOp(op));
    const int row = selected >= 0 ? selected + 1 : layers_->rowCount();
    layers_->dropMimeData(payload.get(), Qt::CopyAction, row, 0, {});
}

void BundleEditor::removeSelectedLayer() {
    const int row = selectedLayerRow();
    if (row < 0) {
        message_->showMessage(QStringLiteral("Select a layer to remove"), 3000);
        return;
    }
    rememberedRow_ = row;
    layers_->removeLayer(row);
}

void BundleEditor::moveSelectedLayer(int delta) {
    const int row = selectedLayerRow();
    if (row < 0)
        return;
    const int to = delta < 0 ? row - 1 : row + 2; // insert-before semantics
    if (to < 0 || to > layers_->rowCount())
        return;
    const std::unique_ptr<QMimeData> payload(mime::encodeBundleLayer({layers_->bundle(), row}));
    layers_->dropMimeData(payload.get(), Qt::MoveAction, to, 0, {});
}

void BundleEditor::newBundle() {
    Project after = document_->project();
    const int index = edits::addBundle(after, "bundle", {});
    const QString name = QString::fromStdString(after.bundles[std::size_t(index)].name);
    rememberedBundle_ = index;
    rememberedRow_ = -1;
    document_->edit(QStringLiteral("New bundle %1").arg(name), std::move(after));
}

void BundleEditor::removeBundle() {
    const int bundle = layers_->bundle();
    Project after = document_->project();
    const std::string why = edits::removeBundle(after, bundle);
    if (!why.empty()) {
        message_->showMessage(QString::fromStdString(why));
        return;
    }
    const QString name =
        QString::fromStdString(document_->project().bundles[std::size_t(bundle)].name);
    rememberedBundle_ = std::max(0, bundle - 1);
    document_->edit(QStringLiteral("Remove bundle %1").arg(name), std::move(after));
}

void BundleEditor::fuseSelectedBundle(FuseVariant variant) {
    const Project& before = document_->project();
    const int bundle = layers_->bundle();
    if (!edits::hasBundle(before, bundle)) {
        message_->showMessage(QStringLiteral("Select a bundle to rewrite"), 3000);
        return;
    }
    const std::string name = before.bundles[std::size_t(bundle)].name;
    Result<FuseBundleResult> r = fuseBundle(before, name, variant);
    if (!r.ok()) {
        message_->showMessage(QString::fromStdString(r.error().message));
        return;
    }
    const auto& bundles = r->project.bundles;
    const auto at = std::find_if(bundles.begin(), bundles.end(),
                                 [&](const BundleDef& b) { return b.name == r->newBundle; });
    rememberedBundle_ = static_cast<int>(at - bundles.begin());
    rememberedRow_ = -1;
    // On a systolic array without FuSeConv's rows the fuse layers run as GEMMs per channel,
    // no faster than the depthwise ones: say so (codesign transform notes it too).
    const auto* systolic = std::get_if<SystolicSpec>(&r->project.accelerator.family);
    const bool plainArray = systolic && !systolic->fuseRows;
    document_->edit(
        QStringLiteral("FuSe %1 bundle %2")
            .arg(variant == FuseVariant::Full ? QStringLiteral("full") : QStringLiteral("half"),
                 QString::fromStdString(name)),
        std::move(r->project));
    if (plainArray)
        message_->showMessage(QStringLiteral("The systolic array keeps fuse_rows: false, so the "
                                             "fuse layers run as GEMMs per channel; "
                                             "fuse_rows: true in the project's accelerator: "
                                             "section gives FuSeConv's row mapping."),
                              10000);
}

} // namespace codesign
