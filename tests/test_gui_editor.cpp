// The editor: drops from the palette into bundles and the network (through the models'
// mimeData and dropMimeData, as a real drag ends), reorders, removals, undo and redo.
#include "core/model/graph.h"
#include "core/model/project_edits.h"
#include "core/model/project_yaml.h"
#include "widgets/bundle_layers_model.h"
#include "widgets/layer_mime.h"
#include "widgets/layer_palette.h"
#include "widgets/layer_property_panel.h"
#include "widgets/network_model.h"
#include "widgets/project_document.h"

#include <QCheckBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>
#include <memory>

using namespace codesign;

namespace {

std::unique_ptr<QMimeData> paletteDrag(const LayerPaletteModel& palette, Op op) {
    for (int row = 0; row < palette.rowCount(); ++row)
        if (palette.opAt(row) == op)
            return std::unique_ptr<QMimeData>(palette.mimeData({palette.index(row)}));
    return nullptr;
}

std::vector<Op> opsOf(const BundleDef& bundle) {
    std::vector<Op> ops;
    for (const LayerSpec& l : bundle.layers)
        ops.push_back(l.op);
    return ops;
}

} // namespace

class TestGuiEditor : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init() {
        document_ = std::make_unique<ProjectDocument>();
        document_->reset(defaultProject(), {});
        layers_ = std::make_unique<BundleLayersModel>(document_.get());
        layers_->setBundle(0);
        network_ = std::make_unique<NetworkModel>(document_.get());
    }

    void paletteListsEveryOp() {
        LayerPaletteModel palette;
        QCOMPARE(palette.rowCount(), int(allOps().size()));
        QCOMPARE(palette.rowCount(), 23); // with the ops of imported models (docs/import.md)
        for (int row = 0; row < palette.rowCount(); ++row) {
            std::unique_ptr<QMimeData> data(palette.mimeData({palette.index(row)}));
            QVERIFY(data);
            QCOMPARE(mime::decodeOp(data.get()), palette.opAt(row));
            QVERIFY(palette.flags(palette.index(row)) & Qt::ItemIsDragEnabled);
        }
    }

    void dropEachOpIntoBundle_data() {
        QTest::addColumn<int>("opIndex");
        for (std::size_t i = 0; i < allOps().size(); ++i)
            QTest::newRow(std::string(opName(allOps()[i])).c_str()) << int(i);
    }

    // Every op through the palette's mimeData and the editor's dropMimeData: the ones a
    // bundle can hold are inserted where dropped (one undo step each, undone and redone);
    // add, concat and bbox_head are refused with a reason and change nothing.
    void dropEachOpIntoBundle() {
        QFETCH(int, opIndex);
        const Op op = allOps()[std::size_t(opIndex)];
        LayerPaletteModel palette;
        auto data = paletteDrag(palette, op);
        QVERIFY(data);
        const Project before = document_->project();
        const int layersBefore = layers_->rowCount();
        QSignalSpy refused(layers_.get(), &BundleLayersModel::dropRefused);
        const bool allowed = edits::bundleRefusal(op).empty();

        QCOMPARE(layers_->canDropMimeData(data.get(), Qt::CopyAction, 1, 0, {}), allowed);
        QCOMPARE(layers_->dropMimeData(data.get(), Qt::CopyAction, 1, 0, {}), allowed);
        if (!allowed) {
            QCOMPARE(refused.count(), 1);
            QVERIFY(!refused.front().front().toString().isEmpty());
            QCOMPARE(document_->project(), before);
            QCOMPARE(document_->undoStack()->count(), 0);
            QVERIFY(!document_->isModified());
            return;
        }
        QCOMPARE(refused.count(), 0);
        QCOMPARE(layers_->rowCount(), layersBefore + 1);
        QCOMPARE(document_->project().bundles[0].layers[1].op, op);
        QCOMPARE(document_->undoStack()->count(), 1);
        QVERIFY(document_->isModified());

        document_->undoStack()->undo();
        QCOMPARE(document_->project(), before);
        QVERIFY(!document_->isModified()); // back at the clean state
        QCOMPARE(layers_->rowCount(), layersBefore);
        document_->undoStack()->redo();
        QCOMPARE(document_->project().bundles[0].layers[1].op, op);
        QVERIFY(document_->isModified());
    }

    void dropEachOpIntoNetwork() {
        LayerPaletteModel palette;
        for (Op op : allOps()) {
            auto data = paletteDrag(palette, op);
            const int rows = network_->rowCount();
            QVERIFY(network_->canDropMimeData(data.get(), Qt::CopyAction, rows, 0, {}));
            QVERIFY(network_->dropMimeData(data.get(), Qt::CopyAction, rows, 0, {}));
            QCOMPARE(network_->rowCount(), rows + 1);
            const NetworkEntry& added = document_->project().network.back();
            QVERIFY(!added.isBundle);
            QCOMPARE(added.layer.op, op);
        }
        QCOMPARE(document_->undoStack()->count(), int(allOps().size()));
        while (document_->undoStack()->canUndo())
            document_->undoStack()->undo();
        QCOMPARE(document_->project(), defaultProject());
    }

    void refusesForeignAndBrokenPayloads() {
        QSignalSpy refused(layers_.get(), &BundleLayersModel::dropRefused);
        QMimeData text;
        text.setText(QStringLiteral("pwconv"));
        QVERIFY(!layers_->canDropMimeData(&text, Qt::CopyAction, 0, 0, {}));
        QVERIFY(!layers_->dropMimeData(&text, Qt::CopyAction, 0, 0, {}));
        QMimeData unknownOp;
        unknownOp.setData(mime::kOp, "winograd");
        QVERIFY(!layers_->dropMimeData(&unknownOp, Qt::CopyAction, 0, 0, {}));
        // A layer dragged from another bundle does not move across.
        std::unique_ptr<QMimeData> other(mime::encodeBundleLayer({1, 0}));
        QVERIFY(!layers_->dropMimeData(other.get(), Qt::MoveAction, 0, 0, {}));
        QCOMPARE(refused.count(), 3);
        QVERIFY(refused.at(1).front().toString().contains(QStringLiteral("winograd")));
        QMimeData unknownBundle;
        unknownBundle.setData(mime::kBundle, "no_such_bundle");
        QVERIFY(!network_->dropMimeData(&unknownBundle, Qt::CopyAction, 0, 0, {}));
        QCOMPARE(document_->undoStack()->count(), 0);
        QCOMPARE(document_->project(), defaultProject());
    }

    void reorderByDrag() {
        // dw_pw_pool: dwconv relu pwconv relu maxpool. Drag dwconv (row 0) below maxpool.
        const std::vector<Op> original = opsOf(document_->project().bundles[0]);
        std::unique_ptr<QMimeData> drag(layers_->mimeData({layers_->index(0)}));
        QVERIFY(layers_->canDropMimeData(drag.get(), Qt::MoveAction, 5, 0, {}));
        QVERIFY(layers_->dropMimeData(drag.get(), Qt::MoveAction, 5, 0, {}));
        const std::vector<Op> moved = opsOf(document_->project().bundles[0]);
        QCOMPARE(moved.size(), original.size());
        QCOMPARE(moved.back(), Op::DwConv);
        QCOMPARE(moved.front(), Op::Relu);
        QCOMPARE(layers_->takeLastDropRow(), 4);
        // And back up to the top, dropping onto the first item.
        std::unique_ptr<QMimeData> back(layers_->mimeData({layers_->index(4)}));
        QVERIFY(layers_->dropMimeData(back.get(), Qt::MoveAction, -1, 0, layers_->index(0)));
        QCOMPARE(opsOf(document_->project().bundles[0]), original);
        QCOMPARE(document_->undoStack()->count(), 2);
        document_->undoStack()->undo();
        QCOMPARE(opsOf(document_->project().bundles[0]), moved);
        document_->undoStack()->undo();
        QCOMPARE(opsOf(document_->project().bundles[0]), original);
        document_->undoStack()->redo();
        QCOMPARE(opsOf(document_->project().bundles[0]), moved);
        // Dropping a layer onto its own place is no edit.
        std::unique_ptr<QMimeData> still(layers_->mimeData({layers_->index(2)}));
        QVERIFY(!layers_->dropMimeData(still.get(), Qt::MoveAction, 3, 0, {}));
    }

    void removeAndUndo() {
        const Project before = document_->project();
        QVERIFY(layers_->removeLayer(4)); // the maxpool
        QCOMPARE(layers_->rowCount(), 4);
        QVERIFY(!layers_->removeLayer(9));
        QCOMPARE(document_->undoStack()->count(), 1);
        QVERIFY(document_->undoStack()->text(0).contains(QStringLiteral("maxpool")));
        document_->undoStack()->undo();
        QCOMPARE(document_->project(), before);
        document_->undoStack()->redo();
        QCOMPARE(layers_->rowCount(), 4);
    }

    void networkInstancesReorderAndEdit() {
        const Project before = document_->project();
        // A bundle dragged onto the network becomes an instance where it lands.
        std::unique_ptr<QMimeData> bundle(mime::encodeBundle(QStringLiteral("dw_pw")));
        QVERIFY(network_->dropMimeData(bundle.get(), Qt::CopyAction, 4, 0, {}));
        QVERIFY(document_->project().network[4].isBundle);
        QCOMPARE(document_->project().network[4].bundle, std::string("dw_pw"));
        QCOMPARE(document_->project().network[4].channels, 384); // the width above it
        // Repeat, channels and pooling edit through the cells.
        QVERIFY(network_->setData(network_->index(4, NetworkModel::Repeat), 3, Qt::EditRole));
        QVERIFY(network_->setData(network_->index(4, NetworkModel::Channels), 256, Qt::EditRole));
        QVERIFY(network_->setData(network_->index(0, NetworkModel::Downsample), Qt::Unchecked,
                                  Qt::CheckStateRole));
        QVERIFY(!network_->setData(network_->index(4, NetworkModel::Repeat), 0, Qt::EditRole));
        QCOMPARE(document_->project().network[4].repeat, 3);
        QCOMPARE(document_->project().network[4].channels, 256);
        QVERIFY(!document_->project().network[0].downsample);
        // Reorder: the first instance to the end.
        std::unique_ptr<QMimeData> drag(network_->mimeData({network_->index(0, 0)}));
        QVERIFY(network_->dropMimeData(drag.get(), Qt::MoveAction, network_->rowCount(), 0, {}));
        QCOMPARE(document_->project().network.back().channels, 48);
        QVERIFY(network_->removeEntry(0));
        QCOMPARE(document_->undoStack()->count(), 6);
        while (document_->undoStack()->canUndo())
            document_->undoStack()->undo();
        QCOMPARE(document_->project(), before);
        while (document_->undoStack()->canRedo())
            document_->undoStack()->redo();
        QCOMPARE(document_->project().network.size(), before.network.size());
    }

    // An instance of a bundle without a pooling layer has no pooling to keep or drop: no
    // check box (it used to show one that changed nothing), and a tooltip that says why.
    void poolingOnlyWhereTheBundleHasPooling() {
        const QModelIndex pooled = network_->index(0, NetworkModel::Downsample); // dw_pw_pool
        const QModelIndex plain = network_->index(3, NetworkModel::Downsample);  // dw_pw
        QVERIFY(network_->flags(pooled) & Qt::ItemIsUserCheckable);
        QCOMPARE(network_->data(pooled, Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(!(network_->flags(plain) & Qt::ItemIsUserCheckable));
        QVERIFY(!network_->data(plain, Qt::CheckStateRole).isValid());
        QVERIFY2(network_->data(plain, Qt::ToolTipRole)
                     .toString()
                     .contains(QStringLiteral("dw_pw has no pooling layer")),
                 qPrintable(network_->data(plain, Qt::ToolTipRole).toString()));
        QVERIFY(!network_->setData(plain, Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(document_->undoStack()->count(), 0);
        // The property panel shows its Pooling row for the first instance only.
        LayerPropertyPanel panel(document_.get());
        QCheckBox* pooling = nullptr;
        for (QCheckBox* box : panel.findChildren<QCheckBox*>())
            if (box->text().contains(QStringLiteral("pooling")))
                pooling = box;
        QVERIFY(pooling);
        panel.setTarget({EditTarget::Kind::NetworkEntry, -1, 0});
        QVERIFY(pooling->isVisibleTo(&panel));
        panel.setTarget({EditTarget::Kind::NetworkEntry, -1, 3});
        QVERIFY(!pooling->isVisibleTo(&panel));
    }

    // An instance of a bundle with no layer that takes channels gets none (issue 12, item
    // 11: channels there are an error), so the dropped network still builds.
    void droppedInstanceOfAPoolingBundleHasNoChannels() {
        Project after = document_->project();
        BundleDef pool;
        pool.name = "pool_only";
        pool.layers.resize(1);
        pool.layers[0].op = Op::MaxPool;
        after.bundles.push_back(pool);
        document_->edit(QStringLiteral("add a bundle"), std::move(after));
        std::unique_ptr<QMimeData> bundle(mime::encodeBundle(QStringLiteral("pool_only")));
        QVERIFY(network_->dropMimeData(bundle.get(), Qt::CopyAction, 1, 0, {}));
        QCOMPARE(document_->project().network[1].bundle, std::string("pool_only"));
        QCOMPARE(document_->project().network[1].channels, 0);
        QVERIFY(buildGraph(document_->project()).ok());
    }

    void spinBoxTurnsMergeIntoOneStep() {
        LayerPropertyPanel panel(document_.get());
        panel.setTarget({EditTarget::Kind::NetworkEntry, -1, 1}); // the 96-channel instance
        QSpinBox* channels = nullptr;
        for (QSpinBox* box : panel.findChildren<QSpinBox*>())
            if (box->value() == 96 && box->isVisibleTo(&panel))
                channels = box;
        QVERIFY(channels);
        for (int v : {100, 112, 128})
            channels->setValue(v);
        QCOMPARE(document_->project().network[1].channels, 128);
        QCOMPARE(document_->undoStack()->count(), 1);
        document_->undoStack()->undo();
        QCOMPARE(document_->project().network[1].channels, 96);
        QVERIFY(!document_->isModified());
    }

    void bundleRenameFollowsInstances() {
        Project after = document_->project();
        QVERIFY(edits::renameBundle(after, 0, "dw_pw_pool").empty());
        QCOMPARE(edits::renameBundle(after, 0, "dw_pw"), std::string("a bundle named 'dw_pw' "
                                                                     "exists already"));
        QVERIFY(edits::renameBundle(after, 0, "block").empty());
        QCOMPARE(after.network[0].bundle, std::string("block"));
        QVERIFY(!edits::removeBundle(after, 0).empty()); // still in use
    }

private:
    std::unique_ptr<ProjectDocument> document_;
    std::unique_ptr<BundleLayersModel> layers_;
    std::unique_ptr<NetworkModel> network_;
};

QTEST_MAIN(TestGuiEditor)
#include "test_gui_editor.moc"
