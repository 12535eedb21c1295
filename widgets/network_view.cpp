#include "network_view.h"

#include "layer_mime.h"
#include "network_model.h"
#include "project_document.h"
#include "transient_message.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <memory>

namespace codesign {

NetworkView::NetworkView(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), model_(new NetworkModel(document, this)),
      table_(new QTableView), message_(new TransientMessage) {
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setDragEnabled(true);
    table_->setAcceptDrops(true);
    table_->setDropIndicatorShown(true);
    table_->setDragDropMode(QAbstractItemView::DragDrop);
    table_->setDefaultDropAction(Qt::MoveAction);
    table_->setDragDropOverwriteMode(false);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::SelectedClicked);
    table_->verticalHeader()->setDefaultSectionSize(22);
    table_->horizontalHeader()->setSectionResizeMode(NetworkModel::Entry, QHeaderView::Stretch);
    for (int c = NetworkModel::Channels; c < NetworkModel::ColumnCount; ++c)
        table_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    table_->setToolTip(QStringLiteral("Drop bundles or layers here; drag rows to reorder; "
                                      "double-click a cell to edit"));

    auto* title = new QLabel(QStringLiteral("<b>Network</b> (input at the top)"));
    auto* add = new QPushButton(QStringLiteral("Add instance"));
    add->setToolTip(QStringLiteral("Add an instance of the selected bundle below the selection"));
    auto* remove = new QPushButton(QStringLiteral("Remove"));
    auto* up = new QPushButton(QStringLiteral("Up"));
    auto* down = new QPushButton(QStringLiteral("Down"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(title);
    buttons->addStretch();
    for (QPushButton* b : {add, up, down, remove}) {
        b->setAutoDefault(false);
        buttons->addWidget(b);
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(buttons);
    layout->addWidget(table_, 1);
    layout->addWidget(message_);

    auto* deleteAction = new QAction(QStringLiteral("Remove entry"), table_);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    table_->addAction(deleteAction);
    connect(deleteAction, &QAction::triggered, this, &NetworkView::removeSelected);
    connect(remove, &QPushButton::clicked, this, &NetworkView::removeSelected);
    connect(up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveSelected(+1); });
    connect(add, &QPushButton::clicked, this, &NetworkView::instanceRequested);
    connect(model_, &NetworkModel::dropRefused, message_,
            [this](const QString& why) { message_->showMessage(why); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!current.isValid())
                    return;
                rememberedRow_ = current.row();
                Q_EMIT targetSelected({EditTarget::Kind::NetworkEntry, -1, current.row()});
            });
    connect(table_, &QTableView::clicked, this, [this](const QModelIndex& index) {
        Q_EMIT targetSelected({EditTarget::Kind::NetworkEntry, -1, index.row()});
    });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        int row = model_->takeLastDropRow();
        if (row < 0)
            row = rememberedRow_;
        row = std::min(row, model_->rowCount() - 1);
        if (row >= 0) {
            // Keep the selection without moving the property panel away from a bundle layer.
            const QSignalBlocker block(table_->selectionModel());
            table_->selectRow(row);
            table_->setCurrentIndex(model_->index(row, 0));
        }
        table_->viewport()->update();
    });
}

int NetworkView::selectedRow() const {
    const QModelIndexList rows = table_->selectionModel()->selectedRows();
    return rows.isEmpty() ? -1 : rows.front().row();
}

void NetworkView::addInstance(const QString& bundle) {
    const int selected = selectedRow();
    model_->insertInstance(selected >= 0 ? selected + 1 : model_->rowCount(), bundle);
}

void NetworkView::addLayer(Op op) {
    const int selected = selectedRow();
    const std::unique_ptr<QMimeData> payload(mime::encodeOp(op));
    model_->dropMimeData(payload.get(), Qt::CopyAction,
                         selected >= 0 ? selected + 1 : model_->rowCount(), 0, {});
}

void NetworkView::removeSelected() {
    const int row = selectedRow();
    if (row < 0) {
        message_->showMessage(QStringLiteral("Select an entry to remove"), 3000);
        return;
    }
    rememberedRow_ = row;
    model_->removeEntry(row);
}

void NetworkView::moveSelected(int delta) {
    const int row = selectedRow();
    if (row < 0)
        return;
    const int to = delta < 0 ? row - 1 : row + 2;
    if (to < 0 || to > model_->rowCount())
        return;
    model_->moveEntry(row, to);
}

} // namespace codesign
